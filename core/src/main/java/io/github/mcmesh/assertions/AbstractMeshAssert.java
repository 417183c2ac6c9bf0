package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.Ticker;
import java.time.Duration;
import java.util.Objects;
import org.assertj.core.annotation.CheckReturnValue;
import org.assertj.core.api.AbstractAssert;

/**
 * Base of mcmesh's assertions: the polling settings every assertion shares, immutable (each
 * setter returns a new assertion, as Awaitility's {@code await()} does) and chainable. A copy keeps
 * the assertion's description ({@code as(...)}), representation ({@code withRepresentation(...)})
 * and overriding message ({@code withFailMessage(...)}).
 *
 * <pre>{@code
 * assertThat(mesh).within(Duration.ofMinutes(2)).pollingEvery(Duration.ofSeconds(1)).converging(5)
 *         .from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").calls(20)
 *         .reachesClusters("mcmesh-east", "mcmesh-west");
 * }</pre>
 *
 * @param <SELF> the concrete assertion, for chaining
 * @param <ACTUAL> what is asserted on: the {@link io.github.mcmesh.Mesh}, a {@link Call} or a {@link Lookup}
 */
public abstract class AbstractMeshAssert<SELF extends AbstractMeshAssert<SELF, ACTUAL>, ACTUAL>
        extends AbstractAssert<SELF, ACTUAL> {

    final AssertionSettings settings;

    AbstractMeshAssert(ACTUAL actual, AssertionSettings settings, Class<?> selfType) {
        super(actual, selfType);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The same assertion with other settings; {@link #copy} carries the assertion's state over. */
    abstract SELF with(AssertionSettings changed);

    final SELF copy(AssertionSettings changed) {
        return carryStateTo(with(changed));
    }

    /** {@code next} with this assertion's description, representation and overriding message. */
    final <A extends AbstractMeshAssert<A, ?>> A carryStateTo(A next) {
        if (info.hasDescription()) {
            next.info.description(info.description());
        }
        next.info.useRepresentation(info.representation());
        String overridingMessage = info.overridingErrorMessage();
        if (overridingMessage != null) {
            next.info.overridingErrorMessage(overridingMessage);
        }
        return next;
    }

    /** How long to poll before failing (default: the mesh's {@code timeouts.assertion}). */
    @CheckReturnValue
    public SELF within(Duration timeout) {
        return copy(settings.withWithin(timeout));
    }

    /** The pause between rounds (default 500 ms, as Istio's multicluster tests). */
    @CheckReturnValue
    public SELF pollingEvery(Duration interval) {
        return copy(settings.withPollInterval(interval));
    }

    /** Consecutive passing rounds needed (default 3, as Istio's {@code retry.Converge}). */
    @CheckReturnValue
    public SELF converging(int consecutiveRounds) {
        return copy(settings.withConverging(consecutiveRounds));
    }

    /** After converging, every round during this period must pass too ("keeps holding"). */
    @CheckReturnValue
    public SELF during(Duration period) {
        return copy(settings.withDuring(period));
    }

    /** For tests: polls by {@code ticker} instead of the system clock. */
    @CheckReturnValue
    SELF usingTicker(Ticker ticker) {
        return copy(settings.withTicker(Objects.requireNonNull(ticker, "ticker")));
    }
}
