package io.github.mcmesh.internal.assertions;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.istio.AccessLogTelemetry;
import io.github.mcmesh.internal.probe.ClusterAttribution;
import io.github.mcmesh.internal.probe.HttpObservation;
import io.github.mcmesh.internal.probe.SourcePod;
import io.github.mcmesh.internal.probe.UpstreamAttribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attributes a round's calls to clusters: helloworld's {@code instance: <pod>} line when the body
 * names a pod of the mesh (the sample's own attribution), otherwise, for a call that succeeded, the
 * upstream pod IP in the caller's sidecar access log ({@link UpstreamAttribution}), read once per
 * round and re-read while lines are missing: Envoy flushes the log file every second
 * (pilot-agent's {@code --file-flush-interval-msec 1000}, pkg/envoy/proxy.go at 1.18.2 and 1.30.3).
 *
 * <pre>{@code
 * RoundAttribution attribution = new RoundAttribution(mesh, settings.ticker());
 * List<HttpObservation> attributed = attribution.attribute(sleep, calls);
 * }</pre>
 */
public final class RoundAttribution {

    /** How far back the sidecar log is read: longer than a round of calls takes. */
    static final Duration LOG_WINDOW = Duration.ofMinutes(5);
    /** Reads of the sidecar log per round: the first, then one per pause while lines are missing. */
    static final int LOG_READS = 5;
    static final Duration LOG_PAUSE = Duration.ofMillis(500);

    private final ClusterAttribution byBody;
    private final UpstreamAttribution byUpstream;
    private final Ticker ticker;

    public RoundAttribution(Mesh mesh, Ticker ticker) {
        this.byBody = ClusterAttribution.helloworldInstance(mesh);
        this.byUpstream = new UpstreamAttribution(mesh.spec().clusters());
        this.ticker = ticker;
    }

    /** The calls, in order, each attributed or saying why it could not be. */
    public List<HttpObservation> attribute(SourcePod from, List<HttpObservation> calls) {
        List<HttpObservation> result = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        for (HttpObservation call : calls) {
            Optional<String> cluster = byBody.clusterOf(call);
            result.add(cluster.map(call::attributedTo).orElse(call));
            if (cluster.isEmpty() && call.succeeded()) {
                pending.add(result.size() - 1);
            }
        }
        if (pending.isEmpty()) {
            return result;
        }
        if (!from.hasSidecar()) {
            pending.forEach(i -> result.set(i, result.get(i).unattributable("the calling pod " + from.name()
                    + " has no " + SourcePod.SIDECAR + " sidecar, whose access log names the endpoint that answered")));
            return result;
        }
        for (int read = 1; read <= LOG_READS && !pending.isEmpty(); read++) {
            if (read > 1) {
                pause();
            }
            String log;
            try {
                log = from.sidecarLog(LOG_WINDOW);
            } catch (KubernetesClientException e) {
                String reason = "could not read the " + SourcePod.SIDECAR + " log of " + from.name() + ": " + e.getMessage();
                pending.forEach(i -> result.set(i, result.get(i).unattributable(reason)));
                return result;
            }
            List<Integer> stillMissing = new ArrayList<>();
            for (int i : pending) {
                Optional<HttpObservation> attributed = byUpstream.attribute(result.get(i), log);
                if (attributed.isPresent()) {
                    result.set(i, attributed.get());
                } else {
                    stillMissing.add(i);
                }
            }
            pending = stillMissing;
        }
        pending.forEach(i -> result.set(i, result.get(i).unattributable("no outbound line with user agent "
                + result.get(i).userAgent().orElse("?") + " in the " + SourcePod.SIDECAR + " log of " + from.name()
                + " (mcmesh turns the access log on with Telemetry istio-system/" + AccessLogTelemetry.NAME + ")")));
        return result;
    }

    private void pause() {
        try {
            ticker.sleep(LOG_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the sidecar's access log", e);
        }
    }
}
