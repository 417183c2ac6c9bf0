package io.github.mcmesh.internal.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one HTTP call from a pod saw: curl's exit code, the status, body, headers and time, the
 * error curl printed, and the cluster the answer was attributed to (if known).
 *
 * <pre>{@code
 * HttpObservation seen = probe.call(sleep, "http://helloworld:5000/hello");
 * if (seen.succeeded()) {
 *     System.out.println(seen.body());   // Hello version: v2, instance: helloworld-v2-758dd55874-6x4t8
 * }
 * }</pre>
 *
 * @param url the URL called
 * @param exitCode curl's exit code (0 ok, 6 could not resolve, 7 could not connect, 28 timeout),
 *        -1 when the exec did not complete (timeout, or a failure the error explains)
 * @param status the HTTP status, 0 when there was no response
 * @param body the response body
 * @param time curl's total time
 * @param headers response headers, names lower case
 * @param error what curl wrote to stderr, trimmed
 * @param cluster the cluster that answered, {@code null} when unknown
 * @param probeId the call's own id, sent as its user agent {@code mcmesh-probe/<id>} so the caller's
 *        sidecar access log line can be found; {@code null} when not sent
 * @param attributionNote how the cluster was told (e.g. {@code upstream 10.20.0.7:5000}), or why it
 *        could not be; {@code null} when there is nothing to add
 */
public record HttpObservation(String url, int exitCode, int status, String body, Duration time,
        Map<String, List<String>> headers, String error, String cluster, String probeId, String attributionNote) {

    private static final int SHOWN_CHARACTERS = 160;

    public HttpObservation {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
        error = error == null ? "" : error.strip();
    }

    /** An observation without a probe id or attribution note. */
    public HttpObservation(String url, int exitCode, int status, String body, Duration time,
            Map<String, List<String>> headers, String error, String cluster) {
        this(url, exitCode, status, body, time, headers, error, cluster, null, null);
    }

    /** curl ended normally and the status is 2xx. */
    public boolean succeeded() {
        return exitCode == 0 && status >= 200 && status < 300;
    }

    /** The cluster that answered, if it could be attributed. */
    public Optional<String> respondingCluster() {
        return Optional.ofNullable(cluster);
    }

    /** The first value of a header, names compared ignoring case. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .flatMap(entry -> entry.getValue().stream()).findFirst();
    }

    /** The same observation attributed to {@code respondingCluster}. */
    public HttpObservation attributedTo(String respondingCluster) {
        return new HttpObservation(url, exitCode, status, body, time, headers, error, respondingCluster, probeId,
                attributionNote);
    }

    /** The same observation attributed to {@code respondingCluster}, saying how ({@code note}). */
    public HttpObservation attributedTo(String respondingCluster, String note) {
        return new HttpObservation(url, exitCode, status, body, time, headers, error, respondingCluster, probeId, note);
    }

    /** The same observation, not attributed, saying why ({@code reason}). */
    public HttpObservation unattributable(String reason) {
        return new HttpObservation(url, exitCode, status, body, time, headers, error, null, probeId, reason);
    }

    /** The same observation with the id it was sent with. */
    HttpObservation withProbeId(String id) {
        return new HttpObservation(url, exitCode, status, body, time, headers, error, cluster, id, attributionNote);
    }

    /** The user agent the call was sent with, if it carried a probe id. */
    public Optional<String> userAgent() {
        return Optional.ofNullable(probeId).map(HttpProbe::userAgent);
    }

    /** A short meaning of curl's exit code, e.g. {@code could not resolve host} for 6. */
    public static String meaningOfExitCode(int exitCode) {
        return switch (exitCode) {
            case 0 -> "ok";
            case -1 -> "exec did not complete";
            case 6 -> "could not resolve host";
            case 7 -> "failed to connect";
            case 28 -> "timed out";
            case 35 -> "TLS handshake failed";
            case 52 -> "empty reply";
            case 56 -> "connection reset while receiving";
            case 127 -> "curl not found in the container";
            default -> "curl error";
        };
    }

    @Override
    public String toString() {
        String answeredBy = (cluster == null ? "unattributed" : "from " + cluster)
                + (attributionNote == null ? "" : " (" + attributionNote + ")");
        if (exitCode != 0) {
            return "curl exit " + exitCode + " (" + meaningOfExitCode(exitCode) + ") after " + time.toMillis() + " ms: "
                    + shorten(error.isEmpty() ? body : error);
        }
        return status + " in " + time.toMillis() + " ms " + answeredBy + ": " + shorten(body);
    }

    private static String shorten(String text) {
        String oneLine = text.strip().replaceAll("\\s*\\R\\s*", " | ");
        return oneLine.length() <= SHOWN_CHARACTERS ? oneLine : oneLine.substring(0, SHOWN_CHARACTERS) + "...";
    }
}
