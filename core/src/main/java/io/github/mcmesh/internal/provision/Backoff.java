package io.github.mcmesh.internal.provision;

import java.time.Duration;

/**
 * The pauses before the re-checks of a condition that usually holds at once or shortly after
 * (CoreDNS's pod IP after {@code minikube start --wait=all}, the mesh right after the installs):
 * 50 ms, doubling up to 500 ms. A condition holding 0.1 s after the first check is seen after
 * 0.15 s instead of 0.5 s; one that takes longer is re-checked twice a second, as a fixed 500 ms
 * poll did, so a slow cluster's API server gets no more requests than before. One per wait.
 *
 * <pre>{@code
 * Backoff backoff = new Backoff();
 * while (!ready()) {
 *     backoff.pause();
 * }
 * }</pre>
 */
final class Backoff {

    static final Duration FIRST = Duration.ofMillis(50);
    static final Duration LONGEST = Duration.ofMillis(500);

    /** How a pause is slept: {@link Thread#sleep} outside tests. */
    interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private final Sleeper sleeper;
    private Duration next = FIRST;

    Backoff() {
        this(pause -> Thread.sleep(pause.toMillis()));
    }

    Backoff(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** The next pause, and the one after it doubled (at most {@link #LONGEST}). */
    Duration next() {
        Duration pause = next;
        next = next.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : next.multipliedBy(2);
        return pause;
    }

    /** Sleeps the {@link #next()} pause. */
    void pause() {
        try {
            sleeper.sleep(next());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
