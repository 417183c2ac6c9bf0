package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.internal.probe.PodExec;
import java.time.Duration;

/** The immutable timing and probing settings of one assertion; every change makes a copy. */
public record AssertionSettings(Duration within, Duration pollInterval, int calls, int converging, Duration during,
        Duration callTimeout, PodExec podExec, Ticker ticker) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    public static final int DEFAULT_CALLS = 10;
    public static final int DEFAULT_CONVERGING = 3;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    public AssertionSettings {
        requirePositive("within", within);
        requirePositive("pollingEvery", pollInterval);
        requirePositive("callTimeout", callTimeout);
        if (during.isNegative()) {
            throw new IllegalArgumentException("during must not be negative, was " + during);
        }
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be at least 1, was " + calls);
        }
        if (converging < 1) {
            throw new IllegalArgumentException("converging must be at least 1 round, was " + converging);
        }
    }

    /** The defaults, polling for {@code within} by the system clock, probing through {@code podExec}. */
    public static AssertionSettings defaults(Duration within, PodExec podExec) {
        return new AssertionSettings(within, DEFAULT_POLL_INTERVAL, DEFAULT_CALLS, DEFAULT_CONVERGING, Duration.ZERO,
                DEFAULT_CALL_TIMEOUT, podExec, Ticker.SYSTEM);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }

    public AssertionSettings withWithin(Duration value) {
        return new AssertionSettings(value, pollInterval, calls, converging, during, callTimeout, podExec, ticker);
    }

    public AssertionSettings withPollInterval(Duration value) {
        return new AssertionSettings(within, value, calls, converging, during, callTimeout, podExec, ticker);
    }

    public AssertionSettings withCalls(int value) {
        return new AssertionSettings(within, pollInterval, value, converging, during, callTimeout, podExec, ticker);
    }

    public AssertionSettings withConverging(int value) {
        return new AssertionSettings(within, pollInterval, calls, value, during, callTimeout, podExec, ticker);
    }

    public AssertionSettings withDuring(Duration value) {
        return new AssertionSettings(within, pollInterval, calls, converging, value, callTimeout, podExec, ticker);
    }

    public AssertionSettings withCallTimeout(Duration value) {
        return new AssertionSettings(within, pollInterval, calls, converging, during, value, podExec, ticker);
    }

    public AssertionSettings withTicker(Ticker value) {
        return new AssertionSettings(within, pollInterval, calls, converging, during, callTimeout, podExec, value);
    }
}
