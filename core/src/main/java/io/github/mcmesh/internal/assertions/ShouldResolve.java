package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.ResolveAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link ResolveAssert#resolves()} and {@link ResolveAssert#resolvesTo(String)}.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldResolve.shouldResolve(round));
 * }</pre>
 */
public class ShouldResolve extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldResolve(DnsRound round) {
        return new ShouldResolve(lookupIn(round) + "to resolve" + NL + "but it did not." + NL + Evidence.of(round)
                + Hints.forLookup(round.source().cluster()));
    }

    public static ErrorMessageFactory shouldResolveTo(DnsRound round, String address) {
        String but = round.lookup().resolved() ? "but it resolved to " + round.lookup().addresses() + "." : "but it did not resolve.";
        return new ShouldResolve(lookupIn(round) + "to resolve to " + address + NL + but + NL + Evidence.of(round)
                + (round.lookup().resolved() ? "" : Hints.forLookup(round.source().cluster())));
    }

    static String lookupIn(DnsRound round) {
        return "Expecting the lookup of" + NL + "  " + round.lookup().host() + NL + "in " + round.source() + NL;
    }

    private ShouldResolve(String message) {
        super("%s", unquotedString(message));
    }
}
