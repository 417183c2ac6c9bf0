package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.spec.CleanupPolicy;
import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.ReusePolicy;
import io.github.mcmesh.spec.TrustMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshConfigurationTest {

    @Test
    void the_environment_beats_configuration_parameters_which_beat_the_annotation() {
        // given
        Map<String, String> parameters = Map.of("mcmesh.istio.version", "1.30.2", "mcmesh.reuse", "never");
        Map<String, String> environment = Map.of("MCMESH_ISTIO_VERSION", "1.30.1");
        ConfigSource overrides = MeshConfiguration.overrides(key -> Optional.ofNullable(parameters.get(key)), environment);

        // when
        MeshSpec spec = MeshConfiguration.specFor(WriteUp.class, annotationOf(WriteUp.class), overrides);

        // then
        assertThat(spec.istioVersion()).hasToString("1.30.1");
        assertThat(spec.reuse()).isEqualTo(ReusePolicy.NEVER);
        assertThat(spec.trust()).isEqualTo(TrustMode.PLAINTEXT);
    }

    @Test
    void applies_every_annotation_attribute() {
        // when
        MeshSpec spec = MeshConfiguration.specFor(WriteUp.class, annotationOf(WriteUp.class), ConfigSource.empty());

        // then
        assertThat(spec.clusterNames()).containsExactly("minikube", "test");
        assertThat(spec.cluster("minikube").orElseThrow().podCidr()).hasToString("10.10.0.0/16");
        assertThat(spec.cluster("test").orElseThrow().podCidr()).hasToString("10.20.0.0/16");
        assertThat(spec.cluster("test").orElseThrow().serviceCidr()).hasToString("10.255.21.0/24");
        assertThat(spec.kubernetesVersion()).hasToString("1.34.0");
        assertThat(spec.istioVersion()).hasToString("1.29.0");
        assertThat(spec.provider()).isEqualTo(Provider.MINIKUBE);
        assertThat(spec.driver()).isEqualTo("kvm2");
        assertThat(spec.trust()).isEqualTo(TrustMode.PLAINTEXT);
        assertThat(spec.dnsProxying()).isFalse();
        assertThat(spec.reuse()).isEqualTo(ReusePolicy.REQUIRED);
        assertThat(spec.cleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
        assertThat(spec.namespaceCleanup()).isEqualTo(CleanupPolicy.NEVER);
        assertThat(List.of(spec.timeouts().clusterStart(), spec.timeouts().istioInstall(), spec.timeouts().meshReady()))
                .containsOnly(Duration.ofMinutes(20));
    }

    @Test
    void leaves_the_specification_defaults_for_attributes_not_set() {
        // when
        MeshSpec spec = MeshConfiguration.specFor(Defaults.class, annotationOf(Defaults.class), ConfigSource.empty());

        // then
        assertThat(spec).isEqualTo(MeshSpec.defaults());
    }

    @Test
    void the_annotation_enums_offer_exactly_the_specification_values() {
        assertThat(namesWithoutDefault(MultiClusterMesh.Provider.values())).isEqualTo(names(Provider.values()));
        assertThat(namesWithoutDefault(MultiClusterMesh.Trust.values())).isEqualTo(names(TrustMode.values()));
        assertThat(namesWithoutDefault(MultiClusterMesh.Reuse.values())).isEqualTo(names(ReusePolicy.values()));
        assertThat(namesWithoutDefault(MultiClusterMesh.Cleanup.values())).containsExactlyInAnyOrderElementsOf(
                names(CleanupPolicy.values()));
    }

    private static MultiClusterMesh annotationOf(Class<?> testClass) {
        return testClass.getAnnotation(MultiClusterMesh.class);
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static List<String> namesWithoutDefault(Enum<?>[] values) {
        return names(values).stream().filter(name -> !name.equals("DEFAULT")).toList();
    }

    @MultiClusterMesh(clusters = {@Cluster(name = "minikube"), @Cluster(name = "test", serviceCidr = "10.255.21.0/24")},
            kubernetesVersion = "v1.34.0", istioVersion = "1.29.0", provider = MultiClusterMesh.Provider.MINIKUBE,
            driver = "kvm2", trust = MultiClusterMesh.Trust.PLAINTEXT, dnsProxying = MultiClusterMesh.Toggle.OFF,
            reuse = MultiClusterMesh.Reuse.REQUIRED, cleanup = MultiClusterMesh.Cleanup.ON_SUCCESS,
            namespaceCleanup = MultiClusterMesh.Cleanup.NEVER, timeout = "20m")
    static class WriteUp {
    }

    @MultiClusterMesh
    static class Defaults {
    }
}
