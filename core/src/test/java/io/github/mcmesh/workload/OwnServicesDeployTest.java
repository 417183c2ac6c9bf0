package io.github.mcmesh.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.internal.workload.WorkloadDeployer;
import io.github.mcmesh.testing.FakeDeploymentController;
import io.github.mcmesh.testing.MockMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The team's own manifests deployed and applied through cluster handles, and {@link ClusterHandle#scale}, on mock API servers. */
class OwnServicesDeployTest {

    private static final String DR = "classpath:manifests/checkout-failover-dr.yaml";

    MockMesh mesh = MockMesh.start("demo", "east", "west");

    @AfterEach
    void close() {
        mesh.close();
    }

    private KubernetesClient client(String cluster) {
        return mesh.cluster(cluster).client();
    }

    /** What installing Istio's base chart gives a cluster: its CRDs, so discovery lists the kind. */
    private void destinationRuleCrd(String cluster) {
        client(cluster).apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("destinationrules.networking.istio.io").endMetadata()
                .withNewSpec().withGroup("networking.istio.io").withScope("Namespaced")
                .withNewNames().withKind("DestinationRule").withPlural("destinationrules").withSingular("destinationrule").endNames()
                .addNewVersion().withName("v1beta1").withServed(true).withStorage(true).endVersion()
                .endSpec().build()).create();
    }

    private GenericKubernetesResource destinationRule(String cluster) {
        return client(cluster).genericKubernetesResources("networking.istio.io/v1beta1", "DestinationRule")
                .inNamespace("demo").withName("checkout-failover").get();
    }

    @Test
    void deploy_of_a_manifest_waits_for_its_deployments_and_stateful_sets() {
        // given the "cluster" makes both ready once they appear
        CompletableFuture<Void> deployment = FakeDeploymentController.markAvailableWhenCreated(client("east"), "demo", "checkout");
        CompletableFuture<Void> statefulSet = FakeDeploymentController.markStatefulSetReadyWhenCreated(client("east"), "demo",
                "checkout-cache");

        // when
        mesh.cluster("east").deploy(Workload.fromClasspath("manifests/checkout.yaml"));

        // then
        // (join: the controller finishes its update just after the wait saw it)
        deployment.join();
        statefulSet.join();
        assertThat(client("east").services().inNamespace("demo").withName("checkout").get()).isNotNull();
    }

    @Test
    void a_stateful_set_that_does_not_become_ready_fails_the_deploy() {
        // given only the Deployment becomes available
        FakeDeploymentController.markAvailableWhenCreated(client("east"), "demo", "checkout");
        WorkloadDeployer deployer = new WorkloadDeployer(client("east"), "east", "demo", Map.of(), Duration.ofMillis(500),
                Duration.ofMillis(20));

        // when / then
        assertThatThrownBy(() -> deployer.deploy(List.of(Workload.fromClasspath("manifests/checkout.yaml"))))
                .isInstanceOf(WorkloadNotReadyException.class)
                .hasMessageStartingWith("Workload 'checkout' in cluster east, namespace demo did not become ready within"
                        + " PT0.5S: StatefulSets [checkout-cache] are not ready.");
    }

    @Test
    void stateful_set_pods_get_the_extra_pod_labels_as_deployment_pods_do() {
        // given a plaintext mesh's label
        FakeDeploymentController.markAvailableWhenCreated(client("east"), "demo", "checkout");
        FakeDeploymentController.markStatefulSetReadyWhenCreated(client("east"), "demo", "checkout-cache");
        WorkloadDeployer deployer = new WorkloadDeployer(client("east"), "east", "demo",
                Map.of("security.istio.io/tlsMode", "disabled"), Duration.ofSeconds(10), Duration.ofMillis(20));

        // when
        deployer.deploy(List.of(Workload.fromClasspath("manifests/checkout.yaml")));

        // then
        assertThat(client("east").apps().statefulSets().inNamespace("demo").withName("checkout-cache").get().getSpec()
                .getTemplate().getMetadata().getLabels()).containsEntry("security.istio.io/tlsMode", "disabled")
                .containsEntry("app", "checkout-cache");
    }

    @Test
    void an_istio_kind_the_cluster_does_not_serve_names_file_and_document_and_nothing_is_applied() {
        // when / then
        assertThatThrownBy(() -> mesh.cluster("east").apply(Resources.fromClasspath("manifests/checkout-failover-dr.yaml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cluster east does not serve kind DestinationRule of networking.istio.io/v1beta1 (" + DR
                        + ", document 2 (line 8, DestinationRule checkout-failover)), so nothing was applied; check apiVersion"
                        + " and kind against 'kubectl api-resources', or install its CRD first (Istio's come with the"
                        + " istio-base chart)");
        assertThat(client("east").configMaps().inNamespace("demo").withName("checkout-settings").get()).isNull();
    }

    @Test
    void apply_everywhere_applies_istio_resources_from_yaml_in_every_cluster() {
        // given
        destinationRuleCrd("east");
        destinationRuleCrd("west");

        // when
        mesh.applyEverywhere(Resources.fromClasspath("manifests/checkout-failover-dr.yaml"));

        // then
        for (String cluster : List.of("east", "west")) {
            assertThat(destinationRule(cluster)).isNotNull();
            assertThat(client(cluster).configMaps().inNamespace("demo").withName("checkout-settings").get()).isNotNull();
        }
    }

    @Test
    void a_namespace_written_in_a_manifest_gives_way_to_the_class_namespace(@TempDir Path tmp) throws IOException {
        // given
        Path yaml = Files.writeString(tmp.resolve("settings.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: checkout}\n");

        // when
        mesh.cluster("east").apply(Resources.fromYaml(yaml));

        // then
        assertThat(client("east").configMaps().inNamespace("demo").withName("settings").get()).isNotNull();
        assertThat(client("east").configMaps().inNamespace("checkout").withName("settings").get()).isNull();
    }

    @Test
    void apply_everywhere_checks_every_cluster_before_applying_in_any() {
        // given only east serves DestinationRules
        destinationRuleCrd("east");

        // when / then
        assertThatThrownBy(() -> mesh.applyEverywhere(Resources.fromClasspath("manifests/checkout-failover-dr.yaml")))
                .hasMessageStartingWith("Cluster west does not serve kind DestinationRule of networking.istio.io/v1beta1");
        assertThat(destinationRule("east")).isNull();
        assertThat(client("east").configMaps().inNamespace("demo").withName("checkout-settings").get()).isNull();
    }

    @Test
    void scale_to_zero_returns_once_the_pods_are_gone() {
        // given a running checkout with one pod
        client("east").apps().deployments().inNamespace("demo").resource(checkoutDeployment()).create();
        client("east").pods().inNamespace("demo").resource(new PodBuilder().withNewMetadata().withName("checkout-1")
                .withLabels(Map.of("app", "checkout")).endMetadata().withNewStatus().withPhase("Running").endStatus().build())
                .create();
        CompletableFuture<Void> controller = FakeDeploymentController.applyScaleTo(client("east"), "demo", "checkout", 0);

        // when
        mesh.cluster("east").scale("checkout", 0);

        // then, as soon as it returns
        assertThat(client("east").pods().inNamespace("demo").withLabel("app", "checkout").list().getItems()).isEmpty();
        controller.join();
        assertThat(client("east").apps().deployments().inNamespace("demo").withName("checkout").get().getSpec().getReplicas())
                .isZero();
    }

    @Test
    void scale_of_a_stateful_set_returns_once_the_replicas_are_ready() {
        // given
        client("west").apps().statefulSets().inNamespace("demo").resource(new StatefulSetBuilder().withNewMetadata()
                .withName("checkout-cache").endMetadata().withNewSpec().withReplicas(1).withNewSelector()
                .addToMatchLabels("app", "checkout-cache").endSelector().endSpec().build()).create();
        CompletableFuture<Void> controller = FakeDeploymentController.applyScaleTo(client("west"), "demo", "checkout-cache", 2);

        // when
        mesh.cluster("west").scale("checkout-cache", 2);

        // then, as soon as it returns
        assertThat(client("west").apps().statefulSets().inNamespace("demo").withName("checkout-cache").get().getStatus()
                .getReadyReplicas()).isEqualTo(2);
        controller.join();
    }

    @Test
    void scale_of_a_missing_workload_names_what_there_is() {
        // given
        client("east").apps().deployments().inNamespace("demo").resource(checkoutDeployment()).create();

        // when / then
        assertThatThrownBy(() -> mesh.cluster("east").scale("chekout", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scale 'chekout' in cluster east, namespace demo: there is no Deployment or StatefulSet"
                        + " of that name; Deployments: [checkout], StatefulSets: []");
        assertThatThrownBy(() -> mesh.cluster("east").scale("checkout", -1))
                .hasMessage("Cannot scale 'checkout' in cluster east, namespace demo to -1: replicas must be 0 or more");
    }

    @Test
    void a_scale_that_does_not_hold_in_time_reports_what_was_observed() {
        // given a pod that never goes away (no controller)
        client("east").apps().deployments().inNamespace("demo").resource(checkoutDeployment()).create();
        client("east").pods().inNamespace("demo").resource(new PodBuilder().withNewMetadata().withName("checkout-1")
                .withLabels(Map.of("app", "checkout")).endMetadata().withNewStatus().withPhase("Running").endStatus().build())
                .create();
        WorkloadDeployer deployer = new WorkloadDeployer(client("east"), "east", "demo", Map.of(), Duration.ofMillis(300),
                Duration.ofMillis(20));

        // when / then
        assertThatThrownBy(() -> deployer.scale("checkout", 0))
                .isInstanceOf(WorkloadNotReadyException.class)
                .hasMessage("""
                        Scaling Deployment 'checkout' in cluster east, namespace demo to 0 did not hold within PT0.3S: \
                        observed spec.replicas 0, status replicas 0, ready 0, available 0, observed generation 0 of 2; \
                        pods left: [checkout-1 (Running)].
                        Container states:
                          pod checkout-1 (phase Running):
                        Recent events:
                          none""");
    }

    private static Deployment checkoutDeployment() {
        return new DeploymentBuilder().withNewMetadata().withName("checkout").endMetadata().withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", "checkout").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "checkout").endMetadata().withNewSpec().addNewContainer().withName("checkout")
                .withImage("registry.local/checkout:dev").endContainer().endSpec().endTemplate().endSpec().build();
    }
}
