package io.github.mcmesh.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcmesh.exec.Command;
import io.github.mcmesh.exec.CommandFailedException;
import io.github.mcmesh.exec.Tool;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.TrustMode;
import io.github.mcmesh.spec.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinikubeTest {

    static final Version MINIKUBE = Version.parse("1.38.1");

    /** The write-up's setup with the corrections today's tools need (kindnet, distinct service ranges, bridges outside the pod ranges). */
    static MeshSpec writeUpSpec() {
        return MeshSpec.builder()
                .cluster("minikube", c -> c.podCidr("172.17.0.0/16").serviceCidr("10.96.17.0/24").bridge("10.254.17.1/24"))
                .cluster("test", c -> c.podCidr("172.18.0.0/16").serviceCidr("10.96.18.0/24").bridge("10.254.18.1/24"))
                .kubernetesVersion("1.26.8").istioVersion("1.18.2").trust(TrustMode.PLAINTEXT)
                .build();
    }

    @Test
    void start_arguments_for_the_default_spec_use_kindnet_the_shared_network_and_static_ips() {
        // given
        MeshSpec spec = MeshSpec.defaults();

        // when
        List<String> east = Minikube.startArguments(spec, spec.clusters().get(0), MINIKUBE);
        List<String> west = Minikube.startArguments(spec, spec.clusters().get(1), MINIKUBE);

        // then
        assertThat(String.join(" ", east)).isEqualTo("start -p mcmesh-east --driver=docker --container-runtime=docker"
                + " --kubernetes-version=v1.35.1 --cni=kindnet --extra-config=kubeadm.pod-network-cidr=10.10.0.0/16"
                + " --service-cluster-ip-range=10.255.10.0/24 --memory=4096 --cpus=2 --network=mcmesh"
                + " --static-ip=192.168.200.2 --keep-context --wait=all");
        assertThat(String.join(" ", west)).isEqualTo("start -p mcmesh-west --driver=docker --container-runtime=docker"
                + " --kubernetes-version=v1.35.1 --cni=kindnet --extra-config=kubeadm.pod-network-cidr=10.20.0.0/16"
                + " --service-cluster-ip-range=10.255.20.0/24 --memory=4096 --cpus=2 --network=mcmesh"
                + " --static-ip=192.168.200.3 --keep-context --wait=all");
    }

    @Test
    void start_arguments_for_the_write_up_spec_force_kubernetes_1_26_and_set_the_bridge() {
        // given
        MeshSpec spec = writeUpSpec();

        // when
        List<String> test = Minikube.startArguments(spec, spec.cluster("test").orElseThrow(), MINIKUBE);

        // then
        assertThat(String.join(" ", test)).isEqualTo("start -p test --driver=docker --container-runtime=docker"
                + " --kubernetes-version=v1.26.8 --cni=kindnet --extra-config=kubeadm.pod-network-cidr=172.18.0.0/16"
                + " --service-cluster-ip-range=10.96.18.0/24 --memory=4096 --cpus=2 --docker-opt=bip=10.254.18.1/24"
                + " --network=mcmesh --static-ip=192.168.200.3 --force --keep-context --wait=all");
    }

    @Test
    void vm_drivers_get_the_network_but_no_static_ip() {
        // given
        MeshSpec spec = MeshSpec.builder().driver("kvm2").build();

        // when
        List<String> args = Minikube.startArguments(spec, spec.clusters().get(0), MINIKUBE);

        // then
        assertThat(args).contains("--driver=kvm2", "--network=mcmesh").noneMatch(arg -> arg.startsWith("--static-ip"));
        assertThat(Minikube.startArguments(MeshSpec.builder().driver("hyperkit").build(), spec.clusters().get(0), MINIKUBE))
                .noneMatch(arg -> arg.startsWith("--network") || arg.startsWith("--static-ip"));
    }

    @Test
    void force_is_needed_only_below_the_oldest_kubernetes_of_the_minikube_in_use() {
        assertThat(Minikube.needsForce(Version.parse("1.37.0"), Version.parse("1.26.8"))).isTrue();
        assertThat(Minikube.needsForce(Version.parse("1.37.0"), Version.parse("1.28.0"))).isFalse();
        assertThat(Minikube.needsForce(Version.parse("1.36.0"), Version.parse("1.26.8"))).isFalse();
    }

    @Test
    void rejects_a_minikube_too_old_for_the_requested_kubernetes_naming_the_minimum() {
        assertThatThrownBy(() -> Minikube.requireSupports(Version.parse("1.34.0"), Version.parse("1.35.1")))
                .hasMessageContaining("minikube 1.34.0 is too old for Kubernetes v1.35.1")
                .hasMessageContaining("supports up to v1.31.0")
                .hasMessageContaining("install minikube 1.38.0 or newer");
        Minikube.requireSupports(Version.parse("1.38.1"), Version.parse("1.35.1"));
        Minikube.requireSupports(Version.parse("1.40.0"), Version.parse("1.35.1"));
    }

    @Test
    void reads_status_profiles_ip_and_routes_from_the_fake_like_from_minikube(@TempDir Path tmp) {
        // given
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            MeshSpec spec = fixture.spec();
            Minikube minikube = new Minikube(fixture.runner(), spec.timeouts(), java.util.Map.of());

            // when: nothing exists yet
            // then
            assertThat(minikube.status("mcmesh-east").exists()).isFalse();
            assertThat(minikube.profiles()).isEmpty();

            // when
            minikube.start(spec, spec.clusters().get(0), MINIKUBE);
            minikube.replaceRoute("mcmesh-east", Cidr.parse("10.20.0.0/16"), "192.168.200.3");
            minikube.replaceRoute("mcmesh-east", Cidr.parse("10.20.0.0/16"), "192.168.200.3");

            // then
            assertThat(minikube.status("mcmesh-east")).isEqualTo(new Minikube.ProfileStatus(true, true, "Running", "Running"));
            assertThat(minikube.profiles()).singleElement().satisfies(profile -> {
                assertThat(profile.running()).isTrue();
                assertThat(profile.kubernetesVersion()).isEqualTo("v1.35.1");
                assertThat(profile.podCidr()).isEqualTo("10.10.0.0/16");
                assertThat(profile.serviceCidr()).isEqualTo("10.255.10.0/24");
                assertThat(profile.staticIp()).isEqualTo("192.168.200.2");
            });
            assertThat(minikube.ip("mcmesh-east")).isEqualTo("192.168.200.2");
            assertThat(minikube.routes("mcmesh-east")).containsOnlyOnce("10.20.0.0/16 via 192.168.200.3 dev eth0")
                    .allMatch(line -> !line.endsWith("\r"));
            assertThat(fixture.fakes().invocationsOf("minikube")).contains(
                    "minikube ssh -p mcmesh-east -- sudo ip route replace 10.20.0.0/16 via 192.168.200.3");
        }
    }

    @Test
    void the_fake_rejects_flags_minikube_does_not_have_like_minikube(@TempDir Path tmp) {
        // given
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            // when / then
            assertThatThrownBy(() -> fixture.runner().run(Command.of(Tool.MINIKUBE, "start", "-p", "x", "--vm-drivr=docker")))
                    .isInstanceOfSatisfying(CommandFailedException.class, e -> {
                        assertThat(e.exitCode()).hasValue(14);
                        assertThat(e.getMessage()).contains("Error: unknown flag: --vm-drivr");
                    });
        }
    }

    @Test
    void start_arguments_add_mirrors_image_sources_and_then_the_pass_through_flags_as_written(@TempDir Path tmp) {
        // given
        MeshSpec spec = MeshSpec.builder().sources(Sources.defaults()
                        .withRegistryMirrors(List.of("https://mirror.example.com", "http://10.0.0.5:5000"))
                        .withImageMirrorCountry("cn").withImageRepository("registry.example.com/google_containers"))
                .passThrough(PassThrough.none().withMinikubeStartArgs(List.of("--disk-size=30g", "--insecure-registry=10.0.0.5:5000")))
                .build();

        // when
        List<String> args = Minikube.startArguments(spec, spec.clusters().get(0), MINIKUBE);

        // then
        assertThat(String.join(" ", args)).endsWith(" --keep-context --wait=all"
                + " --registry-mirror=https://mirror.example.com --registry-mirror=http://10.0.0.5:5000"
                + " --image-mirror-country=cn --image-repository=registry.example.com/google_containers"
                + " --disk-size=30g --insecure-registry=10.0.0.5:5000");
        try (MeshFixture fixture = MeshFixture.create(tmp, spec)) {
            // when the fake minikube (which knows these flags of start_flags.go) runs them
            new Minikube(fixture.runner(), fixture.spec().timeouts(), Map.of()).start(fixture.spec(), spec.clusters().get(0), MINIKUBE);

            // then it recorded each mirror
            assertThat(fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-east/args")).content()
                    .contains("registry-mirror=https://mirror.example.com\nregistry-mirror=http://10.0.0.5:5000")
                    .contains("image-mirror-country=cn").contains("disk-size=30g");
        }
    }

    @Test
    void a_node_label_is_saved_in_the_profile_and_read_back_from_profile_list(@TempDir Path tmp) {
        // given
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            MeshSpec spec = fixture.spec();
            Minikube minikube = new Minikube(fixture.runner(), spec.timeouts(), Map.of());

            // when
            minikube.start(spec, spec.clusters().get(0), MINIKUBE, java.util.Optional.of("mcmesh.github.io/creation-id=abc-123"));

            // then
            assertThat(fixture.fakes().invocationsOf("minikube")).anyMatch(line -> line.startsWith("minikube start -p mcmesh-east ")
                    && line.endsWith(" --wait=all --extra-config=kubelet.node-labels=mcmesh.github.io/creation-id=abc-123"));
            assertThat(minikube.profiles()).singleElement().satisfies(profile -> {
                assertThat(profile.nodeLabels()).containsExactly("mcmesh.github.io/creation-id=abc-123");
                assertThat(profile.podCidr()).isEqualTo("10.10.0.0/16");
            });
        }
    }

    @Test
    void a_node_label_joins_the_kubelet_node_labels_the_user_passes_through_instead_of_a_second_flag() {
        // given
        List<String> arguments = List.of("start", "-p", "mcmesh-east", "--extra-config=kubelet.node-labels=team=payments",
                "--disk-size=30g");

        // when
        List<String> labelled = Minikube.withNodeLabel(arguments, "mcmesh.github.io/creation-id=abc-123");

        // then
        assertThat(labelled).containsExactly("start", "-p", "mcmesh-east",
                "--extra-config=kubelet.node-labels=team=payments,mcmesh.github.io/creation-id=abc-123", "--disk-size=30g");
    }
}
