package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.ResolveAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link ResolveAssert#doesNotResolve()}, the negative control of DNS proxying.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldNotResolve.shouldNotResolve(round));
 * }</pre>
 */
public class ShouldNotResolve extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldNotResolve(DnsRound round) {
        String but = round.lookup().resolved() ? "but it resolved to " + round.lookup().addresses() + "."
                : "but the lookup failed for another reason than \"not found\".";
        return new ShouldNotResolve(ShouldResolve.lookupIn(round) + "not to resolve (name not found)" + NL + but + NL
                + Evidence.of(round) + NL + "Hint: Istio DNS proxying answers names of Services in every cluster; this"
                + " negative control needs it off for the source pod (proxy.istio.io/config with"
                + " ISTIO_META_DNS_CAPTURE: \"false\") and no such Service in " + round.source().cluster() + ".");
    }

    private ShouldNotResolve(String message) {
        super("%s", unquotedString(message));
    }
}
