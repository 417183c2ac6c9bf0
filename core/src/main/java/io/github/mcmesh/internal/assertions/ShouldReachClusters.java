package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import java.util.List;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#reachesClusters(String...)}: a named cluster did not answer, another did, or calls failed.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldReachClusters.shouldReachClusters(round, List.of("mcmesh-east", "mcmesh-west"));
 * }</pre>
 */
public class ShouldReachClusters extends CallFailure {

    static final String EXPECTED = "to be answered by each of %s and by no other cluster, every call succeeding";

    public static ErrorMessageFactory shouldReachClusters(CallRound round, List<String> expected) {
        return new ShouldReachClusters(round, expected);
    }

    static List<String> problems(CallRound round, List<String> expected) {
        return Evidence.clusterProblems(round, expected);
    }

    private ShouldReachClusters(CallRound round, List<String> expected) {
        super(EXPECTED, new Object[] {expected}, round, problems(round, expected), expected);
    }
}
