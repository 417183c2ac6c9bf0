package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.MeshAssertionError;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.assertj.core.api.AssertionInfo;
import org.assertj.core.description.EmptyTextDescription;
import org.assertj.core.error.ErrorMessageFactory;
import org.assertj.core.internal.Failures;

/**
 * Runs rounds, one every poll interval from the end of the last, until the verdict passes in
 * {@code converging} consecutive rounds or {@code within} is up (the last failure is the cause),
 * then keeps checking for {@code during}. Time comes from the settings' {@link Ticker}. Failures are
 * made from the assertion's {@link AssertionInfo}: its description, representation and overriding
 * message apply, as in any AssertJ assertion.
 */
public final class Poller {

    private static final Failures FAILURES = Failures.instance();

    private Poller() {
    }

    /**
     * @param subject what is asserted on (the call or the lookup), as the convergence failure names it
     * @param expectation what it should do, e.g. {@code reaching [east, west]}
     * @param verdict the failure of a round, empty when the round passes
     */
    public static <R> void converge(AssertionInfo info, Object subject, String expectation, AssertionSettings settings,
            Transcript transcript, IntFunction<R> round, Function<R, Optional<ErrorMessageFactory>> verdict) {
        Ticker ticker = settings.ticker();
        int rounds = 0;
        int passedInARow = 0;
        ErrorMessageFactory lastFailure = null;
        AssertionError last;
        long start = ticker.nanoTime();
        while (true) {
            rounds++;
            Optional<ErrorMessageFactory> failure = verdict.apply(round.apply(rounds));
            if (failure.isEmpty()) {
                passedInARow++;
                transcript.record("round " + rounds + " passed (" + passedInARow + " of " + settings.converging()
                        + " in a row)");
                if (passedInARow >= settings.converging()) {
                    break;
                }
                last = FAILURES.failure(info, ShouldConverge.shouldConverge(subject, expectation, settings.converging(),
                        passedInARow, rounds, ticker.elapsedSince(start),
                        lastFailure == null ? null : withoutDescription(lastFailure, info)));
            } else {
                passedInARow = 0;
                lastFailure = failure.get();
                last = FAILURES.failure(info, lastFailure);
                transcript.record("round " + rounds + " failed");
            }
            // a round that starts before the deadline is the last one that may pass, as with Awaitility's atMost
            if (ticker.elapsedSince(start).compareTo(settings.within()) >= 0) {
                throw new MeshAssertionError(last.getMessage() + System.lineSeparator() + "(gave up after "
                        + Evidence.duration(ticker.elapsedSince(start)) + ", " + rounds + " rounds, within "
                        + Evidence.duration(settings.within()) + ")", last, transcript.lines());
            }
            pause(ticker, settings.pollInterval());
        }
        keepHolding(info, settings, transcript, round, verdict, rounds);
    }

    private static <R> void keepHolding(AssertionInfo info, AssertionSettings settings, Transcript transcript,
            IntFunction<R> round, Function<R, Optional<ErrorMessageFactory>> verdict, int roundsSoFar) {
        if (settings.during().isZero()) {
            return;
        }
        Ticker ticker = settings.ticker();
        int rounds = roundsSoFar;
        long holdStart = ticker.nanoTime();
        while (ticker.elapsedSince(holdStart).compareTo(settings.during()) < 0) {
            pause(ticker, settings.pollInterval());
            rounds++;
            Optional<ErrorMessageFactory> failure = verdict.apply(round.apply(rounds));
            if (failure.isPresent()) {
                transcript.record("round " + rounds + " failed while holding");
                AssertionError roundFailure = FAILURES.failure(info, failure.get());
                AssertionError stopped = FAILURES.failure(info, ShouldKeepHolding.shouldKeepHolding(settings.during(),
                        ticker.elapsedSince(holdStart), withoutDescription(failure.get(), info)));
                throw new MeshAssertionError(stopped.getMessage(), roundFailure, transcript.lines());
            }
            transcript.record("round " + rounds + " held");
        }
    }

    /** A round's failure as another failure quotes it: the assertion's description is already at the top. */
    private static String withoutDescription(ErrorMessageFactory failure, AssertionInfo info) {
        return failure.create(EmptyTextDescription.emptyDescription(), info.representation());
    }

    private static void pause(Ticker ticker, Duration interval) {
        try {
            ticker.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while polling the mesh", e);
        }
    }
}
