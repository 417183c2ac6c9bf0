package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import java.util.List;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#reachesClusters(String...)}: a named cluster did not answer, another did, or calls failed.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldReachClusters.shouldReachClusters(round, List.of("mcmesh-east", "mcmesh-west")));
 * }</pre>
 */
public class ShouldReachClusters extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldReachClusters(CallRound round, List<String> expected) {
        return new ShouldReachClusters(Evidence.callsFrom(round) + "to be answered by each of " + expected
                + " and by no other cluster, every call succeeding" + NL
                + Evidence.but(Evidence.clusterProblems(round, expected))
                + Evidence.of(round) + Hints.forCalls(round, expected));
    }

    private ShouldReachClusters(String message) {
        super("%s", unquotedString(message));
    }
}
