package io.github.mcmesh.internal.probe;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One HTTP call from a pod: runs {@code curl} in the pod's application container. Every call is a
 * fresh curl process, so every call resolves the name afresh and opens a new connection.
 * Needs curl 7.83 or newer in the image (for {@code %{header_json}}); the samples' curl is 8.16.0.
 *
 * <pre>{@code
 * HttpProbe probe = new HttpProbe(new Fabric8PodExec(), Duration.ofSeconds(5));
 * HttpObservation seen = probe.call(SourcePod.find(mesh.cluster("mcmesh-east"), "sleep"),
 *         "http://helloworld:5000/hello");
 * }</pre>
 */
public class HttpProbe {

    /** Separates the body from curl's {@code -w} report on stdout. */
    static final String SEPARATOR = "\n--mcmesh-probe--";
    static final String WRITE_OUT = SEPARATOR + "%{http_code} %{time_total}\n%{header_json}";
    /** Starts the user agent of every probe call, before its id. */
    public static final String USER_AGENT_PREFIX = "mcmesh-probe/";
    private static final Duration EXEC_SLACK = Duration.ofSeconds(5);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final PodExec exec;
    private final Duration callTimeout;

    /** @param callTimeout curl's {@code --max-time} for one call */
    public HttpProbe(PodExec exec, Duration callTimeout) {
        this.exec = Objects.requireNonNull(exec, "exec");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    }

    /** The curl command line of one call. */
    public List<String> command(String url) {
        return List.of("curl", "-sS", "--max-time", seconds(callTimeout), "-w", WRITE_OUT, url);
    }

    /**
     * The curl command line of the call with this id: as {@link #command(String)}, with the user
     * agent {@code mcmesh-probe/<id>}, which Istio's default access log format records
     * ({@code "%REQ(USER-AGENT)%"}, pilot/pkg/model/telemetry_logging.go, 1.18.2 and 1.30.3).
     */
    public List<String> command(String url, String probeId) {
        return List.of("curl", "-sS", "--max-time", seconds(callTimeout), "-w", WRITE_OUT, "-A", userAgent(probeId), url);
    }

    /** The user agent of the call with this id. */
    public static String userAgent(String probeId) {
        return USER_AGENT_PREFIX + probeId;
    }

    /** Calls {@code url} once from {@code source}, under a fresh probe id; never throws for HTTP or network failures. */
    public HttpObservation call(SourcePod source, String url) {
        String probeId = UUID.randomUUID().toString();
        PodExec.ExecResult result = exec.exec(source.client(), source.namespace(), source.name(), source.container(),
                callTimeout.plus(EXEC_SLACK), command(url, probeId));
        return parse(url, result).withProbeId(probeId);
    }

    static HttpObservation parse(String url, PodExec.ExecResult result) {
        String stdout = result.stdout();
        int separator = stdout.lastIndexOf(SEPARATOR);
        if (separator < 0) {
            return new HttpObservation(url, result.exitCode(), 0, stdout, Duration.ZERO, Map.of(), result.stderr(), null);
        }
        String body = stdout.substring(0, separator);
        String report = stdout.substring(separator + SEPARATOR.length());
        int lineEnd = report.indexOf('\n');
        String[] codeAndTime = (lineEnd < 0 ? report : report.substring(0, lineEnd)).trim().split(" ");
        int status = parseInt(codeAndTime[0]);
        Duration time = codeAndTime.length > 1 ? parseSeconds(codeAndTime[1]) : Duration.ZERO;
        Map<String, List<String>> headers = lineEnd < 0 ? Map.of() : parseHeaders(report.substring(lineEnd + 1));
        return new HttpObservation(url, result.exitCode(), status, body, time, headers, result.stderr(), null);
    }

    private static Map<String, List<String>> parseHeaders(String json) {
        if (json.isBlank()) {
            return Map.of();
        }
        try {
            Map<?, ?> raw = JSON.unmarshal(json.strip(), Map.class);
            return raw.entrySet().stream().collect(Collectors.toMap(entry -> String.valueOf(entry.getKey()).toLowerCase(Locale.ROOT),
                    entry -> entry.getValue() instanceof List<?> values
                            ? values.stream().map(String::valueOf).toList()
                            : List.of(String.valueOf(entry.getValue()))));
        } catch (RuntimeException e) {
            // an older curl prints %{header_json} literally: no headers then
            return Map.of();
        }
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Duration parseSeconds(String text) {
        try {
            return Duration.ofNanos(new BigDecimal(text).movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
