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
     * retries on local endpoints, which would otherwise read as a trust problem.
     */
    static String forCalls(CallRound round, Collection<String> expected) {
        List<String> hints = new ArrayList<>();
        String caller = round.source().cluster();
        boolean timeouts = round.calls().stream().anyMatch(Hints::looksLikeConnectTimeout);
        if (timeouts) {
            hints.add("connections time out: the routes between the clusters' pod networks are probably missing (each"
                    + " node needs a route to every peer's pod and service CIDR via the peer's node IP; check with"
                    + " 'minikube ssh -p " + caller + " -- ip route show'; the next provisioning re-applies missing routes),"
                    + " or a firewall drops the traffic.");
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
        if (onlyLocal && !remote.isEmpty()) {
            hints.add("only " + caller + " (the caller's cluster) answered. Usual causes: "
                    + (timeouts ? "calls to " + remote + " time out, so the routes to their pod networks are probably"
                            + " missing (see above); or " : "")
                    + "the clusters do not share a"
                    + " root CA, so mTLS to remote pods fails and Envoy's retries land on local endpoints (check"
                    + " TrustMode and 'cacerts'); or istiod in " + caller + " has no remote secret for " + remote
                    + " (its /debug/clusterz must list them as synced); or the service has no ready pods there.");
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
