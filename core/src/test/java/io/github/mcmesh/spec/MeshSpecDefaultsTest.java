package io.github.mcmesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.internal.spec.SpecFacts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeshSpecDefaultsTest {

    @Test
    void defaults_give_two_minikube_clusters_with_disjoint_ranges() {
        // when
        MeshSpec spec = MeshSpec.defaults();

        // then
        assertThat(spec.clusterNames()).containsExactly("mcmesh-east", "mcmesh-west");
        ClusterSpec east = spec.clusters().get(0);
        ClusterSpec west = spec.clusters().get(1);
        assertThat(east.podCidr()).hasToString("10.10.0.0/16");
        assertThat(east.serviceCidr()).hasToString("10.255.10.0/24");
        assertThat(west.podCidr()).hasToString("10.20.0.0/16");
        assertThat(west.serviceCidr()).hasToString("10.255.20.0/24");
        assertThat(east.bridge()).isEmpty();
        assertThat(east.staticIp()).isEqualTo("192.168.200.2");
        assertThat(west.staticIp()).isEqualTo("192.168.200.3");
    }

    @Test
    void defaults_pin_todays_tools_and_istio_settings() {
        // when
        MeshSpec spec = MeshSpec.defaults();

        // then
        assertThat(spec.provider()).isEqualTo(Provider.MINIKUBE);
        assertThat(spec.kubernetesVersion().withV()).isEqualTo("v1.35.1");
        assertThat(spec.istioVersion()).hasToString("1.30.3");
        assertThat(spec.driver()).isEqualTo("docker");
        assertThat(spec.containerRuntime()).isEqualTo("docker");
        assertThat(spec.cni()).isEqualTo("kindnet");
        assertThat(spec.memoryMb()).isEqualTo(4096);
        assertThat(spec.cpus()).isEqualTo(2);
        assertThat(spec.meshId()).isEqualTo("mesh1");
        assertThat(spec.networkName()).isEqualTo("network1");
        assertThat(spec.trust()).isEqualTo(TrustMode.SHARED_ROOT_CA);
        assertThat(spec.dnsProxying()).isTrue();
        assertThat(spec.reuse()).isEqualTo(ReusePolicy.IF_HEALTHY);
        assertThat(spec.cleanup()).isEqualTo(CleanupPolicy.NEVER);
        assertThat(spec.namespaceCleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
        assertThat(spec.identity()).isEqualTo("mcmesh-east+mcmesh-west@mesh1");
        assertThat(SpecFacts.identityFileName(spec)).isEqualTo("mcmesh-east_mcmesh-west_mesh1");
    }

    @Test
    void expresses_the_write_up_setup_with_the_corrections_todays_tools_need() {
        // given the write-up's names, pod ranges, versions and plaintext; distinct service ranges,
        // and docker0 moved out of the pod ranges instead of onto them
        MeshSpec.Builder builder = WriteUpSetup.builder();

        // when
        MeshSpec spec = builder.build();

        // then
        assertThat(spec.clusterNames()).containsExactly("minikube", "test");
        assertThat(spec.cluster("minikube").orElseThrow().podCidr()).hasToString("172.17.0.0/16");
        assertThat(spec.cluster("test").orElseThrow().podCidr()).hasToString("172.18.0.0/16");
        assertThat(spec.kubernetesVersion()).hasToString("1.26.8");
        assertThat(spec.istioVersion()).hasToString("1.18.2");
        assertThat(spec.trust()).isEqualTo(TrustMode.PLAINTEXT);
    }

    @Test
    void to_builder_round_trips_every_value() {
        // given
        MeshSpec spec = WriteUpSetup.builder().timeouts(Timeouts.defaults().withAssertion(Duration.ofSeconds(7))).build();

        // when
        MeshSpec copy = spec.toBuilder().build();

        // then
        assertThat(copy).isEqualTo(spec);
    }

    @Test
    void fingerprint_covers_what_shapes_the_mesh_but_not_timeouts_tools_or_policies() {
        // given
        MeshSpec spec = MeshSpec.defaults();

        // when
        MeshSpec other = spec.toBuilder().timeouts(Timeouts.defaults().withCommand(Duration.ofSeconds(1)))
                .reuse(ReusePolicy.NEVER).cleanup(CleanupPolicy.ALWAYS)
                .tools(ToolPaths.onPath().withSearchPath("/opt/bin")).build();

        // then
        assertThat(Fingerprint.of(other)).isEqualTo(Fingerprint.of(spec));
        assertThat(Fingerprint.of(other).hash()).isEqualTo(Fingerprint.of(spec).hash()).hasSize(16);
    }

    @Test
    void fingerprint_changes_name_each_field_and_tell_node_level_from_istio() {
        // given
        Fingerprint recorded = Fingerprint.of(MeshSpec.defaults());

        // when
        Fingerprint requested = Fingerprint.of(MeshSpec.builder().istioVersion("1.29.0").kubernetesVersion("v1.34.0").build());

        // then
        assertThat(requested.changesFrom(recorded)).extracting(Fingerprint.Change::toString)
                .containsExactly("mcmesh.kubernetes.version: 1.35.1 -> 1.34.0", "mcmesh.istio.version: 1.30.3 -> 1.29.0");
        assertThat(requested.changesFrom(recorded)).extracting(Fingerprint.Change::isNodeLevel).containsExactly(true, false);
        assertThat(requested.hash()).isNotEqualTo(recorded.hash());
    }

    @Test
    void further_clusters_follow_the_default_layout_by_position() {
        // when
        MeshSpec spec = MeshSpec.builder().clusters("a1", "b2", "c3").build();

        // then
        assertThat(spec.clusters()).extracting(c -> c.podCidr().toString())
                .containsExactly("10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16");
        assertThat(spec.clusters()).extracting(ClusterSpec::staticIp)
                .containsExactly("192.168.200.2", "192.168.200.3", "192.168.200.4");
    }

    @Test
    void a_changed_region_or_zone_is_node_level_drift_for_minikube_and_no_drift_for_existing_clusters() {
        // given
        Fingerprint recorded = Fingerprint.of(MeshSpec.defaults());

        // when
        var drift = Fingerprint.of(MeshSpec.builder().cluster("mcmesh-east", c -> c.zone("mcmesh-east-b")).clusters("mcmesh-west")
                .build()).changesFrom(recorded);
        var existing = Fingerprint.of(MeshSpec.builder().provider(Provider.EXISTING)
                .cluster("mcmesh-east", c -> c.region("eu-west")).clusters("mcmesh-west").build())
                .changesFrom(Fingerprint.of(MeshSpec.builder().provider(Provider.EXISTING).build()));

        // then
        assertThat(drift).singleElement().satisfies(change -> {
            assertThat(change).hasToString("clusters[mcmesh-east].zone: mcmesh-east-a -> mcmesh-east-b");
            assertThat(change.isNodeLevel()).isTrue();
        });
        assertThat(existing).isEmpty();
    }
}
