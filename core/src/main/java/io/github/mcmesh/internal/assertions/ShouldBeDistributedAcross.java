package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#isDistributedAcross(double, String...)}: a named cluster got less than its share.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldBeDistributedAcross.shouldBeDistributedAcross(round, 0.3, List.of("a", "b"));
 * }</pre>
 */
public class ShouldBeDistributedAcross extends CallFailure {

    static final String EXPECTED = "to be answered by each of %s with a share of at least %s%% each, and by no other cluster";

    public static ErrorMessageFactory shouldBeDistributedAcross(CallRound round, double minShare, List<String> expected) {
        return new ShouldBeDistributedAcross(round, minShare, expected);
    }

    /** The expectation's arguments: the clusters, and the share in whole percent. */
    static Object[] expectedArguments(double minShare, List<String> expected) {
        return new Object[] {expected, (int) Math.round(minShare * 100)};
    }

    static List<String> problems(CallRound round, double minShare, List<String> expected) {
        List<String> problems = new ArrayList<>(Evidence.clusterProblems(round, expected));
        int calls = round.calls().size();
        expected.forEach(cluster -> {
            long answered = round.answersByCluster().getOrDefault(cluster, 0L);
            if (answered > 0 && answered < minShare * calls) {
                problems.add(cluster + " answered only " + Evidence.percent((double) answered / calls) + " (" + answered
                        + " of " + calls + ")");
            }
        });
        return problems;
    }

    private ShouldBeDistributedAcross(CallRound round, double minShare, List<String> expected) {
        super(EXPECTED, expectedArguments(minShare, expected), round, problems(round, minShare, expected), expected);
    }
}
