package io.github.mcmesh.internal.assertions;

import java.time.Duration;

/**
 * The time an assertion polls by: {@link #SYSTEM} in use; tests give one whose time moves only when
 * it sleeps, so how many rounds fit in {@code within} does not depend on how busy the machine is.
 */
public interface Ticker {

    /** The monotonic clock and {@link Thread#sleep}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    /** The time since {@code startNanos} of this ticker. */
    default Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(nanoTime() - startNanos);
    }
}
