package io.github.mcmesh.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Deployment controller and kubelet of a mock API server (which runs no controllers)
 * for one Deployment: once it exists, its status says every replica is updated, ready and available.
 *
 * <pre>{@code
 * CompletableFuture<Void> available = FakeDeploymentController.markAvailableWhenCreated(client, "demo", "helloworld-v1");
 * deployer.deploy(List.of(Samples.helloworld("v1")));
 * available.join();
 * }</pre>
 */
public final class FakeDeploymentController {

    private FakeDeploymentController() {
    }

    /** Completes once the Deployment was marked available; fails if it does not appear within 10 s. */
    public static CompletableFuture<Void> markAvailableWhenCreated(KubernetesClient client, String namespace, String deployment) {
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Deployment current = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
                if (current != null) {
                    int replicas = Objects.requireNonNullElse(current.getSpec().getReplicas(), 1);
                    current.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withUpdatedReplicas(replicas)
                            .withReadyReplicas(replicas).withAvailableReplicas(replicas)
                            .withObservedGeneration(current.getMetadata().getGeneration()).build());
                    client.apps().deployments().inNamespace(namespace).resource(current).updateStatus();
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("Deployment " + namespace + "/" + deployment + " never appeared");
        });
    }
}
