package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.Ticker;
import java.time.Duration;

/**
 * A {@link Ticker} whose time moves only when the poller sleeps, and by exactly the time slept: a
 * round takes no time, so {@code within(100 ms)} polling every 10 ms is 11 rounds on any machine.
 */
final class SteppingTicker implements Ticker {

    private long nanos;
    private int sleeps;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        nanos += duration.toNanos();
        sleeps++;
    }

    synchronized int sleeps() {
        return sleeps;
    }
}
