package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#isDistributedAcross(double, String...)}: a named cluster got less than its share.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldBeDistributedAcross.shouldBeDistributedAcross(round, 0.3, List.of("a", "b")));
 * }</pre>
 */
public class ShouldBeDistributedAcross extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldBeDistributedAcross(CallRound round, double minShare, List<String> expected) {
        List<String> problems = new ArrayList<>(Evidence.clusterProblems(round, expected));
        int calls = round.calls().size();
        expected.forEach(cluster -> {
            long answered = round.answersByCluster().getOrDefault(cluster, 0L);
            if (answered > 0 && answered < minShare * calls) {
                problems.add(cluster + " answered only " + Evidence.percent((double) answered / calls) + " (" + answered
                        + " of " + calls + ")");
            }
        });
        return new ShouldBeDistributedAcross(Evidence.callsFrom(round) + "to be answered by each of " + expected
                + " with a share of at least " + Evidence.percent(minShare) + " each, and by no other cluster" + NL
                + Evidence.but(problems) + Evidence.of(round) + Hints.forCalls(round, expected));
    }

    private ShouldBeDistributedAcross(String message) {
        super("%s", unquotedString(message));
    }
}
