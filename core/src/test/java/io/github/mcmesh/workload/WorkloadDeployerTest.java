package io.github.mcmesh.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.mcmesh.internal.workload.WorkloadDeployer;
import io.github.mcmesh.testing.FakeDeploymentController;
import io.github.mcmesh.testing.MockMesh;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkloadDeployerTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        server = MockMesh.crudServer();
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private WorkloadDeployer deployer(Duration timeout) {
        return new WorkloadDeployer(client, "east", "demo", Map.of("security.istio.io/tlsMode", "disabled"), timeout,
                Duration.ofMillis(20));
    }

    @Test
    void applies_with_the_extra_pod_labels_and_returns_once_available() {
        // given the "cluster" makes the Deployment available shortly after it appears
        CompletableFuture<Void> controller = FakeDeploymentController.markAvailableWhenCreated(client, "demo", "helloworld-v1");

        // when
        deployer(Duration.ofSeconds(5)).deploy(List.of(Samples.helloworld("v1")));

        // then
        controller.join();
        Deployment deployed = client.apps().deployments().inNamespace("demo").withName("helloworld-v1").get();
        assertThat(deployed.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("security.istio.io/tlsMode", "disabled").containsEntry("app", "helloworld");
        assertThat(deployed.getSpec().getSelector().getMatchLabels()).doesNotContainKey("security.istio.io/tlsMode");
        assertThat(client.services().inNamespace("demo").withName("helloworld").get()).isNotNull();
    }

    @Test
    void image_pull_errors_fail_fast_naming_the_image_and_the_options_to_set() {
        // given a pod that cannot pull its image, and the kubelet's event
        pod("helloworld-v1-abc", Map.of("app", "helloworld", "version", "v1"), "ImagePullBackOff",
                "Back-off pulling image \"docker.io/istio/examples-helloworld-v1:1.0\"");
        client.v1().events().inNamespace("demo").resource(new EventBuilder().withNewMetadata().withName("e1").endMetadata()
                .withType("Warning").withReason("Failed").withMessage("Failed to pull image: dial tcp: i/o timeout")
                .withLastTimestamp("2026-01-01T00:00:01Z")
                .withNewInvolvedObject().withKind("Pod").withName("helloworld-v1-abc").endInvolvedObject().build()).create();
        long start = System.nanoTime();

        // when
        Throwable error = catchThrowable(() -> deployer(Duration.ofSeconds(30)).deploy(List.of(Samples.helloworld("v1"))));

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(error).isInstanceOf(WorkloadNotReadyException.class).hasMessage("""
                Workload 'helloworld-v1' in cluster east, namespace demo cannot become ready: pod helloworld-v1-abc \
                container helloworld is waiting: ImagePullBackOff (Back-off pulling image \
                "docker.io/istio/examples-helloworld-v1:1.0").
                The cluster cannot pull image docker.io/istio/examples-helloworld-v1:1.0. Use an image it can reach \
                (a mirror or private registry): for mcmesh's samples set mcmesh.sample.images \
                (e.g. sleep=registry.example.com/curl:8.16.0), for any workload Workload.withImage(...); or load it \
                into the cluster (mcmesh.preload.images=true, 'minikube image load').
                Container states:
                  pod helloworld-v1-abc (phase Pending):
                    helloworld [docker.io/istio/examples-helloworld-v1:1.0]: waiting ImagePullBackOff (Back-off pulling \
                image "docker.io/istio/examples-helloworld-v1:1.0"), ready false, restarts 0
                Recent events:
                  Warning Failed Pod/helloworld-v1-abc: Failed to pull image: dial tcp: i/o timeout""");
    }

    @Test
    void crash_loops_fail_fast_with_the_last_exit_code() {
        // given
        client.pods().inNamespace("demo").resource(new PodBuilder(podObject("sleep-1", Map.of("app", "sleep"),
                "CrashLoopBackOff", "back-off 10s restarting failed container"))
                .editStatus().editFirstContainerStatus().withRestartCount(4).withNewLastState().withNewTerminated()
                .withExitCode(127).withReason("Error").endTerminated().endLastState().endContainerStatus().endStatus()
                .build()).create();

        // when
        Throwable error = catchThrowable(() -> deployer(Duration.ofSeconds(30)).deploy(List.of(Samples.sleep())));

        // then
        assertThat(error).isInstanceOf(WorkloadNotReadyException.class)
                .hasMessageStartingWith("Workload 'sleep' in cluster east, namespace demo cannot become ready: pod sleep-1"
                        + " container helloworld is waiting: CrashLoopBackOff (back-off 10s restarting failed container).\n"
                        + "The container (image docker.io/istio/examples-helloworld-v1:1.0, overridable with"
                        + " Workload.withImage(...)) keeps exiting: last exit code 127 (Error).")
                .hasMessageContaining("restarts 4")
                .hasMessageEndingWith("Recent events:\n  none");
    }

    @Test
    void not_available_in_time_reports_the_waiting_deployments() {
        Throwable error = catchThrowable(() -> deployer(Duration.ofMillis(300)).deploy(List.of(Samples.sleep())));

        assertThat(error).isInstanceOf(WorkloadNotReadyException.class).hasMessage("""
                Workload 'sleep' in cluster east, namespace demo did not become ready within PT0.3S: Deployments [sleep] \
                are not available.
                Container states:
                  no pods yet (check the ReplicaSet's events, e.g. quota or admission webhook errors)
                Recent events:
                  none""");
    }

    @Test
    void service_only_workloads_need_no_wait() {
        deployer(Duration.ofMillis(100)).deploy(List.of(Samples.helloworldService()));

        assertThat(client.services().inNamespace("demo").withName("helloworld").get().getSpec().getPorts())
                .singleElement().satisfies(port -> assertThat(port.getName()).isEqualTo("http"));
        assertThat(client.apps().deployments().inNamespace("demo").list().getItems()).isEmpty();
    }

    private void pod(String name, Map<String, String> labels, String reason, String message) {
        client.pods().inNamespace("demo").resource(podObject(name, labels, reason, message)).create();
    }

    private static io.fabric8.kubernetes.api.model.Pod podObject(String name, Map<String, String> labels, String reason,
            String message) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("helloworld").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addToContainerStatuses(new ContainerStatusBuilder()
                        .withName("helloworld").withImage("docker.io/istio/examples-helloworld-v1:1.0").withReady(false)
                        .withRestartCount(0).withNewState().withNewWaiting().withReason(reason).withMessage(message)
                        .endWaiting().endState().build())
                .endStatus().build();
    }
}
