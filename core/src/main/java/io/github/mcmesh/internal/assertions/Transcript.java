package io.github.mcmesh.internal.assertions;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last lines of what an assertion's probes ran and saw. */
public final class Transcript {

    public static final int MAX_LINES = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Deque<String> lines = new ArrayDeque<>();

    public synchronized void record(String line) {
        if (lines.size() == MAX_LINES) {
            lines.removeFirst();
        }
        lines.addLast(TIME.format(LocalTime.now()) + " " + line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
