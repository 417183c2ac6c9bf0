package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import java.util.List;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#succeeds()}: some calls did not end with a 2xx answer.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldSucceed.shouldSucceed(round);
 * }</pre>
 */
public class ShouldSucceed extends CallFailure {

    static final String EXPECTED = "to succeed (curl exit 0 and a 2xx status)";

    public static ErrorMessageFactory shouldSucceed(CallRound round) {
        return new ShouldSucceed(round);
    }

    static List<String> problems(CallRound round) {
        return round.failed() == 0 ? List.of() : List.of(round.failed() + " of " + round.calls().size() + " calls failed");
    }

    private ShouldSucceed(CallRound round) {
        super(EXPECTED, new Object[0], round, problems(round), List.of());
    }
}
