package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.AbstractMeshAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import java.time.Duration;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link AbstractMeshAssert#during(Duration)}: the expectation stopped holding.
 *
 * <pre>{@code
 * throw new AssertionError(ShouldKeepHolding.shouldKeepHolding(Duration.ofSeconds(30), heldFor, failure).create());
 * }</pre>
 */
public class ShouldKeepHolding extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldKeepHolding(Duration during, Duration heldFor, String failure) {
        return new ShouldKeepHolding("Expecting the expectation to keep holding for " + Evidence.duration(during) + NL
                + "but it stopped holding after " + Evidence.duration(heldFor) + ":" + NL + failure);
    }

    private ShouldKeepHolding(String message) {
        super("%s", unquotedString(message));
    }
}
