package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.ResolveAssert;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link ResolveAssert#resolves()} and {@link ResolveAssert#resolvesTo(String)}.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldResolve.shouldResolve(round);
 * }</pre>
 */
public class ShouldResolve extends BasicErrorMessageFactory {

    /** "Expecting the lookup of\n  host\nin pod\n": the host and the pod are format arguments. */
    static final String LOOKUP_IN = "Expecting the lookup of%n  %s%nin %s%n";

    public static ErrorMessageFactory shouldResolve(DnsRound round) {
        return new ShouldResolve(LOOKUP_IN + "to resolve%nbut it did not.%n%s%s", round.lookup().host(), round.source(), round,
                unquotedString(Hints.forLookup(round.source().cluster())));
    }

    public static ErrorMessageFactory shouldResolveTo(DnsRound round, String address) {
        if (round.lookup().resolved()) {
            return new ShouldResolve(LOOKUP_IN + "to resolve to %s%nbut it resolved to %s.%n%s", round.lookup().host(),
                    round.source(), address, round.lookup().addresses(), round);
        }
        return new ShouldResolve(LOOKUP_IN + "to resolve to %s%nbut it did not resolve.%n%s%s", round.lookup().host(),
                round.source(), address, round, unquotedString(Hints.forLookup(round.source().cluster())));
    }

    private ShouldResolve(String format, Object... arguments) {
        super(format, arguments);
    }
}
