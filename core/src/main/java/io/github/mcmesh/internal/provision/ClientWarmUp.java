package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.spec.MeshSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients a warm check opens first, built ahead on a daemon thread while the caller does
 * other work (in a fresh JVM the first kubeconfig read and client build load a few thousand
 * classes). Nothing here reads a cluster: the warm check still reads the kubeconfig under its
 * lock, because another JVM may rewrite it until then, and {@link #take} hands over a client only
 * when it was built for the entry as it reads now. Whatever nobody takes is closed by {@link #close()}.
 *
 * <pre>{@code
 * try (ClientWarmUp warmUp = ClientWarmUp.start(spec)) {
 *     // other work; then the warm check takes the clients
 *     IstioLayers.provisioner(spec).warmCheck(warmUp).reuseIfReady();
 * }
 * }</pre>
 */
public final class ClientWarmUp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientWarmUp.class);

    /** Per kube context, the client built for it (completed with {@code null} when there is no such context). */
    private final Map<String, CompletableFuture<KubernetesClient>> clients = new ConcurrentHashMap<>();

    private ClientWarmUp() {
    }

    /** Builds nothing: every {@link #take} is empty. */
    public static ClientWarmUp none() {
        return new ClientWarmUp();
    }

    /** Starts building a client for each cluster of the spec from its kubeconfig, in the clusters' order, on one daemon thread. */
    public static ClientWarmUp start(MeshSpec spec) {
        ClientWarmUp warmUp = new ClientWarmUp();
        // the thread keeps its own references: take() removes a future from the map while it may still be building
        Map<String, CompletableFuture<KubernetesClient>> building = new LinkedHashMap<>();
        spec.clusterNames().forEach(name -> building.put(name, new CompletableFuture<>()));
        warmUp.clients.putAll(building);
        Thread thread = new Thread(() -> building.forEach((name, client) -> {
            try {
                client.complete(KubeAccess.config(spec.kubeconfig(), name).map(KubeAccess::client).orElse(null));
            } catch (RuntimeException | Error e) {
                // the warm check reads the same entry again and reports what is wrong with it
                client.complete(null);
                LOG.debug("Could not build a client for {} ahead", name, e);
            }
        }), "mcmesh-client-warm-up");
        thread.setDaemon(true);
        thread.start();
        return warmUp;
    }

    /**
     * The client built for this context when it names the endpoint and credentials of {@code current}
     * (the entry as read now); the caller owns it from then on. A client built for an entry that
     * changed since is closed here.
     */
    Optional<KubernetesClient> take(String context, Config current) {
        CompletableFuture<KubernetesClient> built = clients.remove(context);
        if (built == null) {
            return Optional.empty();
        }
        KubernetesClient client = joined(built);
        if (client != null && !ClusterState.sameEndpoint(client.getConfiguration(), current)) {
            client.close();
            return Optional.empty();
        }
        return Optional.ofNullable(client);
    }

    /** Closes the clients nobody took, once each (after waiting for the ones still being built). */
    @Override
    public void close() {
        for (String context : clients.keySet()) {
            CompletableFuture<KubernetesClient> built = clients.remove(context);
            if (built != null) {
                KubernetesClient client = joined(built);
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    private static KubernetesClient joined(CompletableFuture<KubernetesClient> built) {
        try {
            return built.join();
        } catch (CompletionException e) {
            return null;
        }
    }
}
