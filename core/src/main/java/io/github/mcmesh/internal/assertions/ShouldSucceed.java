package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#succeeds()}: some calls did not end with a 2xx answer.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldSucceed.shouldSucceed(round));
 * }</pre>
 */
public class ShouldSucceed extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldSucceed(CallRound round) {
        return new ShouldSucceed(Evidence.callsFrom(round) + "to succeed (curl exit 0 and a 2xx status)" + NL
                + "but " + round.failed() + " of " + round.calls().size() + " calls failed." + NL
                + Evidence.of(round) + Hints.forCalls(round, java.util.List.of()));
    }

    private ShouldSucceed(String message) {
        super("%s", unquotedString(message));
    }
}
