package io.github.mcmesh.internal.assertions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;

/**
 * The shape every failed expectation on a round of calls shares: the source pod and the URL, what
 * was expected, why the round missed it, the round's evidence and the hints. The pod, the URL, the
 * expectation's values and the round are format arguments, so the assertion's representation renders them.
 */
abstract class CallFailure extends BasicErrorMessageFactory {

    static final String CALLS_FROM = "Expecting calls from %s to%n  %s%n";

    /**
     * @param expected the expectation, a format such as {@code to be answered by each of %s}
     * @param expectedArguments its arguments
     * @param problems why the round missed it, joined as {@code but a; b.}
     * @param hintClusters the clusters that should have answered, for the hints
     */
    CallFailure(String expected, Object[] expectedArguments, CallRound round, List<String> problems,
            Collection<String> hintClusters) {
        super(CALLS_FROM + expected + "%nbut %s.%n%s%s", arguments(round, expectedAndProblems(expectedArguments, problems),
                unquotedString(Hints.forCalls(round, hintClusters))));
    }

    /** A failure of several expectations, laid out by the subclass. */
    CallFailure(String format, Object[] arguments) {
        super(format, arguments);
    }

    /** An expectation's arguments followed by its problems. */
    static List<Object> expectedAndProblems(Object[] expectedArguments, List<String> problems) {
        List<Object> arguments = new ArrayList<>(List.of(expectedArguments));
        arguments.add(unquotedString(String.join("; ", problems)));
        return arguments;
    }

    /** The source pod and the URL, then {@code middle}, then the round and the hints. */
    static Object[] arguments(CallRound round, List<Object> middle, Object hints) {
        List<Object> arguments = new ArrayList<>(List.of(round.source(), round.url()));
        arguments.addAll(middle);
        arguments.add(round);
        arguments.add(hints);
        return arguments.toArray();
    }
}
