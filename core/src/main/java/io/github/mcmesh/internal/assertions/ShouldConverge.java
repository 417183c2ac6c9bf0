package io.github.mcmesh.internal.assertions;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import java.time.Duration;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The expectation passed in fewer consecutive rounds than required (Istio's {@code retry.Converge}).
 *
 * <pre>{@code
 * throw new AssertionError(ShouldConverge.shouldConverge(alias, 3, 1, 4, elapsed, lastFailure).create());
 * }</pre>
 */
public class ShouldConverge extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldConverge(String expectation, int needed, int passed, int rounds,
            Duration elapsed, AssertionError lastFailure) {
        return new ShouldConverge("Expecting " + expectation + " to pass in " + needed + " consecutive rounds" + NL
                + "but only the last " + passed + " passed (" + rounds + " rounds in " + Evidence.duration(elapsed) + ")."
                + (lastFailure == null ? "" : NL + "The last failing round:" + NL + lastFailure.getMessage()));
    }

    private ShouldConverge(String message) {
        super("%s", unquotedString(message));
    }
}
