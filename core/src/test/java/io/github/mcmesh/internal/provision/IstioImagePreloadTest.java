package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.testing.FakeTools;
import io.github.mcmesh.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcmesh.preload.istio.images}: istiod's and the sidecar's images pulled once into this
 * machine's docker daemon, beside the starts, and loaded into each cluster after its own start
 * (while it connects and routes), before its Istio install; with the real Istio layer, so the
 * images are the chart's names.
 */
class IstioImagePreloadTest {

    private static final String PILOT_1_30 = "registry.istio.io/release/pilot:1.30.3";
    private static final String PROXY_1_30 = "registry.istio.io/release/proxyv2:1.30.3";
    private static final String PILOT_ID = "sha256:" + "a".repeat(64);
    private static final String PROXY_ID = "sha256:" + "b".repeat(64);

    @TempDir
    Path tmp;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private MeshFixture fixture;

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static MeshSpec preloading(MeshSpec.Builder builder) {
        return builder.sources(Sources.defaults().withPreloadIstioImages(true)).build();
    }

    /** What the registries serve to the fake docker's {@code pull}: without this file the host is offline. */
    private void registry(String... lines) throws IOException {
        write("docker/registry", lines);
    }

    private void write(String file, String... lines) throws IOException {
        Path path = fixture.fakes().stateDirectory().resolve(file);
        Files.createDirectories(path.getParent());
        Files.write(path, List.of(lines));
    }

    private List<String> tools() {
        return fixture.fakes().invocations();
    }

    private List<String> imageCommands() {
        return tools().stream().filter(line -> line.startsWith("docker pull") || line.startsWith("docker image")
                || line.startsWith("minikube image")).toList();
    }

    private int indexOf(String prefix) {
        List<String> all = tools();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no '" + prefix + "' in " + all);
    }

