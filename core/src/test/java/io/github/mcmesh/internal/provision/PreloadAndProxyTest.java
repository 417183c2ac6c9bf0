package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.workload.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sample images preloaded with {@code minikube image load}, and the proxy variables minikube gets. */
class PreloadAndProxyTest {

    private static final String MIRRORED_CURL = "registry.example.com/curlimages/curl:8.16.0";

    @TempDir
    Path tmp;

    private MeshFixture fixture;

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private MeshSpec preloading() {
        return MeshSpec.builder().sources(Sources.defaults().withPreloadImages(true)
                .withSampleImages(Map.of("sleep", MIRRORED_CURL))).build();
    }

    /** The images this machine's docker daemon holds, as the fake minikube reads them. */
    private void hostImages(String... images) throws IOException {
        Path file = fixture.fakes().stateDirectory().resolve("docker/images");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(images));
    }

    private List<String> imageCommands() {
        return fixture.fakes().invocationsOf("minikube").stream().filter(line -> line.startsWith("minikube image")).toList();
    }

    @Test
    void loads_each_sample_image_once_per_cluster_and_skips_what_the_node_has() throws IOException {
        // given sleep overridden to a mirror, curl still on its default image, all images on this machine
        fixture = MeshFixture.create(tmp, preloading());
        hostImages(Samples.HELLOWORLD_IMAGE.formatted("v1"), Samples.HELLOWORLD_IMAGE.formatted("v2"), MIRRORED_CURL,
                Samples.CURL_IMAGE);

        // when
        fixture.provisioner().provision().close();

        // then one load per distinct image per cluster
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            assertThat(imageCommands()).filteredOn(line -> line.contains(" load "))
                    .filteredOn(line -> line.contains("-p " + cluster + " ")).containsExactly(
                            "minikube image load -p " + cluster + " registry.istio.io/release/examples-helloworld-v1:1.0",
                            "minikube image load -p " + cluster + " registry.istio.io/release/examples-helloworld-v2:1.0",
                            "minikube image load -p " + cluster + " " + MIRRORED_CURL,
                            "minikube image load -p " + cluster + " " + Samples.CURL_IMAGE);
        }

        // when the mesh is provisioned again without the warm path (a marker is gone)
        int before = imageCommands().size();
        try (var client = fixture.client("mcmesh-east")) {
            client.configMaps().inNamespace(ClusterMarker.NAMESPACE).withName(ClusterMarker.NAME).delete();
        }
        fixture.provisioner().provision().close();

        // then the step only lists the images and loads nothing
        assertThat(imageCommands().subList(before, imageCommands().size()))
                .containsExactlyInAnyOrder("minikube image ls -p mcmesh-east", "minikube image ls -p mcmesh-west");
    }

    @Test
    void a_mesh_on_istio_1_29_preloads_helloworld_from_docker_hub_as_its_samples_name_it() throws IOException {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.builder().istioVersion("1.29.6")
                .sources(Sources.defaults().withPreloadImages(true)).build());
        hostImages("docker.io/istio/examples-helloworld-v1:1.0", "docker.io/istio/examples-helloworld-v2:1.0",
                Samples.CURL_IMAGE);

        // when
        fixture.provisioner().provision().close();

        // then
        assertThat(imageCommands()).filteredOn(line -> line.contains(" load -p mcmesh-east ")).containsExactly(
                "minikube image load -p mcmesh-east docker.io/istio/examples-helloworld-v1:1.0",
                "minikube image load -p mcmesh-east docker.io/istio/examples-helloworld-v2:1.0",
                "minikube image load -p mcmesh-east " + Samples.CURL_IMAGE);
    }

    @Test
    void asking_for_preloading_on_a_warm_mesh_loads_the_images_without_recreating_a_cluster() throws IOException {
        // given a mesh provisioned without preloading
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        fixture.provisioner().provision().close();
        hostImages(Samples.HELLOWORLD_IMAGE.formatted("v1"), Samples.HELLOWORLD_IMAGE.formatted("v2"), MIRRORED_CURL,
                Samples.CURL_IMAGE);
        int before = fixture.fakes().invocations().size();

        // when
        fixture.provisioner(fixture.spec(builder -> builder.sources(preloading().sources()))).provision().close();

        // then
        List<String> since = fixture.fakes().invocations().subList(before, fixture.fakes().invocations().size());
        assertThat(since).filteredOn(line -> line.startsWith("minikube image load")).hasSize(8);
        assertThat(since).noneMatch(line -> line.startsWith("minikube delete"));
    }

    @Test
    void an_image_this_machine_lacks_fails_the_preload_naming_the_image_and_the_option() throws IOException {
        // given the mirrored curl is not on this machine
        fixture = MeshFixture.create(tmp, preloading());
        hostImages(Samples.HELLOWORLD_IMAGE.formatted("v1"), Samples.HELLOWORLD_IMAGE.formatted("v2"), Samples.CURL_IMAGE);

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("preload sample images")
                .hasMessageContaining("cannot preload image " + MIRRORED_CURL + " (sample sleep) into cluster")
                .hasMessageContaining("set mcmesh.sample.images (Sources.withSampleImages) to an image you have,"
                        + " e.g. sleep=registry.example.com/curl:8.16.0")
                // minikube v1.37.0-v1.38.1 exits 0 then, with only this warning (image/cache.go SaveToDir)
                .hasMessageContaining(" " + MIRRORED_CURL + "' exited 0 but loaded nothing for"
                        + " ! The image '" + MIRRORED_CURL + "' was not found; unable to add it to cache.");
        assertThat(fixture.istioLog).isEmpty();
    }

    @Test
    void without_preloading_no_image_command_runs() {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());

        // when
        fixture.provisioner().provision().close();

        // then
        assertThat(imageCommands()).isEmpty();
    }

    @Test
    void behind_a_proxy_minikube_gets_no_proxy_with_every_cluster_range_the_node_subnet_and_the_node_ips() throws IOException {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "http_proxy", "http://proxy.corp:3128",
                "NO_PROXY", "localhost,127.0.0.1,10.10.0.0/16");
        MinikubeProvider provider = new MinikubeProvider(new ProvisioningContext(fixture.spec(), fixture.runner()), environment);

        // when
        provider.startStep(fixture.spec().clusters().get(1)).apply();

        // then
        String noProxy = "localhost,127.0.0.1,10.10.0.0/16,192.168.200.0/24,10.255.10.0/24,192.168.200.2,10.20.0.0/16,"
                + "10.255.20.0/24,192.168.200.3";
        assertThat(Files.readAllLines(fixture.fakes().stateDirectory().resolve("minikube/env/start-mcmesh-west")))
                .containsExactlyInAnyOrder("HTTPS_PROXY=http://proxy.corp:3128", "http_proxy=http://proxy.corp:3128",
                        "NO_PROXY=" + noProxy, "no_proxy=" + noProxy);
    }

    @Test
    void without_a_proxy_no_proxy_variable_is_set() throws IOException {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        MinikubeProvider provider = new MinikubeProvider(new ProvisioningContext(fixture.spec(), fixture.runner()), Map.of("NO_PROXY", "localhost"));

        // when
        provider.startStep(fixture.spec().clusters().get(0)).apply();

        // then
        assertThat(fixture.fakes().stateDirectory().resolve("minikube/env/start-mcmesh-east")).isEmptyFile();
    }
}
