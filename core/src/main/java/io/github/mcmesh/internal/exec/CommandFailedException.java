package io.github.mcmesh.internal.exec;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * An external command exited non-zero or ran out of time. The message holds the full command
 * line, the cluster, the exit code (or the timeout), the elapsed time and the last lines the
 * command wrote to stderr, already redacted; a command with sensitive stdout never has its stdout
 * in here.
 *
 * <pre>{@code
 * try {
 *     runner.run(Command.of(Tool.HELM, "status", "istiod", "-n", "istio-system"));
 * } catch (CommandFailedException e) {
 *     e.exitCode();    // OptionalInt[1]
 *     e.outputTail();  // ["Error: release: not found"]
 * }
 * }</pre>
 */
public class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String commandLine;
    private final OptionalInt exitCode;
    private final Duration elapsed;
    private final List<String> outputTail;
    private final boolean timedOut;

    private CommandFailedException(String message, String commandLine, OptionalInt exitCode, Duration elapsed,
            List<String> outputTail, boolean timedOut) {
        super(message);
        this.commandLine = commandLine;
        this.exitCode = exitCode;
        this.elapsed = elapsed;
        this.outputTail = List.copyOf(outputTail);
        this.timedOut = timedOut;
    }

    /**
     * The command ended with a non-zero exit code.
     *
     * @param commandLine the redacted command line
     * @param where the cluster, or the mesh, the command concerned
     * @param executable the executable that ran
     * @param outputTail the redacted last lines of {@code outputName}
     * @param outputName which stream the tail comes from, e.g. {@code stderr}
     */
    static CommandFailedException nonZeroExit(String commandLine, String where, String executable, int exitCode,
            Duration elapsed, List<String> outputTail, String outputName) {
        String message = String.format(Locale.ROOT, "[%s] command failed with exit code %d after %s:%n  %s%n"
                + "executable: %s%n%s", where, exitCode, formatDuration(elapsed), commandLine, executable,
                describeTail(outputTail, outputName));
        return new CommandFailedException(message, commandLine, OptionalInt.of(exitCode), elapsed, outputTail, false);
    }

    /** The command ran longer than {@code timeout} and was killed together with its child processes. */
    static CommandFailedException timedOut(String commandLine, String where, String executable, Duration timeout,
            Duration elapsed, List<String> outputTail, String outputName) {
        String message = String.format(Locale.ROOT, "[%s] command timed out after %s and was killed:%n  %s%n"
                + "executable: %s%n%s", where, formatDuration(timeout), commandLine, executable,
                describeTail(outputTail, outputName));
        return new CommandFailedException(message, commandLine, OptionalInt.empty(), elapsed, outputTail, true);
    }

    /** The command line as logged, redacted. */
    public String commandLine() {
        return commandLine;
    }

    /** The exit code, empty when the command timed out and was killed. */
    public OptionalInt exitCode() {
        return exitCode;
    }

    /** How long the command ran. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The last lines of stderr (of stdout when stderr was empty and stdout is not sensitive), redacted. */
    public List<String> outputTail() {
        return outputTail;
    }

    /** Whether the command was killed because it ran out of time. */
    public boolean timedOut() {
        return timedOut;
    }

    /** A duration as people read it in logs: {@code 0.4 s}, {@code 41.2 s}, {@code 5 min 3 s}. */
    static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %d s", millis / 60_000, (millis % 60_000) / 1000);
    }

    private static String describeTail(List<String> tail, String outputName) {
        if (tail.isEmpty()) {
            return "it wrote nothing to stderr";
        }
        String which = tail.size() == 1 ? "last line" : "last " + tail.size() + " lines";
        return which + " of " + outputName + ":" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", tail);
    }
}
