package io.github.mcmesh.internal.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One task per cluster, all at once: API reads of different clusters wait on different servers,
 * so a mesh is read in the time of its slowest cluster. The first cluster's task runs on the
 * calling thread, each other on a daemon thread of its own (the common pool has a single thread
 * on a 2-core machine). Results come back in the clusters' order; a failure reaches the caller
 * as the task threw it, the first in the clusters' order (later ones suppressed in it), and only
 * once every task has ended, so none still uses a client the caller closes next.
 *
 * <pre>{@code
 * List<ClusterMarker> markers = PerCluster.map("marker", clients, client -> ClusterMarker.read(client).orElseThrow());
 * }</pre>
 */
public final class PerCluster {

    private PerCluster() {
    }

    /** The task's result for each cluster, in the clusters' order. */
    public static <C, R> List<R> map(String what, List<C> clusters, Function<? super C, ? extends R> task) {
        List<CompletableFuture<R>> others = new ArrayList<>();
        for (C cluster : clusters.subList(Math.min(1, clusters.size()), clusters.size())) {
            others.add(CompletableFuture.supplyAsync(() -> task.apply(cluster), runnable -> {
                Thread thread = new Thread(runnable, "mcmesh-" + what);
                thread.setDaemon(true);
                thread.start();
            }));
        }
        List<R> results = new ArrayList<>();
        Throwable failure = null;
        if (!clusters.isEmpty()) {
            try {
                results.add(task.apply(clusters.get(0)));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
        for (CompletableFuture<R> other : others) {
            try {
                results.add(other.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return results;
    }

    /** Runs the task for each cluster. */
    public static <C> void forEach(String what, List<C> clusters, Consumer<? super C> task) {
        map(what, clusters, cluster -> {
            task.accept(cluster);
            return null;
        });
    }
}
