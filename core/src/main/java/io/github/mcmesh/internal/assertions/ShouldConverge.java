package io.github.mcmesh.internal.assertions;

import java.time.Duration;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The expectation passed in fewer consecutive rounds than required (Istio's {@code retry.Converge}).
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldConverge.shouldConverge(call, "reaching [east, west]", 3, 1, 4, elapsed, null);
 * }</pre>
 */
public class ShouldConverge extends BasicErrorMessageFactory {

    /**
     * @param subject the call or lookup, rendered by the assertion's representation
     * @param lastFailure the last failing round's message, {@code null} when no round failed
     */
    public static ErrorMessageFactory shouldConverge(Object subject, String expectation, int needed, int passed, int rounds,
            Duration elapsed, String lastFailure) {
        return lastFailure == null
                ? new ShouldConverge(subject, expectation, needed, passed, rounds, elapsed)
                : new ShouldConverge(subject, expectation, needed, passed, rounds, elapsed, lastFailure);
    }

    private static final String FORMAT = "Expecting %s %s to pass in %s consecutive rounds%n"
            + "but only the last %s passed (%s rounds in %s).";

    private ShouldConverge(Object subject, String expectation, int needed, int passed, int rounds, Duration elapsed) {
        super(FORMAT, subject, unquotedString(expectation), needed, passed, rounds, unquotedString(Evidence.duration(elapsed)));
    }

    private ShouldConverge(Object subject, String expectation, int needed, int passed, int rounds, Duration elapsed,
            String lastFailure) {
        super(FORMAT + "%nThe last failing round:%n%s", subject, unquotedString(expectation), needed, passed, rounds,
                unquotedString(Evidence.duration(elapsed)), unquotedString(lastFailure));
    }
}
