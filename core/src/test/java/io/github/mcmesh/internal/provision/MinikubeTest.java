package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandFailedException;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.TrustMode;
import io.github.mcmesh.spec.Version;
import io.github.mcmesh.testing.MockKubeconfig;
import java.nio.file.Files;
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
                + " --static-ip=192.168.200.2 --keep-context --wait=all"
                + " --extra-config=kubelet.node-labels=topology.kubernetes.io/region=mcmesh-east,topology.kubernetes.io/zone=mcmesh-east-a");
        assertThat(String.join(" ", west)).isEqualTo("start -p mcmesh-west --driver=docker --container-runtime=docker"
                + " --kubernetes-version=v1.35.1 --cni=kindnet --extra-config=kubeadm.pod-network-cidr=10.20.0.0/16"
                + " --service-cluster-ip-range=10.255.20.0/24 --memory=4096 --cpus=2 --network=mcmesh"
                + " --static-ip=192.168.200.3 --keep-context --wait=all"
                + " --extra-config=kubelet.node-labels=topology.kubernetes.io/region=mcmesh-west,topology.kubernetes.io/zone=mcmesh-west-a");
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
                + " --network=mcmesh --static-ip=192.168.200.3 --force --keep-context --wait=all"
                + " --extra-config=kubelet.node-labels=topology.kubernetes.io/region=test,topology.kubernetes.io/zone=test-a");
    }

    @Test
    void a_set_region_and_zone_become_the_kubelet_node_labels_istio_reads_for_locality() {
        // given
        MeshSpec spec = MeshSpec.builder().cluster("east", c -> c.region("eu-west").zone("eu-west-b")).clusters("west").build();

        // when
        List<String> east = Minikube.startArguments(spec, spec.cluster("east").orElseThrow(), MINIKUBE);

        // then one flag: the kubelet takes one --node-labels value, comma-separated
        assertThat(east).filteredOn(arg -> arg.startsWith("--extra-config=kubelet.")).containsExactly(
                "--extra-config=kubelet.node-labels=topology.kubernetes.io/region=eu-west,topology.kubernetes.io/zone=eu-west-b");
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
            Minikube minikube = fixture.minikube();

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
    void the_fake_minikube_writes_the_kube_context_at_start_and_removes_it_at_delete_keeping_the_users_own(@TempDir Path tmp)
            throws Exception {
        // given: a kubeconfig holding only the user's own context
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            MeshSpec spec = fixture.spec();
            Minikube minikube = fixture.minikube();
            assertThat(KubeAccess.config(spec.kubeconfig(), "mcmesh-east")).isEmpty();

            // when
            minikube.start(spec, spec.clusters().get(0), MINIKUBE);

            // then: context, cluster and user named after the profile, the current context left alone (--keep-context)
            io.fabric8.kubernetes.client.Config east = KubeAccess.config(spec.kubeconfig(), "mcmesh-east").orElseThrow();
            assertThat(east.getMasterUrl()).isEqualTo(MockKubeconfig.serverUrl(fixture.server("mcmesh-east")) + "/");
            assertThat(east.getAutoOAuthToken()).isEqualTo(MockKubeconfig.token("mcmesh-east"));
            assertThat(east.getCurrentContext().getContext().getCluster()).isEqualTo("mcmesh-east");
            assertThat(Files.readString(spec.kubeconfig().orElseThrow())).contains("current-context: user-own");
            assertThat(KubeAccess.config(spec.kubeconfig(), "user-own")).isPresent();
            assertThat(Files.getPosixFilePermissions(spec.kubeconfig().orElseThrow())).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

            // when
            minikube.delete("mcmesh-east");

            // then
            assertThat(KubeAccess.config(spec.kubeconfig(), "mcmesh-east")).isEmpty();
            assertThat(KubeAccess.config(spec.kubeconfig(), "user-own")).isPresent();
        }
    }

    @Test
    void a_running_profile_whose_kube_context_is_gone_is_not_running_as_minikube_status_says(@TempDir Path tmp) throws Exception {
        // given: a started profile, then its context removed from the kubeconfig (a start killed before it wrote it)
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            MeshSpec spec = fixture.spec();
            Minikube minikube = fixture.minikube();
            minikube.start(spec, spec.clusters().get(0), MINIKUBE);
            MockKubeconfig.writeUsersOwn(spec.kubeconfig().orElseThrow());

            // when
            Minikube.ProfileStatus status = minikube.status("mcmesh-east");

            // then: the host runs, but status exits 4 (Kubeconfig: Misconfigured), so a start is due
            assertThat(status).isEqualTo(new Minikube.ProfileStatus(true, false, "Running", "Running"));
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
                + " --disk-size=30g --insecure-registry=10.0.0.5:5000"
                + " --extra-config=kubelet.node-labels=topology.kubernetes.io/region=mcmesh-east,topology.kubernetes.io/zone=mcmesh-east-a");
        try (MeshFixture fixture = MeshFixture.create(tmp, spec)) {
            // when the fake minikube (which knows these flags of start_flags.go) runs them
            fixture.minikube().start(fixture.spec(), spec.clusters().get(0), MINIKUBE);

            // then it recorded each mirror
            assertThat(fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-east/args")).content()
                    .contains("registry-mirror=https://mirror.example.com\nregistry-mirror=http://10.0.0.5:5000")
                    .contains("image-mirror-country=cn").contains("disk-size=30g");
        }
    }
    private static CommandFailedException startFails(MeshFixture fixture, String... args) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> fixture.runner().run(Command.of(Tool.MINIKUBE,
                java.util.stream.Stream.concat(java.util.stream.Stream.of("start", "-p", "mcmesh-east"),
                        java.util.Arrays.stream(args)).toList())));
        assertThat(error).isInstanceOf(CommandFailedException.class);
        return (CommandFailedException) error;
    }

    private static void minikubeVersion(MeshFixture fixture, String version) throws java.io.IOException {
        java.nio.file.Files.createDirectories(fixture.fakes().stateDirectory().resolve("minikube"));
        fixture.fakes().steer("minikube/version", version);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"v1.37.0, v1.34.1, v1.34.0", "v1.38.0, v1.35.1, v1.35.0"})
    void the_fake_minikube_offline_exits_40_for_a_kubernetes_newer_than_it_knows_unless_forced(String minikube,
            String kubernetes, String newest, @TempDir Path tmp) throws Exception {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            // given
            minikubeVersion(fixture, minikube);

            // when
            CommandFailedException e = startFails(fixture, "--driver=docker", "--kubernetes-version=" + kubernetes);

            // then (start.go validateKubernetesVersion: the GitHub lookup fails offline, reason.KubernetesNotConnect)
            assertThat(e.exitCode()).hasValue(40);
            assertThat(e.getMessage()).contains("Specified Kubernetes version " + kubernetes.substring(1)
                    + " is newer than the newest supported version: " + newest)
                    .contains("❌  Exiting due to K8S_FAIL_CONNECT: error fetching Kubernetes version list from GitHub: Get"
                            + " \"https://api.github.com/repos/kubernetes/kubernetes/releases/tags/" + kubernetes + "\"");
            fixture.runner().run(Command.of(Tool.MINIKUBE, "start", "-p", "mcmesh-east", "--driver=docker",
                    "--kubernetes-version=" + kubernetes, "--force"));
        }
    }

    @Test
    void kubernetes_newer_by_its_patch_only_than_the_minikube_knows_is_started_with_force() {
        // newest known (constants.go NewestKubernetesVersion): 1.37.0 v1.34.0, 1.38.0 v1.35.0, 1.38.1 v1.35.1
        assertThat(Minikube.needsForce(Version.parse("1.38.0"), Version.parse("1.35.1"))).isTrue();
        assertThat(Minikube.needsForce(Version.parse("1.37.0"), Version.parse("1.34.2"))).isTrue();
        assertThat(Minikube.needsForce(Version.parse("1.38.1"), Version.parse("1.35.1"))).isFalse();
        assertThat(Minikube.needsForce(Version.parse("1.38.0"), Version.parse("1.35.0"))).isFalse();
        assertThat(Minikube.newerByPatchOnly(Version.parse("1.40.0"), Version.parse("1.35.9")))
                .as("a minikube newer than the table: its list is unknown").isEmpty();
        MeshSpec spec = MeshSpec.defaults();
        assertThat(Minikube.startArguments(spec, spec.clusters().get(0), Version.parse("1.38.0"))).contains("--force");
        assertThat(Minikube.startArguments(spec, spec.clusters().get(0), Version.parse("1.38.1"))).doesNotContain("--force");
    }

    @Test
    void minikube_1_38_0_starts_the_default_kubernetes_with_force_and_says_why(@TempDir Path tmp) throws Exception {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults());
                io.github.mcmesh.testing.LogCapture logs = new io.github.mcmesh.testing.LogCapture()) {
            // given minikube 1.38.0, which knows v1.35.0 at most, on an offline host
            minikubeVersion(fixture, "v1.38.0");
            MeshSpec spec = fixture.spec();

            // when
            fixture.minikube().start(spec, spec.clusters().get(0), Version.parse("1.38.0"));

            // then
            assertThat(fixture.fakes().invocationsOf("minikube")).singleElement().asString().contains(" --force ");
            assertThat(logs.lines()).anyMatch(line -> line.contains("[mcmesh-east] Kubernetes v1.35.1 is newer than minikube"
                    + " 1.38.0 knows (v1.35.0) by its patch release only; starting with --force, because minikube would look"
                    + " the release up on GitHub and, offline, exit with K8S_FAIL_CONNECT (40). minikube 1.38.1 knows it"
                    + " without a lookup."));
        }
    }

    @Test
    void qemu_drivers_get_the_socket_vmnet_network_mode_not_the_mesh_network_name() {
        MeshSpec spec = MeshSpec.builder().driver("qemu2").build();

        assertThat(Minikube.startArguments(spec, spec.clusters().get(0), MINIKUBE)).contains("--network=socket_vmnet")
                .noneMatch(arg -> arg.startsWith("--static-ip"));
    }

    @Test
    void the_fake_minikube_takes_only_qemu_network_modes_like_validate_qemu_network(@TempDir Path tmp) throws Exception {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            // when / then (start_flags.go validateQemuNetwork, exit.Message(reason.Usage, ...): exit 14)
            CommandFailedException named = startFails(fixture, "--driver=qemu2", "--network=mcmesh");
            assertThat(named.exitCode()).hasValue(14);
            assertThat(named.getMessage()).contains("❌  Exiting due to MK_USAGE: --network with QEMU must be 'builtin' or 'socket_vmnet'");
            CommandFailedException linux = startFails(fixture, "--driver=qemu2", "--network=socket_vmnet");
            assertThat(linux.exitCode()).hasValue(14);
            assertThat(linux.getMessage()).contains("❌  Exiting due to MK_USAGE: The socket_vmnet network is only supported on macOS");
            fixture.fakes().steer("minikube/goos", "darwin");
            fixture.runner().run(Command.of(Tool.MINIKUBE, "start", "-p", "mcmesh-east", "--driver=qemu2", "--network=socket_vmnet"));
        }
    }

    @Test
    void the_fake_minikube_rejects_static_ips_and_mirror_countries_like_minikube(@TempDir Path tmp) {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            // start.go validateStaticIP, exit 14
            for (String ip : List.of("192.168.201.255", "192.168.201.1", "192.168.201.0")) {
                CommandFailedException e = startFails(fixture, "--driver=docker", "--static-ip=" + ip);
                assertThat(e.exitCode()).hasValue(14);
                assertThat(e.getMessage()).contains("❌  Exiting due to MK_USAGE: static IPs last octet must be between 2 and 254"
                        + " (X.X.X.2 - X.X.X.254), for example 192.168.200.200");
            }
            CommandFailedException publicIp = startFails(fixture, "--driver=docker", "--static-ip=8.8.8.8");
            assertThat(publicIp.exitCode()).hasValue(14);
            assertThat(publicIp.getMessage()).contains("❌  Exiting due to MK_USAGE: static IP must be private");
            // start.go selectImageRepository through start_flags.go, reason.InetRepo: exit 40
            CommandFailedException country = startFails(fixture, "--driver=docker", "--image-mirror-country=de");
            assertThat(country.exitCode()).hasValue(40);
            assertThat(country.getMessage()).contains("❌  Exiting due to INET_REPO: Failed to check main repository and"
                    + " mirrors for images: invalid image mirror country code: de");
        }
    }

    @Test
    void the_fake_minikube_knows_the_start_flags_of_each_release(@TempDir Path tmp) throws Exception {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            // given minikube 1.37.0, before start_flags.go gained --preload-source (v1.38.0)
            minikubeVersion(fixture, "v1.37.0");

            // when / then
            CommandFailedException e = startFails(fixture, "--driver=docker", "--kubernetes-version=v1.34.0",
                    "--preload-source=github");
            assertThat(e.exitCode()).hasValue(14);
            assertThat(e.getMessage()).contains("Error: unknown flag: --preload-source");
            minikubeVersion(fixture, "v1.38.0");
            fixture.runner().run(Command.of(Tool.MINIKUBE, "start", "-p", "mcmesh-east", "--driver=docker",
                    "--kubernetes-version=v1.35.0", "--preload-source=github"));
        }
    }

    @Test
    void gateway_routes_are_read_from_ip_route_show_lines_whatever_follows_them() {
        // iproute2 prints the device the kernel chose after the gateway
        var routes = Minikube.gatewayRoutes(List.of("default via 192.168.200.1 dev eth0 ",
                "10.20.0.0/16 via 192.168.200.3 dev eth0 ", "10.255.20.0/24 via 192.168.200.3 dev eth0 proto static metric 10",
                "10.10.0.0/24 dev bridge proto kernel scope link src 10.10.0.1", "192.168.200.9 via 192.168.200.3 dev eth0",
                "unreachable 10.99.0.0/16"));

        assertThat(routes).containsExactly(new Minikube.Route(Cidr.parse("10.20.0.0/16"), "192.168.200.3"),
                new Minikube.Route(Cidr.parse("10.255.20.0/24"), "192.168.200.3"),
                new Minikube.Route(Cidr.parse("192.168.200.9/32"), "192.168.200.3"));
    }
    @Test
    void the_fake_minikube_drops_the_static_ip_where_minikube_finds_no_gateway(@TempDir Path tmp) throws Exception {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            Minikube minikube = fixture.minikube();
            // given a network made with --subnet alone on Docker 28 (inspect: no Gateway)
            fixture.runner().run(Command.of(Tool.DOCKER, "network", "create", "--subnet=192.168.200.0/24", "mcmesh"));

            // when
            fixture.runner().run(Command.of(Tool.MINIKUBE, "start", "-p", "mcmesh-east", "--driver=docker",
                    "--network=mcmesh", "--static-ip=192.168.200.2"));
            fixture.runner().run(Command.of(Tool.MINIKUBE, "start", "-p", "mcmesh-west", "--driver=docker",
                    "--network=bridge", "--static-ip=192.168.200.3"));

            // then (kic.go: no gateway, no --network/--ip for docker run): default-bridge addresses, static IPs recorded
            assertThat(minikube.ip("mcmesh-east")).isEqualTo("172.17.0.2");
            assertThat(minikube.ip("mcmesh-west")).isEqualTo("172.17.0.3");
            assertThat(minikube.profiles()).extracting(Minikube.Profile::staticIp).containsExactlyInAnyOrder("192.168.200.2",
                    "192.168.200.3");
        }
    }

    @Test
    void a_node_label_is_saved_in_the_profile_and_read_back_from_profile_list(@TempDir Path tmp) {
        // given
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            MeshSpec spec = fixture.spec();
            Minikube minikube = fixture.minikube();

            // when
            minikube.start(spec, spec.clusters().get(0), MINIKUBE, java.util.Optional.of("mcmesh.github.io/creation-id=abc-123"));

            // then
            assertThat(fixture.fakes().invocationsOf("minikube")).anyMatch(line -> line.startsWith("minikube start -p mcmesh-east ")
                    && line.endsWith(" --wait=all --extra-config=kubelet.node-labels=topology.kubernetes.io/region=mcmesh-east,"
                            + "topology.kubernetes.io/zone=mcmesh-east-a,mcmesh.github.io/creation-id=abc-123"));
            assertThat(minikube.profiles()).singleElement().satisfies(profile -> {
                assertThat(profile.nodeLabels()).containsExactly("topology.kubernetes.io/region=mcmesh-east",
                        "topology.kubernetes.io/zone=mcmesh-east-a", "mcmesh.github.io/creation-id=abc-123");
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
