package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import java.util.List;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#respondsWith(int)}: some calls got another status, or none.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldRespondWith.shouldRespondWith(round, 200);
 * }</pre>
 */
public class ShouldRespondWith extends CallFailure {

    static final String EXPECTED = "to respond with status %s";

    public static ErrorMessageFactory shouldRespondWith(CallRound round, int status) {
        return new ShouldRespondWith(round, status);
    }

    static List<String> problems(CallRound round, int status) {
        long other = round.calls().stream().filter(call -> call.exitCode() != 0 || call.status() != status).count();
        return other == 0 ? List.of() : List.of(other + " of " + round.calls().size() + " calls did not");
    }

    private ShouldRespondWith(CallRound round, int status) {
        super(EXPECTED, new Object[] {status}, round, problems(round, status), List.of());
    }
}
