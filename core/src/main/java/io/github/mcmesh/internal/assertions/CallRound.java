package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import io.github.mcmesh.internal.probe.HttpObservation;
import io.github.mcmesh.internal.probe.SourcePod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round of calls of a {@link CallAssert}: the evidence a failure message shows.
 *
 * <pre>{@code
 * CallRound round = ...;
 * round.answersByCluster();   // {mcmesh-east=6, mcmesh-west=4}
 * }</pre>
 *
 * @param source the pod the calls came from
 * @param url the URL called
 * @param number the round's number, from 1
 * @param elapsed time since the assertion started, at the end of the round
 * @param calls every call of the round, in order
 * @param meshClusters the mesh's cluster names, listed even when they did not answer
 * @param otherNetworks the clusters on another network than the caller's (reached through their
 *     east-west gateway, not by routes), empty on one network
 */
public record CallRound(SourcePod source, String url, int number, Duration elapsed, List<HttpObservation> calls,
        List<String> meshClusters, List<String> otherNetworks) {

    public CallRound {
        calls = List.copyOf(calls);
        meshClusters = List.copyOf(meshClusters);
        otherNetworks = List.copyOf(otherNetworks);
    }

    /** The round's evidence as failure messages show it: calls per cluster and the last calls. */
    @Override
    public String toString() {
        return Evidence.of(this);
    }

    /** Calls answered per cluster: every mesh cluster (0 if silent), then any other name seen. */
    public Map<String, Long> answersByCluster() {
        Map<String, Long> answers = new LinkedHashMap<>();
        meshClusters.forEach(cluster -> answers.put(cluster, 0L));
        calls.forEach(call -> call.respondingCluster().ifPresent(cluster -> answers.merge(cluster, 1L, Long::sum)));
        return answers;
    }

    /** Calls that did not get a 2xx answer. */
    public long failed() {
        return calls.stream().filter(call -> !call.succeeded()).count();
    }

    /** Successful calls no cluster could be told for. */
    public long unattributed() {
        return calls.stream().filter(call -> call.succeeded() && call.respondingCluster().isEmpty()).count();
    }
}
