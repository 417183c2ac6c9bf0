package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.Ticker;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.ClusterAttribution;
import io.github.mcmesh.internal.probe.PodExec;
import java.time.Duration;
import java.util.Objects;
import org.assertj.core.annotation.CheckReturnValue;
import org.assertj.core.api.AbstractAssert;

/**
 * Base of mcmesh's assertions: the settings every assertion shares, immutable (each setter
 * returns a new assertion) and chainable.
 *
 * <pre>{@code
 * assertThat(mesh).within(Duration.ofMinutes(2)).pollingEvery(Duration.ofSeconds(1)).calls(20)
 *         .from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello")
 *         .reachesClusters("mcmesh-east", "mcmesh-west");
 * }</pre>
 *
 * @param <SELF> the concrete assertion, for chaining
 */
public abstract class AbstractMeshAssert<SELF extends AbstractMeshAssert<SELF>> extends AbstractAssert<SELF, Mesh> {

    final AssertionSettings settings;

    AbstractMeshAssert(Mesh mesh, AssertionSettings settings, Class<?> selfType) {
        super(mesh, selfType);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    abstract SELF with(AssertionSettings changed);

    private SELF copy(AssertionSettings changed) {
        SELF copy = with(changed);
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            copy.as(info.description());
        }
        return copy;
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

    /** Calls per round (default 10); each is a fresh process with a fresh DNS lookup. */
    @CheckReturnValue
    public SELF calls(int callsPerRound) {
        return copy(settings.withCalls(callsPerRound));
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

    /** curl's {@code --max-time} for one call (default 5 s, as Istio's echo calls). */
    @CheckReturnValue
    public SELF callTimeout(Duration timeout) {
        return copy(settings.withCallTimeout(timeout));
    }

    /** Runs probe commands through {@code podExec} (default: fabric8 exec). */
    @CheckReturnValue
    public SELF usingPodExec(PodExec podExec) {
        return copy(settings.withPodExec(Objects.requireNonNull(podExec, "podExec")));
    }

    /** For tests: polls by {@code ticker} instead of the system clock. */
    @CheckReturnValue
    SELF usingTicker(Ticker ticker) {
        return copy(settings.withTicker(Objects.requireNonNull(ticker, "ticker")));
    }

    /** Tells the answering cluster with {@code attribution} (default: helloworld's instance). */
    @CheckReturnValue
    public SELF attributedBy(ClusterAttribution attribution) {
        return copy(settings.withAttribution(Objects.requireNonNull(attribution, "attribution")));
    }
}
