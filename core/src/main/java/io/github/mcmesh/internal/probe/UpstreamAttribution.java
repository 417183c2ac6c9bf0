package io.github.mcmesh.internal.probe;

import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tells which cluster served an HTTP call from the caller's sidecar access log, for any service:
 * the line with the call's user agent names the endpoint Envoy chose ({@code %UPSTREAM_HOST%},
 * {@code ip:port}), and the clusters' pod ranges are distinct, so the pod IP names its cluster.
 * Reads Istio's default text format (pilot/pkg/model/telemetry_logging.go {@code EnvoyTextLogFormat},
 * the same quoted fields at 1.18.2 and 1.30.3) and its JSON encoding. An endpoint in no pod range
 * (a gateway, a host outside the mesh), a line without an upstream ({@code -}) or no line at all
 * leaves the call unattributed, saying why; nothing is guessed.
 *
 * <pre>{@code
 * UpstreamAttribution byUpstream = new UpstreamAttribution(mesh.spec().clusters());
 * HttpObservation seen = byUpstream.attribute(call, sidecarLog).orElse(call);   // empty: no line yet
 * seen.respondingCluster();   // Optional[mcmesh-west]
 * }</pre>
 */
public final class UpstreamAttribution {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    /** The 0-based quoted fields of the default text format: user agent and upstream host. */
    private static final int USER_AGENT_FIELD = 3;
    private static final int UPSTREAM_HOST_FIELD = 6;
    private static final Pattern JSON_FIELD = Pattern.compile("\"(upstream_host|upstream_cluster|user_agent|response_flags)\"\\s*:\\s*\"([^\"]*)\"");

    private final List<ClusterSpec> clusters;

    public UpstreamAttribution(List<ClusterSpec> clusters) {
        this.clusters = List.copyOf(clusters);
    }

    /** What the caller's sidecar logged for one outbound request. */
    record Line(String userAgent, String upstreamHost, String upstreamCluster, String responseFlags) {
    }

    /**
     * {@code call} attributed from the sidecar's log, or marked unattributable with the reason;
     * empty when the log has no outbound line with the call's user agent (Envoy flushes its log
     * file every second, so it may not be there yet).
     */
    public Optional<HttpObservation> attribute(HttpObservation call, String sidecarLog) {
        Optional<String> userAgent = call.userAgent();
        if (userAgent.isEmpty()) {
            return Optional.of(call.unattributable("sent without a probe id, so its access-log line cannot be told"));
        }
        return sidecarLog.lines().filter(line -> line.contains(userAgent.get())).map(UpstreamAttribution::parse)
                .flatMap(Optional::stream)
                .filter(line -> line.userAgent().equals(userAgent.get()) && line.upstreamCluster().startsWith("outbound|"))
                .findFirst()
                .map(line -> attribute(call, line));
    }

    private HttpObservation attribute(HttpObservation call, Line line) {
        String host = line.upstreamHost();
        if (host.isEmpty() || host.equals("-")) {
            return call.unattributable("the access log names no upstream host (response flags " + line.responseFlags() + ")");
        }
        Optional<Integer> address = ipv4(host);
        if (address.isEmpty()) {
            return call.unattributable("upstream " + host + " is not an IPv4 address of a pod range");
        }
        List<String> owners = clusters.stream().filter(cluster -> cluster.podCidr().contains(address.get()))
                .map(ClusterSpec::name).toList();
        if (owners.size() != 1) {
            return call.unattributable("upstream " + host + " is in " + (owners.isEmpty() ? "no" : "more than one")
                    + " cluster's pod range (" + clusters.stream().map(c -> c.name() + " " + c.podCidr())
                            .collect(Collectors.joining(", ")) + "): a gateway or a host outside the mesh");
        }
        return call.attributedTo(owners.get(0), "upstream " + host);
    }

    /** The line's fields, empty when it is in neither of Istio's formats. */
    static Optional<Line> parse(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("{")) {
            Map<String, String> fields = new java.util.HashMap<>();
            Matcher field = JSON_FIELD.matcher(trimmed);
            while (field.find()) {
                fields.put(field.group(1), field.group(2));
            }
            return fields.containsKey("user_agent") && fields.containsKey("upstream_host")
                    ? Optional.of(new Line(fields.get("user_agent"), fields.get("upstream_host"),
                            fields.getOrDefault("upstream_cluster", ""), fields.getOrDefault("response_flags", "-")))
                    : Optional.empty();
        }
        List<String> quoted = new ArrayList<>();
        Matcher matcher = QUOTED.matcher(trimmed);
        int afterHost = -1;
        int afterRequest = -1;
        while (matcher.find()) {
            quoted.add(matcher.group(1));
            if (quoted.size() == 1) {
                afterRequest = matcher.end();
            }
            if (quoted.size() == UPSTREAM_HOST_FIELD + 1) {
                afterHost = matcher.end();
                break;
            }
        }
        if (afterHost < 0) {
            return Optional.empty();
        }
        String[] rest = trimmed.substring(afterHost).strip().split("\\s+");
        String[] status = trimmed.substring(afterRequest).strip().split("\\s+");
        return Optional.of(new Line(quoted.get(USER_AGENT_FIELD), quoted.get(UPSTREAM_HOST_FIELD),
                rest.length > 0 ? rest[0] : "", status.length > 1 ? status[1] : "-"));
    }

    private static Optional<Integer> ipv4(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        String host = colon > 0 && hostAndPort.indexOf(':') == colon ? hostAndPort.substring(0, colon) : hostAndPort;
        try {
            return Optional.of(Cidr.parseAddress(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
