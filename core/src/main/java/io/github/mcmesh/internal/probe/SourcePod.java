package io.github.mcmesh.internal.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The pod a probe runs in: its cluster, namespace, name and the application container (not the
 * {@code istio-proxy} sidecar).
 *
 * <pre>{@code
 * SourcePod sleep = SourcePod.find(mesh.cluster("mcmesh-east"), "sleep");
 * HttpObservation seen = new HttpProbe(new Fabric8PodExec(), Duration.ofSeconds(5))
 *         .call(sleep, "http://helloworld:5000/hello");
 * }</pre>
 *
 * @param cluster the cluster's name
 * @param client a client for that cluster
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param container the application container commands run in
 */
public record SourcePod(String cluster, KubernetesClient client, String namespace, String name, String container) {

    /** The sidecar's container name. */
    public static final String SIDECAR = "istio-proxy";

    public SourcePod {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(container, "container");
    }

    /**
     * The first running pod (by name) labelled {@code app=<app>} in the handle's namespace.
     *
     * @throws IllegalStateException naming the cluster, namespace and the pods seen when there is none
     */
    public static SourcePod find(ClusterHandle cluster, String app) {
        List<Pod> pods = cluster.client().pods().inNamespace(cluster.namespace()).withLabel("app", app).list().getItems();
        return pods.stream()
                .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && pod.getMetadata().getDeletionTimestamp() == null)
                .min(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .map(pod -> new SourcePod(cluster.name(), cluster.client(), cluster.namespace(), pod.getMetadata().getName(),
                        applicationContainer(pod)))
                .orElseThrow(() -> new IllegalStateException("No running pod labelled app=" + app + " in cluster "
                        + cluster.name() + ", namespace " + cluster.namespace() + " (pods with that label: "
                        + pods.stream().map(pod -> pod.getMetadata().getName() + " "
                                + (pod.getStatus() == null ? "no status" : pod.getStatus().getPhase())).toList()
                        + "); deploy it first, e.g. mesh.cluster(\"" + cluster.name() + "\").deploy(Samples.sleep())"));
    }

    private static String applicationContainer(Pod pod) {
        return pod.getSpec().getContainers().stream().map(Container::getName)
                .filter(name -> !SIDECAR.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Pod " + pod.getMetadata().getName()
                        + " has no container besides " + SIDECAR));
    }

    /** Whether the pod runs an Istio sidecar. */
    public boolean hasSidecar() {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        return pod != null && pod.getSpec().getContainers().stream().anyMatch(c -> SIDECAR.equals(c.getName()));
    }

    /**
     * The last {@code window} of the pod's sidecar log: its access log, when access logging is on
     * (Envoy writes it to {@code /dev/stdout}).
     */
    public String sidecarLog(Duration window) {
        return client.pods().inNamespace(namespace).withName(name).inContainer(SIDECAR)
                .sinceSeconds((int) Math.max(1, window.toSeconds())).getLog();
    }

    /** Whether commands run in the curl container mcmesh added ({@link ProbeContainer}), not the pod's own. */
    public boolean inProbeContainer() {
        return ProbeContainer.NAME.equals(container);
    }

    /** E.g. {@code sleep-1 (sleep) in cluster east, namespace demo}, or with {@code ephemeral curl container mcmesh-probe}. */
    @Override
    public String toString() {
        return name + " (" + (inProbeContainer() ? "ephemeral curl container " + container : container) + ") in cluster "
                + cluster + ", namespace " + namespace;
    }
}
