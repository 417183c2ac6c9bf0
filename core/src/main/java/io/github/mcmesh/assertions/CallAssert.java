package io.github.mcmesh.assertions;

import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.CallCheck;
import io.github.mcmesh.internal.assertions.CallRound;
import io.github.mcmesh.internal.assertions.CrossNetworkEvidence;
import io.github.mcmesh.internal.assertions.Poller;
import io.github.mcmesh.internal.assertions.RoundAttribution;
import io.github.mcmesh.internal.assertions.Source;
import io.github.mcmesh.internal.assertions.Transcript;
import io.github.mcmesh.internal.probe.HttpObservation;
import io.github.mcmesh.internal.probe.HttpProbe;
import io.github.mcmesh.internal.probe.ProbeContainer;
import io.github.mcmesh.internal.probe.SourcePod;
import io.github.mcmesh.internal.spec.SpecFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * Assertions on a {@link Call}: HTTP calls from a pod. Each round makes {@code calls(n)} calls,
 * each a fresh curl process; the assertion passes once {@code converging(n)} consecutive rounds
 * pass, and fails after {@code within(...)} with the last round's evidence, the last round's own
 * failure as the cause. Each terminal method ({@link #succeeds()}, {@link #reachesClusters(String...)},
 * ...) is one poll of its own; {@link #satisfies(CallExpectation...)} checks several expectations
 * against the same rounds. Which cluster answered is told by helloworld's {@code instance: <pod>};
 * for any other service by the endpoint the caller's sidecar logged for the call (its pod IP lies in
 * one cluster's pod range), and a call neither tells is counted as unattributed, never guessed.
 * A source pod without {@code curl} gets mcmesh's curl container added (an ephemeral container,
 * Kubernetes 1.25 or newer), and the evidence names it.
 *
 * <pre>{@code
 * import static io.github.mcmesh.assertions.CallExpectation.distributedAcross;
 * import static io.github.mcmesh.assertions.CallExpectation.reaching;
 * import static io.github.mcmesh.assertions.MeshAssertions.assertThat;
 *
 * // one poll: every round of 20 calls must reach both clusters and give each at least 20%
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").calls(20)
 *         .satisfies(reaching("mcmesh-east", "mcmesh-west"), distributedAcross(0.2, "mcmesh-east", "mcmesh-west"));
 * }</pre>
 */
public class CallAssert extends AbstractMeshAssert<CallAssert, Call> {

    CallAssert(Call call, AssertionSettings settings) {
        super(call, settings, CallAssert.class);
    }

    @Override
    CallAssert with(AssertionSettings changed) {
        return new CallAssert(actual, changed);
    }

    /** Calls per round (default 10); each is a fresh process with a fresh DNS lookup. */
    @CheckReturnValue
    public CallAssert calls(int callsPerRound) {
        return copy(settings.withCalls(callsPerRound));
    }

    /** curl's {@code --max-time} for one call (default 5 s, as Istio's echo calls). */
    @CheckReturnValue
    public CallAssert callTimeout(Duration timeout) {
        return copy(settings.withCallTimeout(timeout));
    }

    /** Every call ends with a 2xx status. */
    public CallAssert succeeds() {
        return satisfies(CallExpectation.succeeding());
    }

    /** Every call gets an answer with this status. */
    public CallAssert respondsWith(int status) {
        return satisfies(CallExpectation.respondingWith(status));
    }

    /** Each named cluster answers at least once per round, no other cluster does, every call succeeds. */
    public CallAssert reachesClusters(String... clusters) {
        return satisfies(CallExpectation.reaching(clusters));
    }

    /** As {@link #reachesClusters(String...)} for the clusters of these handles. */
    public CallAssert reachesClusters(ClusterHandle... clusters) {
        return satisfies(CallExpectation.reaching(clusters));
    }

    /** Only {@code cluster} answers, every call succeeds. */
    public CallAssert staysInCluster(String cluster) {
        return satisfies(CallExpectation.stayingIn(cluster));
    }

    /** As {@link #staysInCluster(String)} for the cluster of this handle. */
    public CallAssert staysInCluster(ClusterHandle cluster) {
        return satisfies(CallExpectation.stayingIn(cluster));
    }

    /**
     * Each named cluster answers at least {@code minShare} of the calls of a round, no other cluster
     * answers, every call succeeds.
     *
     * @param minShare between 0 (exclusive) and 1 / number of clusters
     */
    public CallAssert isDistributedAcross(double minShare, String... clusters) {
        return satisfies(CallExpectation.distributedAcross(minShare, clusters));
    }

    /** As {@link #isDistributedAcross(double, String...)} for the clusters of these handles. */
    public CallAssert isDistributedAcross(double minShare, ClusterHandle... clusters) {
        return satisfies(CallExpectation.distributedAcross(minShare, clusters));
    }

    /**
     * Every expectation holds in the same rounds: one poll, each round's calls checked against all of
     * them. A failing round names each expectation it missed, with why, and the round's evidence once.
     * (AssertJ's own {@code satisfies(Consumer...)} on this assertion checks the {@link Call} value once, without calling.)
     *
     * @throws IllegalArgumentException before any call, when a cluster named is not in the mesh or a
     *         round of {@code calls(n)} could not meet an expectation
     */
    public CallAssert satisfies(CallExpectation... expectations) {
        List<CallCheck> checks = Arrays.stream(expectations)
                .map(expectation -> Objects.requireNonNull(expectation, "expectation").check).toList();
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("Pass at least one expectation, e.g. satisfies(reaching(\"mcmesh-east\"))");
        }
        checks.forEach(check -> check.checkFeasible(actual.mesh(), settings.calls()));
        return poll(checks);
    }

    private CallAssert poll(List<CallCheck> checks) {
        String expectation = checks.stream().map(CallCheck::toString).collect(Collectors.joining(" and "));
        Transcript transcript = new Transcript();
        HttpProbe probe = new HttpProbe(settings.podExec(), settings.callTimeout());
        RoundAttribution attribution = new RoundAttribution(actual.mesh(), settings.ticker());
        Source source = new Source(actual.cluster(), actual.workload());
        AtomicReference<SourcePod> pod = new AtomicReference<>();
        long start = settings.ticker().nanoTime();
        try {
            converge(checks, expectation, transcript, probe, attribution, source, pod, start);
        } catch (MeshAssertionError e) {
            // on several networks, what the caller's sidecar routes to tells the multi-network traps apart
            SourcePod from = pod.get();
            Optional<String> evidence = from == null ? Optional.empty()
                    : CrossNetworkEvidence.of(actual.mesh(), from, actual.url(), settings.podExec());
            if (evidence.isEmpty()) {
                throw e;
            }
            throw new MeshAssertionError(e.getMessage() + System.lineSeparator() + evidence.get(), e.getCause(), e.transcript());
        }
        return myself;
    }

    private void converge(List<CallCheck> checks, String expectation, Transcript transcript, HttpProbe probe,
            RoundAttribution attribution, Source source, AtomicReference<SourcePod> pod, long start) {
        Poller.converge(info, actual, expectation, settings, transcript, number -> {
            SourcePod from = pod.updateAndGet(known -> known != null ? known : source.find(actual.mesh()));
            List<HttpObservation> calls = new ArrayList<>();
            for (int i = 1; i <= settings.calls(); i++) {
                HttpObservation call = call(probe, from, pod);
                if (!from.inProbeContainer() && ProbeContainer.lacksBinary(call.exitCode(), call.error())) {
                    from = source.probeContainer(actual.mesh(), from, "curl", call.exitCode(), call.error(), settings.within(),
                            transcript);
                    pod.set(from);
                    call = call(probe, from, pod);
                }
                calls.add(call);
            }
            List<HttpObservation> attributed = attribution.attribute(from, calls);
            for (int i = 0; i < attributed.size(); i++) {
                HttpObservation call = attributed.get(i);
                transcript.record("round " + number + " call " + (i + 1) + " " + from.cluster() + "/" + from.name() + " "
                        + String.join(" ", call.probeId() == null ? probe.command(actual.url())
                                : probe.command(actual.url(), call.probeId())) + " -> " + call);
            }
            return new CallRound(from, actual.url(), number, settings.ticker().elapsedSince(start), attributed,
                    actual.mesh().clusterNames(), SpecFacts.onOtherNetworks(actual.mesh().spec(), from.cluster()));
        }, round -> CallCheck.verdict(checks, round));
    }

    private HttpObservation call(HttpProbe probe, SourcePod from, AtomicReference<SourcePod> pod) {
        try {
            return probe.call(from, actual.url());
        } catch (RuntimeException e) {
            pod.set(null); // the pod may be gone: look it up again next round
            throw new AssertionError("Could not run curl in " + from + ": " + e.getMessage(), e);
        }
    }
}
