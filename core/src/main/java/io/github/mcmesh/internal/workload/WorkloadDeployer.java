package io.github.mcmesh.internal.workload;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.workload.Samples;
import io.github.mcmesh.workload.Workload;
import io.github.mcmesh.workload.WorkloadNotReadyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies workloads into one namespace of one cluster (create, or update what exists) and waits until their Deployments
 * are available and their StatefulSets ready; scales them and waits until the scale holds. Pods that cannot
 * start (image pull errors, crash loops, bad config) fail the wait at once with their container
 * states and events instead of waiting out the timeout.
 *
 * <pre>{@code
 * WorkloadDeployer deployer = new WorkloadDeployer(client, "mcmesh-east", "demo",
 *         Map.of("security.istio.io/tlsMode", "disabled"), Duration.ofMinutes(5));
 * deployer.deploy(List.of(Samples.helloworld("v1"), Samples.sleep()));
 * }</pre>
 */
public class WorkloadDeployer {

    /** Waiting reasons a pod does not recover from without a change: fail fast on these. */
    static final Set<String> TERMINAL_WAITING_REASONS = Set.of("ImagePullBackOff", "ErrImagePull",
            "CrashLoopBackOff", "CreateContainerConfigError", "InvalidImageName");
    private static final Set<String> IMAGE_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName");
    private static final int EVENTS_SHOWN = 10;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadDeployer.class);

    private final KubernetesClient client;
    private final String cluster;
    private final String namespace;
    private final Map<String, String> extraPodLabels;
    private final Duration timeout;
    private final Duration pollInterval;

    /**
     * @param extraPodLabels added to every pod template, e.g. {@code security.istio.io/tlsMode: disabled}
     *        in plaintext meshes
     * @param timeout how long Deployments may take to become available
     */
    public WorkloadDeployer(KubernetesClient client, String cluster, String namespace, Map<String, String> extraPodLabels,
            Duration timeout) {
        this(client, cluster, namespace, extraPodLabels, timeout, POLL_INTERVAL);
    }

    public WorkloadDeployer(KubernetesClient client, String cluster, String namespace, Map<String, String> extraPodLabels,
            Duration timeout, Duration pollInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.extraPodLabels = Map.copyOf(extraPodLabels);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.pollInterval = pollInterval.compareTo(timeout) < 0 ? pollInterval : timeout.dividedBy(2);
    }

    /**
     * Applies every workload, then waits until all their Deployments are available.
     *
     * @throws WorkloadNotReadyException when a pod cannot start or the timeout passes
     */
    public void deploy(List<Workload> workloads) {
        long start = System.nanoTime();
        workloads.forEach(workload -> checkServed(workload.resources()));
        List<Target> targets = new ArrayList<>();
        for (Workload workload : workloads) {
            applyChecked(workload.resources().stream().map(this::withExtraPodLabels).toList());
            workload.deployments().forEach(deployment -> targets.add(Target.of(deployment)));
            workload.statefulSets().forEach(statefulSet -> targets.add(Target.of(statefulSet)));
        }
        awaitAvailable(workloads, targets);
        LOG.info("[{}] deployed {} into {} in {} ms", cluster, workloads.stream().map(Workload::name).toList(), namespace,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /**
     * Creates or updates the resources: namespaced ones into the namespace, cluster-scoped ones as they are;
     * generic ones are {@link #checkServed checked} first, all before any is applied.
     */
    public void apply(List<? extends HasMetadata> resources) {
        checkServed(resources);
        applyChecked(resources);
    }

    /**
     * Fails when the cluster does not serve the kind of a generic resource among these (fabric8 reads
     * every kind it has no model for as one, and fails only when applying it, naming neither file
     * nor document); typed objects are fabric8's own kinds and pass.
     *
     * @throws IllegalArgumentException naming the object, with its file and document when it came from a manifest
     */
    public void checkServed(List<? extends HasMetadata> resources) {
        for (HasMetadata resource : resources) {
            if (resource instanceof GenericKubernetesResource && !served(resource)) {
                throw new IllegalArgumentException("Cluster " + cluster + " does not serve kind " + resource.getKind() + " of "
                        + resource.getApiVersion() + " (" + Manifest.originOf(resources, resource) + "), so nothing was"
                        + " applied; check apiVersion and kind against 'kubectl api-resources', or install its CRD first"
                        + " (Istio's come with the istio-base chart)");
            }
        }
    }

    private void applyChecked(List<? extends HasMetadata> resources) {
        for (HasMetadata resource : resources) {
            var operation = isNamespaced(resource) ? client.resource(resource).inNamespace(namespace) : client.resource(resource);
            operation.createOr(NonDeletingOperation::update);
            LOG.debug("[{}] applied {} {}", cluster, resource.getKind(), resource.getMetadata().getName());
        }
    }

    private HasMetadata withExtraPodLabels(HasMetadata resource) {
        if (extraPodLabels.isEmpty()) {
            return resource;
        }
        if (resource instanceof StatefulSet statefulSet) {
            return new StatefulSetBuilder(statefulSet).editSpec().editTemplate()
                    .editOrNewMetadata().addToLabels(extraPodLabels).endMetadata().endTemplate().endSpec().build();
        }
        if (!(resource instanceof Deployment deployment)) {
            return resource;
        }
        return new DeploymentBuilder(deployment).editSpec().editTemplate().editMetadata()
                .addToLabels(extraPodLabels).endMetadata().endTemplate().endSpec().build();
    }

    private boolean isNamespaced(HasMetadata resource) {
        if (resource instanceof Namespaced) {
            return true;
        }
        if (!(resource instanceof GenericKubernetesResource)) {
            return false;
        }
        try {
            return servedKind(resource).map(APIResource::getNamespaced).orElse(true);
        } catch (KubernetesClientException e) {
            // discovery unavailable: Istio's configuration kinds are all namespaced
            return true;
        }
    }

    /** Whether discovery lists the kind; a group the server does not know answers 404. Other failures leave it to the apply. */
    private boolean served(HasMetadata resource) {
        try {
            return servedKind(resource).isPresent();
        } catch (KubernetesClientException e) {
            return e.getCode() != 404;
        }
    }

    /** The kind as discovery lists it ({@code GET /apis/<group>/<version>}), empty when the cluster does not serve it. */
    private Optional<APIResource> servedKind(HasMetadata resource) {
        var served = client.getApiResources(resource.getApiVersion());
        if (served == null) {
            return Optional.empty();
        }
        return served.getResources().stream().filter(api -> api.getKind().equals(resource.getKind())).findFirst();
    }

    /**
     * Scales the Deployment or StatefulSet and waits until it holds: {@code replicas} ready (and no
     * more pods counted), or, for 0, no pods left. fabric8's {@code scale(n)} does not wait, and its
     * {@code scale(n, true)} counts pods, not readiness (HasMetadataOperation {@code waitUntilScaled}).
     *
     * @throws IllegalArgumentException when neither exists or {@code replicas} is negative
     * @throws WorkloadNotReadyException when it does not hold within the timeout, with what was observed
     */
    public void scale(String name, int replicas) {
        String header = "Cannot scale '" + name + "' in cluster " + cluster + ", namespace " + namespace;
        if (replicas < 0) {
            throw new IllegalArgumentException(header + " to " + replicas + ": replicas must be 0 or more");
        }
        long start = System.nanoTime();
        Target target;
        RollableScalableResource<? extends HasMetadata> resource;
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        StatefulSet statefulSet = deployment != null ? null
                : client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (deployment != null) {
            target = Target.of(deployment);
            resource = client.apps().deployments().inNamespace(namespace).withName(name);
        } else if (statefulSet != null) {
            target = Target.of(statefulSet);
            resource = client.apps().statefulSets().inNamespace(namespace).withName(name);
        } else {
            throw new IllegalArgumentException(header + ": there is no Deployment or StatefulSet of that name; Deployments: "
                    + client.apps().deployments().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList()
                    + ", StatefulSets: "
                    + client.apps().statefulSets().inNamespace(namespace).list().getItems().stream().map(d -> d.getMetadata().getName()).toList());
        }
        resource.scale(replicas);
        String what = target.kind() + " '" + name + "' in cluster " + cluster + ", namespace " + namespace;
        try {
            Awaitility.await("scale of " + what + " to " + replicas)
                    .atMost(timeout).pollDelay(Duration.ZERO).pollInterval(pollInterval)
                    .until(() -> {
                        if (replicas > 0) {
                            failIfStuck("Scaling " + what + " to " + replicas, List.of(target));
                        }
                        return observe(target).holds(replicas) && (replicas > 0 || pods(List.of(target)).isEmpty());
                    });
        } catch (ConditionTimeoutException e) {
            List<Pod> pods = pods(List.of(target));
            throw new WorkloadNotReadyException("Scaling " + what + " to " + replicas + " did not hold within " + timeout
                    + ": observed " + observe(target) + (replicas == 0 ? "; pods left: " + pods.stream()
                            .map(pod -> pod.getMetadata().getName() + " (" + phase(pod)
                                    + (pod.getMetadata().getDeletionTimestamp() != null ? ", terminating" : "") + ")").toList() : "")
                    + "." + evidence(List.of(target)), e);
        }
        LOG.info("[{}] scaled {} {} to {} in {} ms", cluster, target.kind(), name, replicas,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** What waiting needs of a Deployment or StatefulSet: its kind, name and pod selector. */
    record Target(String kind, String name, Map<String, String> selector) {
        static Target of(Deployment deployment) {
            return new Target("Deployment", deployment.getMetadata().getName(), deployment.getSpec().getSelector().getMatchLabels());
        }

        static Target of(StatefulSet statefulSet) {
            return new Target("StatefulSet", statefulSet.getMetadata().getName(), statefulSet.getSpec().getSelector().getMatchLabels());
        }
    }

    /** A Deployment's or StatefulSet's status as the API server has it now; {@code exists} false when it is gone. */
    record Observed(boolean exists, int specReplicas, int replicas, int ready, int available, int updated, long generation,
            long observedGeneration) {

        /** Rolled out: the controller saw the latest spec and {@code wanted} replicas are ready, no more counted. */
        boolean holds(int wanted) {
            return exists && specReplicas == wanted && observedGeneration >= generation && ready == wanted && replicas == wanted;
        }

        @Override
        public String toString() {
            return exists ? "spec.replicas " + specReplicas + ", status replicas " + replicas + ", ready " + ready + ", available "
                    + available + ", observed generation " + observedGeneration + " of " + generation : "it no longer exists";
        }
    }

    private Observed observe(Target target) {
        if (target.kind().equals("StatefulSet")) {
            StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName(target.name()).get();
            if (current == null) {
                return new Observed(false, 0, 0, 0, 0, 0, 0, 0);
            }
            var status = current.getStatus();
            return new Observed(true, orOne(current.getSpec().getReplicas()), status == null ? 0 : orZero(status.getReplicas()),
                    status == null ? 0 : orZero(status.getReadyReplicas()), status == null ? 0 : orZero(status.getAvailableReplicas()),
                    status == null ? 0 : orZero(status.getUpdatedReplicas()), orZero(current.getMetadata().getGeneration()),
                    status == null ? 0 : orZero(status.getObservedGeneration()));
        }
        Deployment current = client.apps().deployments().inNamespace(namespace).withName(target.name()).get();
        if (current == null) {
            return new Observed(false, 0, 0, 0, 0, 0, 0, 0);
        }
        var status = current.getStatus();
        return new Observed(true, orOne(current.getSpec().getReplicas()), status == null ? 0 : orZero(status.getReplicas()),
                status == null ? 0 : orZero(status.getReadyReplicas()), status == null ? 0 : orZero(status.getAvailableReplicas()),
                status == null ? 0 : orZero(status.getUpdatedReplicas()), orZero(current.getMetadata().getGeneration()),
                status == null ? 0 : orZero(status.getObservedGeneration()));
    }

    private static int orOne(Integer value) {
        return value == null ? 1 : value;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? "unknown" : pod.getStatus().getPhase();
    }

    private void awaitAvailable(List<Workload> workloads, List<Target> targets) {
        if (targets.isEmpty()) {
            return;
        }
        try {
            Awaitility.await("workloads " + names(workloads) + " available in " + cluster)
                    .atMost(timeout).pollDelay(Duration.ZERO).pollInterval(pollInterval)
                    .until(() -> {
                        failIfStuck(header(workloads), targets);
                        return targets.stream().allMatch(this::isAvailable);
                    });
        } catch (ConditionTimeoutException e) {
            List<String> deployments = targets.stream().filter(target -> target.kind().equals("Deployment") && !isAvailable(target))
                    .map(Target::name).toList();
            List<String> statefulSets = targets.stream().filter(target -> target.kind().equals("StatefulSet") && !isAvailable(target))
                    .map(Target::name).toList();
            throw new WorkloadNotReadyException(header(workloads) + " did not become ready within " + timeout + ": "
                    + (deployments.isEmpty() ? "" : "Deployments " + deployments + " are not available")
                    + (deployments.isEmpty() || statefulSets.isEmpty() ? "" : ", ")
                    + (statefulSets.isEmpty() ? "" : "StatefulSets " + statefulSets + " are not ready") + "." + evidence(targets), e);
        }
    }

    private boolean isAvailable(Target target) {
        if (target.kind().equals("StatefulSet")) {
            // a StatefulSet's pods are ready one after the other; it is there when the controller saw its spec and all are ready
            Observed observed = observe(target);
            return observed.exists() && observed.observedGeneration() >= observed.generation()
                    && observed.ready() >= observed.specReplicas();
        }
        Deployment current = client.apps().deployments().inNamespace(namespace).withName(target.name()).get();
        if (current == null || current.getStatus() == null) {
            return false;
        }
        int replicas = Optional.ofNullable(current.getSpec().getReplicas()).orElse(1);
        long generation = Optional.ofNullable(current.getMetadata().getGeneration()).orElse(0L);
        long observed = Optional.ofNullable(current.getStatus().getObservedGeneration()).orElse(0L);
        return observed >= generation
                && Optional.ofNullable(current.getStatus().getUpdatedReplicas()).orElse(0) >= replicas
                && Optional.ofNullable(current.getStatus().getAvailableReplicas()).orElse(0) >= replicas;
    }

    private void failIfStuck(String header, List<Target> deployments) {
        for (Pod pod : pods(deployments)) {
            for (ContainerStatus status : containerStatuses(pod).toList()) {
                String reason = waitingReason(status);
                if (reason != null && TERMINAL_WAITING_REASONS.contains(reason)) {
                    throw new WorkloadNotReadyException(header + " cannot become ready: pod "
                            + pod.getMetadata().getName() + " container " + status.getName() + " is waiting: " + reason
                            + describeWaiting(status) + "." + hint(reason, status) + evidence(deployments));
                }
            }
        }
    }

    private String hint(String reason, ContainerStatus status) {
        if (IMAGE_REASONS.contains(reason)) {
            return "\nThe cluster cannot pull image " + status.getImage() + ". Use an image it can reach (a mirror or"
                    + " private registry): for mcmesh's samples set " + MeshProperties.SAMPLE_IMAGES
                    + " (e.g. sleep=registry.example.com/curl:8.16.0), for any workload Workload.withImage(...);"
                    + " or load it into the cluster (" + MeshProperties.PRELOAD_IMAGES + "=true, 'minikube image load').";
        }
        if ("CrashLoopBackOff".equals(reason) && status.getLastState() != null
                && status.getLastState().getTerminated() != null) {
            var terminated = status.getLastState().getTerminated();
            return "\nThe container (image " + status.getImage() + ", overridable with Workload.withImage(...)) keeps"
                    + " exiting: last exit code " + terminated.getExitCode() + " (" + terminated.getReason() + ").";
        }
        return "";
    }

    private String evidence(List<Target> deployments) {
        List<Pod> pods = pods(deployments);
        StringBuilder text = new StringBuilder("\nContainer states:");
        if (pods.isEmpty()) {
            text.append("\n  no pods yet (check the ReplicaSet's events, e.g. quota or admission webhook errors)");
        }
        for (Pod pod : pods) {
            text.append("\n  pod ").append(pod.getMetadata().getName()).append(" (phase ")
                    .append(pod.getStatus() == null ? "unknown" : pod.getStatus().getPhase()).append("):");
            containerStatuses(pod).forEach(status -> text.append("\n    ").append(describe(status)));
        }
        text.append("\nRecent events:");
        List<String> events = recentEvents(pods, deployments);
        if (events.isEmpty()) {
            text.append("\n  none");
        }
        events.forEach(event -> text.append("\n  ").append(event));
        return text.toString();
    }

    private List<String> recentEvents(List<Pod> pods, List<Target> deployments) {
        Set<String> names = new java.util.HashSet<>();
        pods.forEach(pod -> names.add(pod.getMetadata().getName()));
        deployments.forEach(deployment -> names.add(deployment.name()));
        List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(event -> event.getInvolvedObject() != null && names.stream()
                        .anyMatch(name -> String.valueOf(event.getInvolvedObject().getName()).startsWith(name)))
                .sorted(Comparator.comparing(WorkloadDeployer::eventTime))
                .toList();
        return events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size()).stream()
                .map(event -> String.format("%s %s %s/%s: %s", event.getType(), event.getReason(),
                        event.getInvolvedObject().getKind(), event.getInvolvedObject().getName(), event.getMessage()))
                .toList();
    }

    private static String eventTime(Event event) {
        return Stream.of(event.getLastTimestamp(), event.getFirstTimestamp(),
                event.getEventTime() == null ? null : event.getEventTime().getTime())
                .filter(Objects::nonNull).findFirst().orElse("");
    }

    private List<Pod> pods(List<Target> deployments) {
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (Target deployment : deployments) {
            client.pods().inNamespace(namespace).withLabels(deployment.selector())
                    .list().getItems().forEach(pod -> pods.put(pod.getMetadata().getName(), pod));
        }
        return List.copyOf(pods.values());
    }

    private static Stream<ContainerStatus> containerStatuses(Pod pod) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.concat(pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses().stream());
    }

    private static String waitingReason(ContainerStatus status) {
        return status.getState() != null && status.getState().getWaiting() != null
                ? status.getState().getWaiting().getReason() : null;
    }

    private static String describeWaiting(ContainerStatus status) {
        String message = status.getState().getWaiting().getMessage();
        return message == null ? "" : " (" + message + ")";
    }

    private static String describe(ContainerStatus status) {
        String state;
        if (status.getState() == null) {
            state = "unknown";
        } else if (status.getState().getWaiting() != null) {
            state = "waiting " + status.getState().getWaiting().getReason() + describeWaiting(status);
        } else if (status.getState().getTerminated() != null) {
            state = "terminated exit code " + status.getState().getTerminated().getExitCode() + " ("
                    + status.getState().getTerminated().getReason() + ")";
        } else {
            state = "running";
        }
        return status.getName() + " [" + status.getImage() + "]: " + state + ", ready " + status.getReady()
                + ", restarts " + status.getRestartCount();
    }

    private String header(List<Workload> workloads) {
        return "Workload " + names(workloads) + " in cluster " + cluster + ", namespace " + namespace;
    }

    private static String names(List<Workload> workloads) {
        return String.join(", ", workloads.stream().map(workload -> "'" + workload.name() + "'").toList());
    }
}
