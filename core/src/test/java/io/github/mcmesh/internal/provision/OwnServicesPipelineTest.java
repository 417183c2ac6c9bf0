package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.testing.FakeDeploymentController;
import io.github.mcmesh.workload.Resources;
import io.github.mcmesh.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user code for the team's own services (images, manifests, scale) on a mesh provisioned with the fake tools. */
class OwnServicesPipelineTest {

    private static final String NAMESPACE = "checkout-it";

    @TempDir
    Path tmp;

    private MeshFixture fixture;
    private final List<KubernetesClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(KubernetesClient::close);
        if (fixture != null) {
            fixture.close();
        }
    }

    private KubernetesClient client(String cluster) {
        KubernetesClient client = fixture.client(cluster);
        clients.add(client);
        return client;
    }

    @Test
    void images_built_here_manifests_istio_config_and_a_scale_to_zero() throws IOException {
        // given a provisioned mesh, the images on this machine, Istio's DestinationRule CRD in both clusters
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        Path images = fixture.fakes().stateDirectory().resolve("docker/images");
        Files.createDirectories(images.getParent());
        Files.write(images, List.of("registry.local/checkout:dev", "registry.local/checkout-cache:dev"));
        List<CompletableFuture<Void>> controllers = new ArrayList<>();
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            client(cluster).apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName("destinationrules.networking.istio.io").endMetadata()
                    .withNewSpec().withGroup("networking.istio.io").withScope("Namespaced")
                    .withNewNames().withKind("DestinationRule").withPlural("destinationrules").endNames()
                    .addNewVersion().withName("v1beta1").withServed(true).withStorage(true).endVersion()
                    .endSpec().build()).create();
        }

        try (ProvisionedMesh provisioned = fixture.provisioner().provision()) {
            Mesh mesh = provisioned.view(NAMESPACE);

            // when (the issue's @BeforeAll and the scale of its test)
            mesh.loadImages("registry.local/checkout:dev", "registry.local/checkout-cache:dev");
            Workload checkout = Workload.fromClasspath("manifests/checkout.yaml");
            for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
                // the mock API servers run no controllers: these play them (started right before, each waits 10 s at most)
                controllers.add(FakeDeploymentController.markAvailableWhenCreated(client(cluster), NAMESPACE, "checkout"));
                controllers.add(FakeDeploymentController.markStatefulSetReadyWhenCreated(client(cluster), NAMESPACE, "checkout-cache"));
                mesh.cluster(cluster).deploy(checkout);
            }
            mesh.applyEverywhere(Resources.fromClasspath("manifests/checkout-failover-dr.yaml"));
            controllers.add(FakeDeploymentController.applyScaleTo(client("mcmesh-east"), NAMESPACE, "checkout", 0));
            mesh.cluster("mcmesh-east").scale("checkout", 0);
        }

        // then
        controllers.forEach(CompletableFuture::join); // each ran: the waits saw what they wrote
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            assertThat(Files.readAllLines(fixture.fakes().stateDirectory().resolve("minikube/profiles/" + cluster + "/images")))
                    .anyMatch(line -> line.startsWith("registry.local/checkout:dev "))
                    .anyMatch(line -> line.startsWith("registry.local/checkout-cache:dev "));
            assertThat(client(cluster).genericKubernetesResources("networking.istio.io/v1beta1", "DestinationRule")
                    .inNamespace(NAMESPACE).withName("checkout-failover").get()).isNotNull();
        }
        assertThat(client("mcmesh-east").apps().deployments().inNamespace(NAMESPACE).withName("checkout").get()
                .getSpec().getReplicas()).isZero();
        assertThat(client("mcmesh-west").apps().deployments().inNamespace(NAMESPACE).withName("checkout").get()
                .getSpec().getReplicas()).isEqualTo(1);
    }
}
