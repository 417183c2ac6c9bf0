package io.github.mcmesh.assertions;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs rounds until the check passes in {@code converging} consecutive rounds (Awaitility,
 * {@code untilAsserted}, so the last failure is the cause), then keeps checking for
 * {@code during}.
 */
final class Poller {

    private Poller() {
    }

    static <R> void converge(String alias, AssertionSettings settings, Transcript transcript, IntFunction<R> round,
            Consumer<R> check) {
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger passedInARow = new AtomicInteger();
        AtomicReference<AssertionError> lastFailure = new AtomicReference<>();
        long start = System.nanoTime();
        try {
            Awaitility.await(alias).atMost(settings.within()).pollDelay(Duration.ZERO)
                    .pollInterval(settings.pollInterval()).pollInSameThread()
                    .untilAsserted(() -> {
                        R result = round.apply(rounds.incrementAndGet());
                        try {
                            check.accept(result);
                        } catch (AssertionError e) {
                            passedInARow.set(0);
                            lastFailure.set(e);
                            transcript.record("round " + rounds.get() + " failed");
                            throw e;
                        }
                        int passed = passedInARow.incrementAndGet();
                        transcript.record("round " + rounds.get() + " passed (" + passed + " of "
                                + settings.converging() + " in a row)");
                        if (passed < settings.converging()) {
                            throw new AssertionError(ShouldConverge.shouldConverge(alias, settings.converging(), passed,
                                    rounds.get(), elapsed(start), lastFailure.get()).create());
                        }
                    });
        } catch (ConditionTimeoutException e) {
            AssertionError last = e.getCause() instanceof AssertionError cause ? cause
                    : new AssertionError("no round completed within " + settings.within());
            throw new MeshAssertionError(last.getMessage() + System.lineSeparator() + "(gave up after "
                    + Evidence.duration(elapsed(start)) + ", " + rounds.get() + " rounds, within "
                    + Evidence.duration(settings.within()) + ")", e, transcript.lines());
        }
        keepHolding(settings, transcript, round, check, rounds, start);
    }

    private static <R> void keepHolding(AssertionSettings settings, Transcript transcript, IntFunction<R> round,
            Consumer<R> check, AtomicInteger rounds, long start) {
        if (settings.during().isZero()) {
            return;
        }
        long holdStart = System.nanoTime();
        while (elapsed(holdStart).compareTo(settings.during()) < 0) {
            pause(settings.pollInterval());
            try {
                check.accept(round.apply(rounds.incrementAndGet()));
            } catch (AssertionError e) {
                transcript.record("round " + rounds.get() + " failed while holding");
                throw new MeshAssertionError(ShouldKeepHolding.shouldKeepHolding(settings.during(), elapsed(holdStart),
                        e.getMessage()).create(), e, transcript.lines());
            }
            transcript.record("round " + rounds.get() + " held");
        }
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking that the expectation keeps holding", e);
        }
    }

    static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
