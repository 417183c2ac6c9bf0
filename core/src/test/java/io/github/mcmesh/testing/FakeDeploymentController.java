package io.github.mcmesh.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Deployment controller and kubelet of a mock API server (which runs no controllers)
 * for one Deployment or StatefulSet: once it exists, its status says every replica is updated, ready and
 * available; after a scale, that the new count holds, with the pods of a scale to zero deleted.
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

    /** Completes once the StatefulSet was marked ready; fails if it does not appear within 10 s. */
    public static CompletableFuture<Void> markStatefulSetReadyWhenCreated(KubernetesClient client, String namespace, String name) {
        return CompletableFuture.runAsync(() -> poll("StatefulSet " + namespace + "/" + name, () -> {
            StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            if (current == null) {
                return false;
            }
            markStatefulSet(client, namespace, current);
            return true;
        }));
    }

    /**
     * Completes once the Deployment or StatefulSet was scaled to {@code replicas} ({@code spec.replicas}) and its
     * status says so; for 0 its pods (by selector) are deleted first, as the ReplicaSet controller deletes them.
     */
    public static CompletableFuture<Void> applyScaleTo(KubernetesClient client, String namespace, String name, int replicas) {
        return CompletableFuture.runAsync(() -> poll(namespace + "/" + name + " scaled to " + replicas, () -> {
            Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
            StatefulSet statefulSet = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            Integer wanted = deployment != null ? deployment.getSpec().getReplicas()
                    : statefulSet != null ? statefulSet.getSpec().getReplicas() : null;
            if (wanted == null || wanted != replicas) {
                return false;
            }
            var selector = deployment != null ? deployment.getSpec().getSelector() : statefulSet.getSpec().getSelector();
            if (replicas == 0) {
                client.pods().inNamespace(namespace).withLabels(selector.getMatchLabels()).delete();
            }
            if (deployment != null) {
                deployment.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withUpdatedReplicas(replicas)
                        .withReadyReplicas(replicas).withAvailableReplicas(replicas)
                        .withObservedGeneration(deployment.getMetadata().getGeneration()).build());
                client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
            } else {
                markStatefulSet(client, namespace, statefulSet);
            }
            return true;
        }));
    }

    private static void markStatefulSet(KubernetesClient client, String namespace, StatefulSet current) {
        int replicas = Objects.requireNonNullElse(current.getSpec().getReplicas(), 1);
        current.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas).withAvailableReplicas(replicas).withCurrentReplicas(replicas)
                .withObservedGeneration(current.getMetadata().getGeneration()).build());
        client.apps().statefulSets().inNamespace(namespace).resource(current).updateStatus();
    }

    private static void poll(String what, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(what + " never happened");
    }
}
