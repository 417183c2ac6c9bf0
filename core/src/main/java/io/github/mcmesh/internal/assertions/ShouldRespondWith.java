package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#respondsWith(int)}: some calls got another status, or none.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldRespondWith.shouldRespondWith(round, 200));
 * }</pre>
 */
public class ShouldRespondWith extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldRespondWith(CallRound round, int status) {
        long other = round.calls().stream().filter(call -> call.exitCode() != 0 || call.status() != status).count();
        return new ShouldRespondWith(Evidence.callsFrom(round) + "to respond with status " + status + NL
                + "but " + other + " of " + round.calls().size() + " calls did not." + NL
                + Evidence.of(round) + Hints.forCalls(round, java.util.List.of()));
    }

    private ShouldRespondWith(String message) {
        super("%s", unquotedString(message));
    }
}
