package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.MeshAssertionError;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Runs rounds, one every poll interval from the end of the last, until the check passes in
 * {@code converging} consecutive rounds or {@code within} is up (the last failure is the cause),
 * then keeps checking for {@code during}. Time comes from the settings' {@link Ticker}.
 */
public final class Poller {

    private Poller() {
    }

    public static <R> void converge(String alias, AssertionSettings settings, Transcript transcript, IntFunction<R> round,
            Consumer<R> check) {
        Ticker ticker = settings.ticker();
        int rounds = 0;
        int passedInARow = 0;
        AssertionError lastFailure = null;
        AssertionError last;
        long start = ticker.nanoTime();
        while (true) {
            rounds++;
            R result = round.apply(rounds);
            try {
                check.accept(result);
                passedInARow++;
                transcript.record("round " + rounds + " passed (" + passedInARow + " of " + settings.converging()
                        + " in a row)");
                if (passedInARow >= settings.converging()) {
                    break;
                }
                last = new AssertionError(ShouldConverge.shouldConverge(alias, settings.converging(), passedInARow, rounds,
                        ticker.elapsedSince(start), lastFailure).create());
            } catch (AssertionError e) {
                passedInARow = 0;
                lastFailure = e;
                last = e;
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
        keepHolding(settings, transcript, round, check, rounds);
    }

    private static <R> void keepHolding(AssertionSettings settings, Transcript transcript, IntFunction<R> round,
            Consumer<R> check, int roundsSoFar) {
        if (settings.during().isZero()) {
            return;
        }
        Ticker ticker = settings.ticker();
        int rounds = roundsSoFar;
        long holdStart = ticker.nanoTime();
        while (ticker.elapsedSince(holdStart).compareTo(settings.during()) < 0) {
            pause(ticker, settings.pollInterval());
            rounds++;
            try {
                check.accept(round.apply(rounds));
            } catch (AssertionError e) {
                transcript.record("round " + rounds + " failed while holding");
                throw new MeshAssertionError(ShouldKeepHolding.shouldKeepHolding(settings.during(),
                        ticker.elapsedSince(holdStart), e.getMessage()).create(), e, transcript.lines());
            }
            transcript.record("round " + rounds + " held");
        }
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
