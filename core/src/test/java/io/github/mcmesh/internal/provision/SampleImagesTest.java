package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.testing.MockMesh;
import io.github.mcmesh.workload.Samples;
import io.github.mcmesh.workload.WorkloadNotReadyException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleImagesTest {

    private static final String MIRRORED_CURL = "registry.example.com/curlimages/curl:8.16.0";
    private static final Sources SLEEP_MIRRORED_SOURCES = Sources.defaults().withSampleImages(Map.of("sleep", MIRRORED_CURL,
            "helloworld-v2", "registry.example.com/istio/examples-helloworld-v2:1.0"));
    private static final MeshSpec SLEEP_MIRRORED = MeshSpec.builder().sources(SLEEP_MIRRORED_SOURCES).build();

    @Test
    void replaces_the_default_image_of_the_named_sample_only() {
        // given
        SampleImages images = new SampleImages(SLEEP_MIRRORED);

        // when / then: curl runs the same default image as sleep but is another sample
        assertThat(images.apply(Samples.sleep()).images()).containsExactly(MIRRORED_CURL);
        assertThat(images.apply(Samples.curl()).images()).containsExactly(Samples.CURL_IMAGE);
        assertThat(images.apply(Samples.helloworld("v2")).images())
                .containsExactly("registry.example.com/istio/examples-helloworld-v2:1.0");
        assertThat(images.apply(Samples.helloworld("v1")).images()).containsExactly(Samples.HELLOWORLD_IMAGE.formatted("v1"));
    }

    @Test
    void keeps_an_image_the_test_chose_itself() {
        // given
        SampleImages images = new SampleImages(SLEEP_MIRRORED);

        // when
        var sleep = images.apply(Samples.sleep().withImage("mine.example.com/curl:1"));

        // then
        assertThat(sleep.images()).containsExactly("mine.example.com/curl:1");
    }

    @Test
    void lists_every_sample_image_once_with_the_samples_running_it() {
        // given
        SampleImages defaults = new SampleImages(MeshSpec.defaults());

        // then
        assertThat(defaults.distinct()).containsExactly(Samples.HELLOWORLD_IMAGE.formatted("v1"),
                Samples.HELLOWORLD_IMAGE.formatted("v2"), Samples.CURL_IMAGE);
        assertThat(defaults.samplesRunning(Samples.CURL_IMAGE)).containsExactly("sleep", "curl");
    }

    @Test
    void a_mesh_on_istio_1_29_or_older_runs_helloworld_from_docker_hub_as_its_samples_do() {
        // given
        MeshSpec older = MeshSpec.builder().istioVersion("1.29.6").build();
        SampleImages images = new SampleImages(older);

        // when / then
        assertThat(images.apply(Samples.helloworld("v1")).images()).containsExactly("docker.io/istio/examples-helloworld-v1:1.0");
        assertThat(images.apply(Samples.helloworld("v2")).images()).containsExactly("docker.io/istio/examples-helloworld-v2:1.0");
        assertThat(images.apply(Samples.sleep()).images()).containsExactly(Samples.CURL_IMAGE);
        assertThat(images.distinct()).containsExactly("docker.io/istio/examples-helloworld-v1:1.0",
                "docker.io/istio/examples-helloworld-v2:1.0", Samples.CURL_IMAGE);
    }

    @Test
    void a_mesh_on_istio_1_30_runs_helloworld_from_istios_registry() {
        // given
        SampleImages images = new SampleImages(MeshSpec.builder().istioVersion("1.30.0").build());

        // when / then
        assertThat(images.apply(Samples.helloworld("v1")).images())
                .containsExactly("registry.istio.io/release/examples-helloworld-v1:1.0");
    }

    @Test
    void an_override_wins_over_the_image_of_the_mesh_release() {
        // given
        MeshSpec older = MeshSpec.builder().istioVersion("1.18.2").kubernetesVersion("v1.26.8")
                .sources(SLEEP_MIRRORED_SOURCES).build();
        SampleImages images = new SampleImages(older);

        // when / then
        assertThat(images.apply(Samples.helloworld("v2")).images())
                .containsExactly("registry.example.com/istio/examples-helloworld-v2:1.0");
        assertThat(images.apply(Samples.helloworld("v1")).images()).containsExactly("docker.io/istio/examples-helloworld-v1:1.0");
        assertThat(images.apply(Samples.sleep()).images()).containsExactly(MIRRORED_CURL);
    }

    @Test
    void a_mesh_view_deploys_samples_with_the_spec_images() {
        // given a mesh view over a CRUD API server (no controller: the Deployment never becomes available)
        KubernetesMockServer server = MockMesh.crudServer();
        server.init();
        try (KubernetesClient client = server.createClient()) {
            MeshSpec spec = MeshSpec.builder().sources(SLEEP_MIRRORED_SOURCES)
                    .timeouts(Timeouts.defaults().withWorkloadReady(Duration.ofMillis(500))).build();
            Mesh view = MeshViews.of(spec, List.of(new ClusterConnection("mcmesh-east", client, "192.168.200.2",
                    "https://192.168.200.2:8443")), "demo");

            // when
            Throwable notReady = catchThrowable(() -> view.cluster("mcmesh-east").deploy(Samples.sleep()));

            // then
            assertThat(notReady).isInstanceOf(WorkloadNotReadyException.class);
            assertThat(client.apps().deployments().inNamespace("demo").withName("sleep").get().getSpec().getTemplate()
                    .getSpec().getContainers()).singleElement().satisfies(c -> assertThat(c.getImage()).isEqualTo(MIRRORED_CURL));
        } finally {
            server.destroy();
        }
    }
}
