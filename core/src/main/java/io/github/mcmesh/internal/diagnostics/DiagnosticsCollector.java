package io.github.mcmesh.internal.diagnostics;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.files.OwnerOnlyFiles;
import io.github.mcmesh.internal.istio.EastWestGateway;
import io.github.mcmesh.internal.istio.Istiod;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.probe.SourcePod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what is needed to understand a failed mesh test into a folder, per cluster: pods and
 * events of the mesh namespace and {@code istio-system}, the tail of istiod's log, istiod's
 * {@code /debug/clusterz}, and the endpoints each sidecar in the mesh namespace knows for the
 * namespace's services; on several networks the east-west gateway's Service, pods and log and
 * istiod's {@code /debug/networkz}; plus the probe transcript. Every file is bounded; Secrets are never read.
 * A part that cannot be collected is noted in {@code errors.txt}; collecting never throws for a
 * cluster problem, so it cannot hide the test's own failure.
 *
 * <pre>{@code
 * Path folder = new DiagnosticsCollector(provisioned.podExec(), Duration.ofSeconds(10))
 *         .collect(mesh, Path.of("target/mcmesh-reports/CrossClusterIT/reaches_both"), error.transcript());
 * }</pre>
 */
public class DiagnosticsCollector {

    private static final String ISTIO_SYSTEM = Istiod.NAMESPACE;
    static final int MAX_FILE_BYTES = 256 * 1024;
    static final int MAX_EVENTS = 100;
    static final int MAX_SIDECARS = 5;
    static final int ISTIOD_LOG_LINES = 300;
    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsCollector.class);

    private final PodExec podExec;
    private final Duration execTimeout;

    public DiagnosticsCollector(PodExec podExec, Duration execTimeout) {
        this.podExec = Objects.requireNonNull(podExec, "podExec");
        this.execTimeout = Objects.requireNonNull(execTimeout, "execTimeout");
    }

    /**
     * Collects into {@code directory} (created if missing) and returns it.
     *
     * @param transcript the probe transcript, e.g. {@code MeshAssertionError.transcript()}
     */
    public Path collect(Mesh mesh, Path directory, List<String> transcript) {
        createDirectories(directory);
        write(directory.resolve("transcript.txt"), String.join("\n", transcript));
        for (ClusterHandle cluster : mesh.clusters()) {
            Path folder = directory.resolve(safe(cluster.name()));
            createDirectories(folder);
            List<String> errors = new ArrayList<>();
            KubernetesClient client = cluster.client();
            for (String namespace : List.of(mesh.namespace(), ISTIO_SYSTEM)) {
                attempt(errors, "pods in " + namespace, () -> write(folder.resolve("pods-" + safe(namespace) + ".txt"),
                        pods(client, namespace)));
                attempt(errors, "events in " + namespace, () -> write(folder.resolve("events-" + safe(namespace) + ".txt"),
                        events(client, namespace)));
            }
            attempt(errors, "istiod", () -> collectIstiod(client, folder, errors));
            attempt(errors, "sidecar endpoints", () -> collectSidecarEndpoints(client, mesh.namespace(), folder, errors));
            if (SpecFacts.multiNetwork(mesh.spec())) {
                attempt(errors, "east-west gateway", () -> collectEastWestGateway(client, folder, errors));
            }
            if (!errors.isEmpty()) {
                write(folder.resolve("errors.txt"), String.join("\n", errors));
            }
        }
        LOG.info("mesh diagnostics written to {}", directory.toAbsolutePath());
        return directory;
    }

    /**
     * On several networks: the gateway Service (type, network label, ports, external IPs, load
     * balancer ingress), its pods, the tail of the first one's log, and istiod's
     * {@code /debug/networkz} (the gateways it knows).
     */
    private void collectEastWestGateway(KubernetesClient client, Path folder, List<String> errors) {
        write(folder.resolve("eastwestgateway-service.txt"), EastWestGateway.service(client).map(service -> {
            var spec = service.getSpec();
            return service.getMetadata().getName() + " type=" + spec.getType() + " labels=" + service.getMetadata().getLabels()
                    + "\n  ports=" + spec.getPorts().stream().map(p -> p.getName() + ":" + p.getPort()).toList()
                    + "\n  externalIPs=" + spec.getExternalIPs()
                    + "\n  loadBalancer=" + (service.getStatus() == null ? null : service.getStatus().getLoadBalancer())
                    + "\n  addresses istiod takes=" + EastWestGateway.addresses(service);
        }).orElse("no Service " + ISTIO_SYSTEM + "/" + EastWestGateway.RELEASE));
        List<Pod> pods = client.pods().inNamespace(ISTIO_SYSTEM).withLabel(EastWestGateway.POD_LABEL, EastWestGateway.POD_LABEL_VALUE)
                .list().getItems().stream().sorted(Comparator.comparing(pod -> pod.getMetadata().getName())).toList();
        write(folder.resolve("eastwestgateway-pods.txt"), pods.isEmpty()
                ? "no pod labelled " + EastWestGateway.selector() + " in " + ISTIO_SYSTEM
                : pods.stream().map(DiagnosticsCollector::describe).collect(Collectors.joining("\n")));
        if (!pods.isEmpty()) {
            String name = pods.get(0).getMetadata().getName();
            attempt(errors, "east-west gateway log", () -> write(folder.resolve("eastwestgateway.log"), client.pods()
                    .inNamespace(ISTIO_SYSTEM).withName(name).inContainer(SourcePod.SIDECAR).tailingLines(ISTIOD_LOG_LINES)
                    .getLog()));
        }
        Istiod.pod(client).ifPresent(istiod -> {
            PodExec.ExecResult networkz = podExec.exec(client, ISTIO_SYSTEM, istiod.getMetadata().getName(), Istiod.CONTAINER,
                    execTimeout, Istiod.NETWORKZ_COMMAND);
            write(folder.resolve("networkz.json"), networkz.succeeded() ? networkz.stdout()
                    : "exit " + networkz.exitCode() + "\n" + networkz.stderr());
        });
    }

    private void collectIstiod(KubernetesClient client, Path folder, List<String> errors) {
        Optional<Pod> istiod = Istiod.pod(client);
        if (istiod.isEmpty()) {
            errors.add("istiod: no running pod labelled " + Istiod.selector() + " in " + ISTIO_SYSTEM);
            return;
        }
        String name = istiod.get().getMetadata().getName();
        attempt(errors, "istiod log", () -> write(folder.resolve("istiod.log"), client.pods().inNamespace(ISTIO_SYSTEM)
                .withName(name).inContainer(Istiod.CONTAINER).tailingLines(ISTIOD_LOG_LINES).getLog()));
        PodExec.ExecResult clusterz = podExec.exec(client, ISTIO_SYSTEM, name, Istiod.CONTAINER, execTimeout,
                Istiod.CLUSTERZ_COMMAND);
        write(folder.resolve("clusterz.json"), clusterz.succeeded() ? clusterz.stdout()
                : "exit " + clusterz.exitCode() + "\n" + clusterz.stderr());
    }

    private void collectSidecarEndpoints(KubernetesClient client, String namespace, Path folder, List<String> errors) {
        String serviceSuffix = "." + namespace + ".svc.";
        List<Pod> sidecars = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(pod -> pod.getSpec().getContainers().stream().anyMatch(c -> SourcePod.SIDECAR.equals(c.getName())))
                .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()))
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .limit(MAX_SIDECARS)
                .toList();
        for (Pod pod : sidecars) {
            String name = pod.getMetadata().getName();
            attempt(errors, "endpoints of " + name, () -> {
                // Envoy's admin /clusters, text form: outbound|5000||helloworld.<ns>.svc.cluster.local::10.20.0.7:5000::health_flags::healthy
                PodExec.ExecResult clusters = podExec.exec(client, namespace, name, SourcePod.SIDECAR, execTimeout,
                        List.of("pilot-agent", "request", "GET", "clusters"));
                String text = clusters.succeeded()
                        ? clusters.stdout().lines().filter(line -> line.startsWith("outbound|") && line.contains(serviceSuffix))
                                .filter(DiagnosticsCollector::isEndpointLine).collect(Collectors.joining("\n"))
                        : "exit " + clusters.exitCode() + "\n" + clusters.stderr();
                write(folder.resolve("endpoints-" + safe(name) + ".txt"), text);
            });
        }
    }

    private static boolean isEndpointLine(String line) {
        return Stream.of("::health_flags::", "::cx_connect_fail::", "::rq_total::", "::rq_error::", "::zone::")
                .anyMatch(line::contains);
    }

    private static String pods(KubernetesClient client, String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .map(DiagnosticsCollector::describe)
                .collect(Collectors.joining("\n"));
    }

    private static String describe(Pod pod) {
        StringBuilder text = new StringBuilder(pod.getMetadata().getName());
        var status = pod.getStatus();
        if (status == null) {
            return text.append(" (no status)").toString();
        }
        text.append(" phase=").append(status.getPhase()).append(" podIP=").append(status.getPodIP())
                .append(" node=").append(pod.getSpec().getNodeName());
        Stream.concat(status.getInitContainerStatuses().stream(), status.getContainerStatuses().stream()).forEach(c -> {
            text.append("\n  ").append(c.getName()).append(" image=").append(c.getImage()).append(" ready=")
                    .append(c.getReady()).append(" restarts=").append(c.getRestartCount());
            if (c.getState() != null && c.getState().getWaiting() != null) {
                text.append(" waiting=").append(c.getState().getWaiting().getReason()).append(": ")
                        .append(c.getState().getWaiting().getMessage());
            } else if (c.getState() != null && c.getState().getTerminated() != null) {
                text.append(" terminated=").append(c.getState().getTerminated().getReason()).append(" exit=")
                        .append(c.getState().getTerminated().getExitCode());
            }
        });
        return text.toString();
    }

    private static String events(KubernetesClient client, String namespace) {
        List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(DiagnosticsCollector::eventTime)).toList();
        return events.subList(Math.max(0, events.size() - MAX_EVENTS), events.size()).stream()
                .map(event -> String.join(" ", eventTime(event), String.valueOf(event.getType()),
                        String.valueOf(event.getReason()), event.getInvolvedObject() == null ? "?"
                                : event.getInvolvedObject().getKind() + "/" + event.getInvolvedObject().getName(),
                        String.valueOf(event.getMessage())))
                .collect(Collectors.joining("\n"));
    }

    private static String eventTime(Event event) {
        return Stream.of(event.getLastTimestamp(), event.getFirstTimestamp(),
                event.getEventTime() == null ? null : event.getEventTime().getTime())
                .filter(Objects::nonNull).findFirst().orElse("");
    }

    private static void attempt(List<String> errors, String what, Runnable collector) {
        try {
            collector.run();
        } catch (RuntimeException e) {
            errors.add(what + ": " + e);
        }
    }

    /** Writes at most {@link #MAX_FILE_BYTES} bytes, keeping the end. */
    static void write(Path file, String content) {
        byte[] bytes = (content == null ? "" : content).getBytes(StandardCharsets.UTF_8);
        try {
            if (bytes.length > MAX_FILE_BYTES) {
                byte[] note = ("[truncated: first " + (bytes.length - MAX_FILE_BYTES) + " bytes left out]\n")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] kept = new byte[note.length + MAX_FILE_BYTES];
                System.arraycopy(note, 0, kept, 0, note.length);
                System.arraycopy(bytes, bytes.length - MAX_FILE_BYTES, kept, note.length, MAX_FILE_BYTES);
                bytes = kept;
            }
            OwnerOnlyFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Owner-only: pod logs and events may say more about a cluster than its other users should read. */
    private static void createDirectories(Path directory) {
        try {
            OwnerOnlyFiles.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the diagnostics folder " + directory, e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
