package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.CallRound;
import io.github.mcmesh.internal.assertions.Evidence;
import io.github.mcmesh.internal.assertions.Poller;
import io.github.mcmesh.internal.assertions.Source;
import io.github.mcmesh.internal.assertions.Transcript;

import static io.github.mcmesh.internal.assertions.ShouldBeDistributedAcross.shouldBeDistributedAcross;
import static io.github.mcmesh.internal.assertions.ShouldReachClusters.shouldReachClusters;
import static io.github.mcmesh.internal.assertions.ShouldRespondWith.shouldRespondWith;
import static io.github.mcmesh.internal.assertions.ShouldStayInCluster.shouldStayInCluster;
import static io.github.mcmesh.internal.assertions.ShouldSucceed.shouldSucceed;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.ClusterAttribution;
import io.github.mcmesh.internal.probe.HttpObservation;
import io.github.mcmesh.internal.probe.HttpProbe;
import io.github.mcmesh.internal.probe.SourcePod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Assertions on HTTP calls from a pod. Each round makes {@code calls(n)} calls, each a fresh curl
 * process; the assertion passes once {@code converging(n)} consecutive rounds pass, and fails
 * after {@code within(...)} with the last round's evidence.
 *
 * <pre>{@code
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello")
 *         .calls(20).reachesClusters("mcmesh-east", "mcmesh-west")
 *         .isDistributedAcross(0.2, "mcmesh-east", "mcmesh-west");
 * }</pre>
 */
public class CallAssert extends AbstractMeshAssert<CallAssert> {

    private final Source source;
    private final String url;

    CallAssert(Mesh mesh, AssertionSettings settings, Source source, String url) {
        super(mesh, settings, CallAssert.class);
        this.source = source;
        this.url = url;
    }

    @Override
    CallAssert with(AssertionSettings changed) {
        return new CallAssert(actual, changed, source, url);
    }

    /** Every call ends with a 2xx status. */
    public CallAssert succeeds() {
        return check("succeeding", round -> {
            if (round.failed() > 0) {
                throwAssertionError(shouldSucceed(round));
            }
        });
    }

    /** Every call gets an answer with this status. */
    public CallAssert respondsWith(int status) {
        return check("answered with " + status, round -> {
            if (round.calls().stream().anyMatch(call -> call.exitCode() != 0 || call.status() != status)) {
                throwAssertionError(shouldRespondWith(round, status));
            }
        });
    }

    /** Each named cluster answers at least once per round, no other cluster does, every call succeeds. */
    public CallAssert reachesClusters(String... clusters) {
        List<String> expected = knownClusters(clusters);
        if (settings.calls() < expected.size()) {
            throw new IllegalArgumentException("calls(" + settings.calls() + ") cannot reach " + expected.size()
                    + " clusters; use calls(n) with n of at least " + expected.size());
        }
        return check("reaching " + expected, round -> {
            if (!Evidence.clusterProblems(round, expected).isEmpty()) {
                throwAssertionError(shouldReachClusters(round, expected));
            }
        });
    }

    /** Only {@code cluster} answers, every call succeeds. */
    public CallAssert staysInCluster(String cluster) {
        List<String> expected = knownClusters(cluster);
        return check("staying in " + cluster, round -> {
            if (!Evidence.clusterProblems(round, expected).isEmpty()) {
                throwAssertionError(shouldStayInCluster(round, cluster));
            }
        });
    }

    /**
     * Each named cluster answers at least {@code minShare} of the calls of a round, no other cluster
     * answers, every call succeeds.
     *
     * @param minShare between 0 (exclusive) and 1 / number of clusters
     */
    public CallAssert isDistributedAcross(double minShare, String... clusters) {
        List<String> expected = knownClusters(clusters);
        if (!(minShare > 0) || minShare * expected.size() > 1.0) {
            throw new IllegalArgumentException("minShare " + minShare + " is impossible for " + expected.size()
                    + " clusters; pass a share above 0 and at most " + (1.0 / expected.size()));
        }
        return check("distributed across " + expected, round -> {
            int calls = round.calls().size();
            boolean belowShare = expected.stream()
                    .anyMatch(cluster -> round.answersByCluster().getOrDefault(cluster, 0L) < minShare * calls);
            if (belowShare || !Evidence.clusterProblems(round, expected).isEmpty()) {
                throwAssertionError(shouldBeDistributedAcross(round, minShare, expected));
            }
        });
    }

    private List<String> knownClusters(String... clusters) {
        isNotNull();
        if (clusters.length == 0) {
            throw new IllegalArgumentException("Name at least one cluster; known clusters: " + actual.clusterNames());
        }
        List<String> names = List.of(clusters);
        names.forEach(actual::cluster);
        return names;
    }

    private CallAssert check(String expectation, Consumer<CallRound> check) {
        isNotNull();
        Transcript transcript = new Transcript();
        HttpProbe probe = new HttpProbe(settings.podExec(), settings.callTimeout());
        ClusterAttribution attribution = settings.attribution() != null ? settings.attribution()
                : ClusterAttribution.helloworldInstance(actual);
        AtomicReference<SourcePod> pod = new AtomicReference<>();
        long start = settings.ticker().nanoTime();
        Poller.converge("calls from " + source + " to " + url + " " + expectation, settings, transcript, number -> {
            SourcePod from = pod.updateAndGet(known -> known != null ? known : source.find(actual));
            List<HttpObservation> calls = new ArrayList<>();
            for (int i = 1; i <= settings.calls(); i++) {
                HttpObservation call = call(probe, from, pod);
                HttpObservation attributed = attribution.clusterOf(call).map(call::attributedTo).orElse(call);
                transcript.record("round " + number + " call " + i + " " + from.cluster() + "/" + from.name() + " "
                        + String.join(" ", probe.command(url)) + " -> " + attributed);
                calls.add(attributed);
            }
            return new CallRound(from, url, number, settings.ticker().elapsedSince(start), calls, actual.clusterNames());
        }, check);
        return myself;
    }

    private HttpObservation call(HttpProbe probe, SourcePod from, AtomicReference<SourcePod> pod) {
        try {
            return probe.call(from, url);
        } catch (RuntimeException e) {
            pod.set(null); // the pod may be gone: look it up again next round
            throw new AssertionError("Could not run curl in " + from + ": " + e.getMessage(), e);
        }
    }
}
