package io.github.mcmesh.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Mock API servers in CRUD mode, one per cluster (each on its own event loop), where the first
 * request matching {@code meets} ({@code "GET /api/v1/nodes"}, method and path) waits until that
 * request has reached every server: code that reads the clusters one after the other never gets
 * its first answer, only a 503 once {@link #PATIENCE} is over, and {@link #met()} stays false.
 * The patience is no deadline on speed: clusters read at once meet however loaded the machine.
 *
 * <pre>{@code
 * try (MeetingServers servers = MeetingServers.start(List.of("east", "west"), "GET /api/v1/nodes"::equals)) {
 *     readEveryNode(servers.client("east"), servers.client("west"));
 *     assertThat(servers.met()).isTrue();
 * }
 * }</pre>
 */
public final class MeetingServers implements AutoCloseable {

    /** How long a request waits for its peers before it is answered 503. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Map<String, KubernetesMockServer> servers = new LinkedHashMap<>();
    private final CyclicBarrier meeting;
    private final AtomicBoolean met = new AtomicBoolean();
    private final AtomicBoolean missed = new AtomicBoolean();

    private MeetingServers(List<String> clusters, Predicate<String> meets) {
        this.meeting = new CyclicBarrier(clusters.size(), () -> met.set(true));
        for (String cluster : clusters) {
            AtomicBoolean arrived = new AtomicBoolean();
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(List.of()) {
                        @Override
                        public MockResponse dispatch(RecordedRequest request) {
                            if (meets.test(request.getMethod() + " " + request.getPath()) && arrived.compareAndSet(false, true)
                                    && !await()) {
                                return new MockResponse().setResponseCode(503).setBody("the other clusters' " + request.getPath()
                                        + " did not come while this one waited: they are read one after the other");
                            }
                            return super.dispatch(request);
                        }
                    }, false);
            server.init();
            servers.put(cluster, server);
        }
    }

    /** Servers for these clusters; the first request of each that {@code meets} waits for the same at the others. */
    public static MeetingServers start(List<String> clusters, Predicate<String> meets) {
        return new MeetingServers(clusters, meets);
    }

    private boolean await() {
        try {
            meeting.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | BrokenBarrierException e) {
            missed.set(true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missed.set(true);
            return false;
        }
    }

    /** Whether the matching requests of every cluster were in flight at once. */
    public boolean met() {
        return met.get() && !missed.get();
    }

    public KubernetesMockServer server(String cluster) {
        return servers.get(cluster);
    }

    /** A new client of the cluster's server (the caller closes it). */
    public KubernetesClient client(String cluster) {
        return servers.get(cluster).createClient();
    }

    /** A kubeconfig with one context per cluster, named after it, with a token user; written to {@code file}. */
    public Path kubeconfig(Path file) {
        return MockKubeconfig.write(servers, file);
    }

    @Override
    public void close() {
        servers.values().forEach(KubernetesMockServer::destroy);
    }
}
