package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.ResolveAssert;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link ResolveAssert#doesNotResolve()}, the negative control of DNS proxying.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldNotResolve.shouldNotResolve(round);
 * }</pre>
 */
public class ShouldNotResolve extends BasicErrorMessageFactory {

    private static final String HINT = "%nHint: Istio DNS proxying answers names of Services in every cluster; this negative"
            + " control needs it off for the source pod (proxy.istio.io/config with ISTIO_META_DNS_CAPTURE: \"false\") and"
            + " no such Service in %s.";

    public static ErrorMessageFactory shouldNotResolve(DnsRound round) {
        return round.lookup().resolved()
                ? new ShouldNotResolve(ShouldResolve.LOOKUP_IN + "not to resolve (name not found)%nbut it resolved to %s.%n%s"
                        + HINT, round.lookup().host(), round.source(), round.lookup().addresses(), round,
                        unquotedString(round.source().cluster()))
                : new ShouldNotResolve(ShouldResolve.LOOKUP_IN + "not to resolve (name not found)%n"
                        + "but the lookup failed for another reason than \"not found\".%n%s" + HINT, round.lookup().host(),
                        round.source(), round, unquotedString(round.source().cluster()));
    }

    private ShouldNotResolve(String format, Object... arguments) {
        super(format, arguments);
    }
}
