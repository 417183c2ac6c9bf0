package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import io.github.mcmesh.assertions.CallExpectation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#satisfies(CallExpectation...)}: one round missed some of the
 * expectations; names each one missed with why, then the round's evidence once.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldSatisfyExpectations.shouldSatisfyExpectations(round, 2, failed, problems);
 * }</pre>
 */
public class ShouldSatisfyExpectations extends CallFailure {

    /**
     * @param expectations how many expectations the round was checked against
     * @param failed the expectations it missed
     * @param problems for each one missed, why
     */
    public static ErrorMessageFactory shouldSatisfyExpectations(CallRound round, int expectations, List<CallCheck> failed,
            List<List<String>> problems) {
        return new ShouldSatisfyExpectations(round, expectations, failed, problems);
    }

    private ShouldSatisfyExpectations(CallRound round, int expectations, List<CallCheck> failed, List<List<String>> problems) {
        super(format(failed), arguments(round, middle(expectations, failed, problems), unquotedString(hints(round, failed))));
    }

    private static String format(List<CallCheck> failed) {
        StringBuilder format = new StringBuilder(CALLS_FROM).append("to satisfy all %s expectations in the same round%n")
                .append("but %s did not:");
        failed.forEach(check -> format.append("%n- ").append(check.expected()).append("%n  but %s."));
        return format.append("%n%s%s").toString();
    }

    private static List<Object> middle(int expectations, List<CallCheck> failed, List<List<String>> problems) {
        List<Object> arguments = new ArrayList<>(List.of(expectations, failed.size()));
        for (int i = 0; i < failed.size(); i++) {
            arguments.addAll(expectedAndProblems(failed.get(i).expectedArguments(), problems.get(i)));
        }
        return arguments;
    }

    private static String hints(CallRound round, List<CallCheck> failed) {
        Set<String> expected = new LinkedHashSet<>();
        failed.forEach(check -> expected.addAll(check.clusters()));
        return Hints.forCalls(round, expected);
    }
}