    private int firstIstiodInstall(String cluster) {
        List<String> all = tools();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("helm upgrade --install istiod ") && all.get(i).contains("--kube-context " + cluster)) {
                return i;
            }
        }
        throw new AssertionError("no istiod install into " + cluster + " in " + all);
    }

    @Test
    void pulls_istiods_and_the_sidecars_images_once_and_loads_them_into_each_cluster_after_its_start() throws IOException {
        // given the registry has Istio 1.30.3's images, this machine's daemon has none
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder()));
        registry(PILOT_1_30 + " " + PILOT_ID, PROXY_1_30 + " " + PROXY_ID);

        // when
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();

        // then each image is pulled once, and loaded into each cluster in one call
        assertThat(tools()).filteredOn(line -> line.startsWith("docker pull"))
                .containsExactly("docker pull --quiet " + PILOT_1_30, "docker pull --quiet " + PROXY_1_30);
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            String load = "minikube image load -p " + cluster + " --daemon " + PILOT_1_30 + " " + PROXY_1_30;
            assertThat(tools()).filteredOn(line -> line.startsWith("minikube image load")).contains(load);
            // after its own start and the pull, before its istiod release
            assertThat(indexOf(load)).isGreaterThan(indexOf("minikube start -p " + cluster + " "))
                    .isGreaterThan(indexOf("docker pull --quiet " + PROXY_1_30))
                    .isLessThan(firstIstiodInstall(cluster));
            assertThat(Files.readAllLines(fixture.fakes().stateDirectory().resolve("minikube/profiles/" + cluster + "/images")))
                    .contains(PILOT_1_30 + " " + "a".repeat(64), PROXY_1_30 + " " + "b".repeat(64));
        }
    }

    @Test
    void a_cluster_connects_and_routes_while_its_images_load_and_installs_istiod_after() throws IOException {
        // given a load that takes five seconds
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder()));
        registry(PILOT_1_30 + " " + PILOT_ID, PROXY_1_30 + " " + PROXY_ID);
        fixture.fakes().steer("delay-minikube-image-load", "5");

        // when
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();

        // then the routes do not wait for the load, istiod does
        List<FakeTools.TimedInvocation> timed = fixture.fakes().timedInvocations();
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            FakeTools.TimedInvocation load = timed.stream()
                    .filter(call -> call.line().startsWith("minikube image load -p " + cluster + " ")).findFirst().orElseThrow();
            FakeTools.TimedInvocation route = timed.stream()
                    .filter(call -> call.line().startsWith("docker exec " + cluster + " ip route replace")).findFirst()
                    .orElseThrow();
            FakeTools.TimedInvocation istiod = timed.stream().filter(call -> call.line().startsWith("helm upgrade --install istiod ")
                    && call.line().contains("--kube-context " + cluster)).findFirst().orElseThrow();
            assertThat(route.beginMicros()).as(cluster + "'s first route").isLessThan(load.endMicros());
            assertThat(istiod.beginMicros()).as(cluster + "'s istiod").isGreaterThanOrEqualTo(load.endMicros());
        }
    }

    @Test
    void pulls_nothing_the_daemon_has_and_loads_nothing_a_node_has_under_the_same_id() throws IOException {
        // given a mesh provisioned with the preload
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder()));
        registry(PILOT_1_30 + " " + PILOT_ID, PROXY_1_30 + " " + PROXY_ID);
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();
        int before = tools().size();

        // when it is provisioned again without the warm path (a marker is gone)
        try (var client = fixture.client("mcmesh-east")) {
            client.configMaps().inNamespace(ClusterMarker.NAMESPACE).withName(ClusterMarker.NAME).delete();
        }
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();

        // then the daemon and the nodes are only asked
        List<String> since = tools().subList(before, tools().size());
        assertThat(since).noneMatch(line -> line.startsWith("docker pull") || line.startsWith("minikube image load"));
        assertThat(since).contains("minikube image ls --format json -p mcmesh-east", "minikube image ls --format json -p mcmesh-west");
    }

    @Test
    void a_mesh_on_istio_1_18_pulls_the_images_from_docker_hub_as_its_chart_names_them() throws IOException {
        // given
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder().kubernetesVersion("1.26.8").istioVersion("1.18.2")));
        registry("docker.io/istio/pilot:1.18.2 " + PILOT_ID, "docker.io/istio/proxyv2:1.18.2 " + PROXY_ID);

        // when
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(false)).provision().close();

        // then
        assertThat(tools()).filteredOn(line -> line.startsWith("docker pull") || line.startsWith("minikube image load"))
                .containsExactlyInAnyOrder("docker pull --quiet docker.io/istio/pilot:1.18.2",
                        "docker pull --quiet docker.io/istio/proxyv2:1.18.2",
                        "minikube image load -p mcmesh-east --daemon docker.io/istio/pilot:1.18.2 docker.io/istio/proxyv2:1.18.2",
                        "minikube image load -p mcmesh-west --daemon docker.io/istio/pilot:1.18.2 docker.io/istio/proxyv2:1.18.2");
    }

    @Test
    void a_pull_that_fails_offline_names_the_command_its_exit_code_stderr_and_the_setting_to_turn_off() {
        // given no registry is reachable (the fake docker's host is offline without state/docker/registry)
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder()));

        // when / then
        assertThatThrownBy(() -> fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("pull Istio images [" + PILOT_1_30 + ", " + PROXY_1_30 + "] failed: cannot pull "
                        + PILOT_1_30 + " into this machine's docker daemon for mcmesh.preload.istio.images: make its"
                        + " registry reachable (or set mcmesh.istio.hub to a mirror that has it), or set"
                        + " mcmesh.preload.istio.images=false to let each cluster pull its own images.")
                .hasMessageContaining("command failed with exit code 1")
                .hasMessageContaining("docker pull --quiet " + PILOT_1_30)
                .hasMessageContaining("Error response from daemon: Get \"https://registry.istio.io/v2/\": dial tcp:"
                        + " lookup registry.istio.io on 127.0.0.53:53: no such host");
        assertThat(tools()).noneMatch(line -> line.startsWith("helm upgrade --install istiod"));
    }

    @Test
    void a_tag_the_registry_lacks_fails_the_pull_with_the_daemons_message() throws IOException {
        // given the registry has another release's images
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder()));
        registry("registry.istio.io/release/pilot:1.30.2", "registry.istio.io/release/proxyv2:1.30.2");

        // when / then
        assertThatThrownBy(() -> fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("or set mcmesh.preload.istio.images=false")
                .hasMessageContaining("Error response from daemon: manifest for " + PILOT_1_30
                        + " not found: manifest unknown: manifest unknown");
    }

    @Test
    void without_the_setting_no_image_is_pulled_or_loaded_and_the_fingerprint_is_the_same() {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());

        // when
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();

        // then
        assertThat(imageCommands()).isEmpty();
        assertThat(Fingerprint.of(preloading(MeshSpec.builder()))).isEqualTo(Fingerprint.of(MeshSpec.defaults()));
    }

    @Test
    void turning_it_on_for_a_healthy_mesh_keeps_the_warm_path_since_the_nodes_run_istios_images_already() throws IOException {
        // given a mesh provisioned without the preload
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();
        registry(PILOT_1_30 + " " + PILOT_ID, PROXY_1_30 + " " + PROXY_ID);
        int before = tools().size();

        // when
        MeshSpec on = fixture.spec(builder -> builder.sources(Sources.defaults().withPreloadIstioImages(true)));
        fixture.provisionerWithRealIstio(on, fixture.clusterzSynced(true)).provision().close();

        // then
        assertThat(tools().subList(before, tools().size())).noneMatch(line -> line.startsWith("docker pull")
                || line.startsWith("minikube image") || line.startsWith("minikube start"));
    }

    @Test
    void the_existing_provider_loads_nothing_and_warns_once() {
        // given a layer naming two images
        fixture = MeshFixture.create(tmp, preloading(MeshSpec.builder().provider(Provider.EXISTING)));
        IstioLayer inMemory = fixture.istio();
        IstioLayer withImages = new IstioLayer() {
            @Override
            public List<Step> installSteps(String cluster) {
                return inMemory.installSteps(cluster);
            }

            @Override
            public List<String> images() {
                return List.of(PILOT_1_30, PROXY_1_30);
            }

            @Override
            public List<Step> remoteSecretSteps() {
                return inMemory.remoteSecretSteps();
            }

            @Override
            public boolean ready() {
                return inMemory.ready();
            }

            @Override
            public void uninstall(String cluster) {
                inMemory.uninstall(cluster);
            }
        };

        // when
        new MeshProvisioner(fixture.spec(), fixture.runner(fixture.spec()), (client, ns, pod, container, timeout, command) -> {
            throw new AssertionError("no pod exec expected");
        }, context -> withImages).provision().close();

        // then
        assertThat(tools()).isEmpty();
        assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(e -> e.getFormattedMessage()).filteredOn(m -> m.startsWith("mcmesh.preload.istio.images"))
                .containsExactly("mcmesh.preload.istio.images: provider EXISTING loads no images; each cluster pulls ["
                        + PILOT_1_30 + ", " + PROXY_1_30 + "] itself (load them into the clusters yourself, or set"
                        + " mcmesh.preload.istio.images=false)");
    }

    @Test
    void docker_is_a_required_tool_with_any_driver_when_the_images_are_pulled() {
        // given the qemu2 driver, whose node network mcmesh does not create with docker
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        MeshSpec qemu = MeshSpec.builder().driver("qemu2").build();

        // when / then
        assertThat(new MinikubeProvider(new ProvisioningContext(qemu, fixture.fakes().runner())).requiredTools())
                .containsExactly(Tool.MINIKUBE);
        assertThat(new MinikubeProvider(new ProvisioningContext(preloading(qemu.toBuilder()), fixture.fakes().runner()))
                .requiredTools()).containsExactly(Tool.MINIKUBE, Tool.DOCKER);
    }

    @Test
    void the_fake_docker_rejects_flags_pull_does_not_have_and_a_second_image() {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());

        // when
        CommandResult flag = fixture.fakes().runner().runAllowingFailure(Command.of(Tool.DOCKER, "pull", "--force", PILOT_1_30));
        CommandResult two = fixture.fakes().runner().runAllowingFailure(Command.of(Tool.DOCKER, "pull", PILOT_1_30, PROXY_1_30));

        // then docker/cli FlagErrorFunc (exit 125) and cli.ExactArgs(1)
        assertThat(flag.exitCode()).isEqualTo(125);
        assertThat(flag.stderr()).isEqualTo("unknown flag: --force\nSee 'docker pull --help'.\n");
        assertThat(two.exitCode()).isEqualTo(1);
        assertThat(two.stderr()).startsWith("docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS]"
                + " NAME[:TAG|@DIGEST]\n");
    }
}
