package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.AbstractMeshAssert;
import java.time.Duration;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link AbstractMeshAssert#during(Duration)}: the expectation stopped holding.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldKeepHolding.shouldKeepHolding(Duration.ofSeconds(30), heldFor, roundFailure);
 * }</pre>
 */
public class ShouldKeepHolding extends BasicErrorMessageFactory {

    /** @param failure the failing round's message */
    public static ErrorMessageFactory shouldKeepHolding(Duration during, Duration heldFor, String failure) {
        return new ShouldKeepHolding(during, heldFor, failure);
    }

    private ShouldKeepHolding(Duration during, Duration heldFor, String failure) {
        super("Expecting the expectation to keep holding for %s%nbut it stopped holding after %s:%n%s",
                unquotedString(Evidence.duration(during)), unquotedString(Evidence.duration(heldFor)), unquotedString(failure));
    }
}
