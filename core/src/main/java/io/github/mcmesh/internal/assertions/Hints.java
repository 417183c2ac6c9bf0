package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.internal.probe.HttpObservation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Hints for the known traps of multi-cluster meshes, derived from what a round saw. */
public final class Hints {

    private static final int COULD_NOT_RESOLVE = 6;
    private static final int TIMED_OUT = 28;

    private Hints() {
    }

    /**
     * Every hint that applies to this round, most likely cause first; {@code expected} are the
     * clusters that should have answered. Connections that time out come first: remote endpoints
     * that never answer are what missing routes between the pod networks look like, and Envoy then
     * retries on local endpoints, which would otherwise read as a trust problem. Peers on another
     * network than the caller's have no routes by design: their timeouts point at their east-west
     * gateway instead.
     */
    static String forCalls(CallRound round, Collection<String> expected) {
        List<String> hints = new ArrayList<>();
        String caller = round.source().cluster();
        boolean timeouts = round.calls().stream().anyMatch(Hints::looksLikeConnectTimeout);
        List<String> routedPeers = round.meshClusters().stream()
                .filter(cluster -> !cluster.equals(caller) && !round.otherNetworks().contains(cluster)).toList();
        if (timeouts && !routedPeers.isEmpty()) {
            hints.add("connections time out: the routes between the clusters' pod networks are probably missing (each"
                    + " node needs a route to every peer's pod and service CIDR via the peer's node IP; check with"
                    + " 'minikube ssh -p " + caller + " -- ip route show'; the next provisioning re-applies missing routes),"
                    + " or a firewall drops the traffic.");
        }
        if (timeouts && !round.otherNetworks().isEmpty()) {
            hints.add("connections time out: " + round.otherNetworks() + " are on other networks than " + caller
                    + ", reached only through their east-west gateway (istio-system/istio-eastwestgateway, port 15443),"
                    + " never by routes: the gateway's address may not be reachable from " + caller + "'s node, or its"
                    + " pod is not ready; the caller's sidecar endpoints below tell whether it routes to the gateway.");
        }
        if (round.calls().stream().anyMatch(call -> call.exitCode() == COULD_NOT_RESOLVE)) {
            hints.add(nameDoesNotResolve(caller));
        }
        if (round.calls().stream().anyMatch(Hints::looksLikeTrustFailure)) {
            hints.add("responses show TLS verification errors: the clusters' workload certificates do not chain to a"
                    + " common root (use TrustMode.SHARED_ROOT_CA with a shared 'cacerts', or TrustMode.PLAINTEXT).");
        }
        Map<String, Long> answers = round.answersByCluster();
        boolean onlyLocal = answers.getOrDefault(caller, 0L) > 0 && answers.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(caller)).allMatch(entry -> entry.getValue() == 0);
        List<String> remote = expected.stream().filter(cluster -> !cluster.equals(caller)).toList();
        List<String> remoteRouted = remote.stream().filter(routedPeers::contains).toList();
        if (onlyLocal && !remote.isEmpty()) {
            hints.add("only " + caller + " (the caller's cluster) answered. Usual causes: "
                    + (timeouts && !remoteRouted.isEmpty() ? "calls to " + remoteRouted + " time out, so the routes to their"
                            + " pod networks are probably missing (see above); or " : "")
                    + (timeouts && remoteRouted.size() < remote.size() ? "calls through the east-west gateways time out"
                            + " (see above); or " : "")
                    + "the clusters do not share a"
                    + " root CA, so mTLS to remote pods fails and Envoy's retries land on local endpoints (check"
                    + " TrustMode and 'cacerts'); or istiod in " + caller + " has no remote secret for " + remote
                    + " (its /debug/clusterz must list them as synced); or the service has no ready pods there.");
        }
        return render(hints);
    }

    /**
     * The multi-network traps the caller's sidecar endpoints point at ({@link CrossNetworkEvidence}).
     *
     * @param remote the clusters on other networks than the caller's
     * @param viaGateway the clusters whose east-west gateway is among the endpoints
     * @param byPodIp the clusters on other networks whose pod IPs are among the endpoints
     * @param gatewayFailures failed connections to the gateways ({@code cx_connect_fail})
     */
    static String forCrossNetwork(String caller, List<String> remote, List<String> viaGateway, List<String> byPodIp,
            long gatewayFailures) {
        List<String> hints = new ArrayList<>();
        if (!byPodIp.isEmpty()) {
            hints.add("the caller's sidecar has pod IPs of " + byPodIp + ", which are not routed between networks: istiod in "
                    + caller + " knows no east-west gateway for their network. Usual causes: the gateway Service"
                    + " istio-system/istio-eastwestgateway has no address (EXTERNAL-IP <pending>: a LoadBalancer without a"
                    + " load balancer; give it spec.externalIPs), or it lacks the label topology.istio.io/network (set by"
                    + " the chart's networkGateway); check 'pilot-discovery request GET /debug/networkz' in istiod.");
        }
        List<String> missing = remote.stream().filter(c -> !viaGateway.contains(c) && !byPodIp.contains(c)).toList();
        if (!missing.isEmpty()) {
            hints.add("the caller's sidecar has no endpoint of " + missing + " at all: istiod in " + caller
                    + " has no remote secret for them or they have no ready pod, or mTLS is off (istiod drops"
                    + " plaintext endpoints on other networks), or the namespace istio-system lacks the label"
                    + " topology.istio.io/network, so istiod takes pods for the wrong network.");
        }
        if (gatewayFailures > 0) {
            hints.add("connections to the east-west gateway fail (" + gatewayFailures + " cx_connect_fail): the Gateway"
                    + " istio-system/cross-network-gateway (port 15443, TLS AUTO_PASSTHROUGH, hosts *.local) may be missing,"
                    + " so the gateway has no 15443 listener, or its pod is not ready.");
        }
        if (!viaGateway.isEmpty()) {
            hints.add("if calls through the gateway fail with TLS errors (CERTIFICATE_VERIFY_FAILED), the clusters have"
                    + " separate roots: the gateway passes mTLS through, so both sidecars must trust one root; compare"
                    + " root-cert.pem of secret istio-system/cacerts in every cluster.");
        }
        return render(hints);
    }

    static String forLookup(String caller) {
        return render(List.of(nameDoesNotResolve(caller)));
    }

    private static String nameDoesNotResolve(String caller) {
        return "the name does not resolve in " + caller + ". Without Istio DNS proxying the Service must exist in the"
                + " caller's cluster too (deploy it there, e.g. Samples.helloworldService()); or turn DNS proxying on"
                + " (ISTIO_META_DNS_CAPTURE: mcmesh.dns.proxying=true).";
    }

    private static boolean looksLikeTrustFailure(HttpObservation call) {
        String text = call.body() + call.error();
        return text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("TLS error");
    }

    private static boolean looksLikeConnectTimeout(HttpObservation call) {
        String text = call.body() + call.error();
        return call.exitCode() == TIMED_OUT
                || text.contains("upstream connect error") && (text.contains("connection timeout")
                        || text.contains("delayed connect error"));
    }

    private static String render(List<String> hints) {
        StringBuilder text = new StringBuilder();
        hints.forEach(hint -> text.append(Evidence.NL).append("Hint: ").append(hint));
        return text.toString();
    }
}
