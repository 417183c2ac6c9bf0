package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where istiod lives and how to ask it, as Istio's {@code istio-discovery} chart lays it out
 * (istio/istio {@code manifests/charts/istio-control/istio-discovery/templates/deployment.yaml}, 1.18
 * to 1.30): namespace {@code istio-system}, pods labelled {@code app: istiod}, container
 * {@code discovery} (readiness {@code GET /ready} on 8080), whose {@code pilot-discovery request}
 * reaches the debug port 15014 on localhost. The one owner of these facts: the health check and
 * the diagnostics both ask here, and pick the same pod.
 *
 * <pre>{@code
 * Optional<Pod> pod = Istiod.pod(client);
 * podExec.exec(client, Istiod.NAMESPACE, pod.get().getMetadata().getName(), Istiod.CONTAINER, timeout, Istiod.CLUSTERZ_COMMAND);
 * }</pre>
 */
public final class Istiod {

    /** Istio's root namespace, where the charts install istiod. */
    public static final String NAMESPACE = "istio-system";
    /** The label key and value on istiod's pods. */
    public static final String POD_LABEL = "app";
    public static final String POD_LABEL_VALUE = "istiod";
    /** istiod's container, where {@code pilot-discovery request} reaches the debug port 15014 on localhost. */
    public static final String CONTAINER = "discovery";
    /** istiod's view of its clusters ({@code pkg/cluster/debug.go}: {@code id}, {@code secretName}, {@code syncStatus}). */
    public static final List<String> CLUSTERZ_COMMAND = List.of("pilot-discovery", "request", "GET", "/debug/clusterz");
    /**
     * istiod's cross-network gateways ({@code pilot/pkg/xds/debug.go} "List cross-network gateways":
     * {@code NetworkManager.AllGateways()}, a JSON list of {@code model.NetworkGateway} with the Go
     * field names {@code Network}, {@code Cluster}, {@code Addr}, {@code Port} at 1.18.2 and 1.30.3).
     */
    public static final List<String> NETWORKZ_COMMAND = List.of("pilot-discovery", "request", "GET", "/debug/networkz");

    /**
     * Running pods first; among them ready ones (their readiness probe passes, so they serve),
     * then those not being deleted, then by name, so every caller picks the same pod.
     */
    static final Comparator<Pod> PREFERENCE = Comparator.comparing((Pod pod) -> !ready(pod))
            .thenComparing(pod -> pod.getMetadata().getDeletionTimestamp() != null)
            .thenComparing(pod -> pod.getMetadata().getName());

    private Istiod() {
    }

    /** {@code app=istiod}, as messages name the selector. */
    public static String selector() {
        return POD_LABEL + "=" + POD_LABEL_VALUE;
    }

    /** The istiod pod to ask: a running one, ready ones first, then not being deleted, then by name; empty when none runs. */
    public static Optional<Pod> pod(KubernetesClient client) {
        return choose(client.pods().inNamespace(NAMESPACE).withLabel(POD_LABEL, POD_LABEL_VALUE).list().getItems());
    }

    static Optional<Pod> choose(List<Pod> pods) {
        return pods.stream().filter(Istiod::running).min(PREFERENCE);
    }

    private static boolean running(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
    }
}
