package io.github.mcmesh.junit;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.spec.MeshSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MeshBackend} double that behaves like an idempotent provisioner, with its state in the
 * spec's state directory so that several JVMs see the same mesh:
 * <ul>
 * <li>{@code backend/<identity>.exists} marks a provisioned mesh; provisioning reuses it when present;</li>
 * <li>{@code backend/events.log} gets one line per event: {@code created|reused|failed|teardown|closed <identity> <istio version> <pid>};</li>
 * <li>{@code backend/fail} (steering) makes provisioning throw with its content as message; an empty
 *     {@code fail} throws a {@link NullPointerException} without a message, as a bug in a tool's client would;</li>
 * <li>{@code backend/delay-ms} (steering) makes creating take that long;</li>
 * <li>{@code backend/warm-check-waits-for} (steering): see {@link #reuseIfReady(MeshSpec)}.</li>
 * </ul>
 * Each cluster's API server is a {@link KubernetesMockServer} in CRUD mode, one per cluster name,
 * living until {@link #stopServers()} so tests can look at what the extension left behind.
 */
public final class RecordingBackend implements MeshBackend {

    /** How the mesh's pod exec starts every answer. */
    static final String POD_EXEC_ANSWER = "RecordingBackend pod exec in ";


    private static final Map<String, KubernetesMockServer> SERVERS = new ConcurrentHashMap<>();
    /** How long a steered warm check waits for the others to begin. */
    static final Duration WARM_CHECK_PATIENCE = Duration.ofSeconds(20);

    /** The API server standing in for the cluster with this name, started on first use. */
    static KubernetesMockServer server(String cluster) {
        return SERVERS.computeIfAbsent(cluster, name -> {
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(), false);
            server.init();
            return server;
        });
    }

    static void stopServers() {
        SERVERS.values().forEach(KubernetesMockServer::destroy);
        SERVERS.clear();
    }

    static Path directory(Path stateDirectory) {
        return stateDirectory.resolve("backend");
    }

    static List<String> events(Path stateDirectory) {
        try {
            Path log = directory(stateDirectory).resolve("events.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void steer(Path stateDirectory, String file, String content) {
        try {
            Files.createDirectories(directory(stateDirectory));
            Files.writeString(directory(stateDirectory).resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ProvisionedMesh provision(MeshSpec spec) {
        Path directory = directory(spec.stateDirectory());
        try {
            Files.createDirectories(directory);
            Path fail = directory.resolve("fail");
            if (Files.exists(fail)) {
                record(spec, "failed");
                String message = Files.readString(fail);
                if (message.isEmpty()) {
                    throw new NullPointerException();
                }
                throw new IllegalStateException(message);
            }
            Path marker = directory.resolve(spec.identity() + ".exists");
            if (Files.exists(marker)) {
                record(spec, "reused");
            } else {
                Path delay = directory.resolve("delay-ms");
                if (Files.exists(delay)) {
                    Thread.sleep(Long.parseLong(Files.readString(delay).trim()));
                }
                Files.createFile(marker);
                record(spec, "created");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return provisioned(spec);
    }

    /**
     * The warm check: reuses the mesh when {@code <identity>.exists} is there, recording
     * {@code began|ended <pid> <epoch millis>} in {@code backend/warm-checks.log};
     * with {@code backend/warm-check-waits-for} (steering, a number N) each check waits, at most
     * {@link #WARM_CHECK_PATIENCE}, until N checks have begun, so checks that can overlap do.
     */
    @Override
    public Optional<ProvisionedMesh> reuseIfReady(MeshSpec spec) {
        if (!Files.exists(marker(spec))) {
            return Optional.empty();
        }
        recordWarmCheck(spec, "began");
        try {
            Path waitsFor = directory(spec.stateDirectory()).resolve("warm-check-waits-for");
            if (Files.exists(waitsFor)) {
                long others = Long.parseLong(Files.readString(waitsFor).trim());
                long deadline = System.nanoTime() + WARM_CHECK_PATIENCE.toNanos();
                while (warmChecks(spec.stateDirectory()).stream().filter(e -> e.startsWith("began ")).count() < others
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        recordWarmCheck(spec, "ended");
        record(spec, "reused");
        return Optional.of(provisioned(spec));
    }

    private static ProvisionedMesh provisioned(MeshSpec spec) {
        List<ClusterConnection> connections = spec.clusterNames().stream()
                .map(name -> new ClusterConnection(name, server(name).createClient(), "192.168.200.10", server(name).url("/")))
                .toList();
        // what runs in the mesh's pods (the diagnostics' clusterz read) answers from here, so tests see which exec ran
        PodExec podExec = (client, namespace, pod, container, timeout, command) ->
                new PodExec.ExecResult(0, POD_EXEC_ANSWER + namespace + "/" + pod + "/" + container + ": " + String.join(" ", command), "");
        return new ProvisionedMesh() {
            @Override
            public MeshSpec spec() {
                return spec;
            }

            @Override
            public List<ClusterConnection> connections() {
                return connections;
            }

            @Override
            public PodExec podExec() {
                return podExec;
            }

            @Override
            public void teardown() {
                try {
                    Files.deleteIfExists(marker(spec));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                record(spec, "teardown");
            }

            @Override
            public void close() {
                connections.forEach(connection -> connection.client().close());
                record(spec, "closed");
            }
        };
    }

    private static Path marker(MeshSpec spec) {
        return directory(spec.stateDirectory()).resolve(spec.identity() + ".exists");
    }

    /** The lines of {@code backend/warm-checks.log}: {@code began|ended <pid> <epoch millis>}. */
    static List<String> warmChecks(Path stateDirectory) {
        try {
            Path log = directory(stateDirectory).resolve("warm-checks.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void recordWarmCheck(MeshSpec spec, String event) {
        try {
            Files.writeString(directory(spec.stateDirectory()).resolve("warm-checks.log"),
                    event + " " + ProcessHandle.current().pid() + " " + System.currentTimeMillis() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(MeshSpec spec, String event) {
        try {
            Files.writeString(directory(spec.stateDirectory()).resolve("events.log"),
                    event + " " + spec.identity() + " " + spec.istioVersion() + " " + ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
