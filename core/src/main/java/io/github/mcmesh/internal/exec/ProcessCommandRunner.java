package io.github.mcmesh.internal.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.MessageLoggers;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;

/**
 * Runs every external command of mcmesh through zt-exec.
 * <ul>
 *   <li>The child gets exactly the environment given here (not the JVM's), plus the command's
 *       own variables, with {@code PATH} = {@link Tools#searchPath()} followed by the given
 *       {@code PATH}. Pass {@code System.getenv()} to hand down {@code HOME}, {@code KUBECONFIG},
 *       {@code NO_PROXY} and the like.</li>
 *   <li>Output is logged line by line to the logger {@code io.github.mcmesh.exec} as
 *       {@code [cluster] line}: stdout at DEBUG (it is the data mcmesh parses: JSON, IPs, YAML);
 *       stderr at INFO for {@link #run} (there the tools put their warnings and progress, which
 *       users should see) and at DEBUG for {@link #runAllowingFailure} (there the caller expects
 *       failures such as {@code minikube status} of a missing profile, whose stderr would only
 *       alarm). stdout of a {@link Command#withSensitiveOutput() sensitive} command is never
 *       logged. Every line and every exception message is {@link Redactor redacted}.</li>
 *   <li>A command still running at its timeout ({@link Command#timeout()}, else the default)
 *       is killed with all its descendants: TERM, then KILL after a grace period.</li>
 * </ul>
 *
 * <pre>{@code
 * CommandRunner runner = new ProcessCommandRunner(new Tools(spec.tools()), System.getenv(), redactor,
 *     Duration.ofMinutes(2));
 * String ip = runner.run(Command.of(Tool.MINIKUBE, "ip", "-p", "mcmesh-east").forCluster("mcmesh-east"))
 *     .stdout().strip();
 * }</pre>
 */
public final class ProcessCommandRunner implements CommandRunner {

    /** How many lines of output a failure carries. */
    public static final int TAIL_LINES = 20;

    private static final Logger LOG = LoggerFactory.getLogger("io.github.mcmesh.exec");
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final String MESH_WIDE = "mesh";

    private final Tools tools;
    private final Map<String, String> environment;
    private final Redactor redactor;
    private final Duration defaultTimeout;

    /**
     * @param tools where the executables are
     * @param environment the complete environment of child processes, before the tool
     *        directories are prepended to its {@code PATH}
     * @param redactor the secrets to mask in logs and exception messages
     * @param defaultTimeout the timeout of commands that set none
     */
    public ProcessCommandRunner(Tools tools, Map<String, String> environment, Redactor redactor,
            Duration defaultTimeout) {
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive, was " + defaultTimeout);
        }
        this.tools = tools;
        this.environment = Map.copyOf(environment);
        this.redactor = redactor;
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public Redactor secrets() {
        return redactor;
    }

    @Override
    public CommandResult run(Command command) {
        return execute(command, true);
    }

    @Override
    public CommandResult runAllowingFailure(Command command) {
        return execute(command, false);
    }

    private CommandResult execute(Command command, boolean failOnNonZeroExit) {
        Path executable = tools.path(command.tool());
        String where = command.cluster().orElse(MESH_WIDE);
        String commandLine = redactor.redact(command.commandLine());
        Duration timeout = command.timeout().orElse(defaultTimeout);

        LineStream stdout = new LineStream(line -> {
            if (!command.sensitiveOutput()) {
                LOG.debug("[{}] {}", where, redactor.redact(line));
            }
        });
        LineStream stderr = new LineStream(line -> {
            if (failOnNonZeroExit) {
                LOG.info("[{}] {}", where, redactor.redact(line));
            } else {
                LOG.debug("[{}] {}", where, redactor.redact(line));
            }
        });
        ProcessExecutor executor = new ProcessExecutor(arguments(executable, command))
                .redirectOutput(stdout)
                .redirectError(stderr)
                .exitValueAny()
                .readOutput(false)
                // zt-exec would log the raw arguments and environment: secrets included
                .setMessageLogger(MessageLoggers.NOP);
        childEnvironment(command).forEach(executor::environment);
        command.stdin().ifPresent(text -> executor.redirectInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));

        LOG.debug("[{}] $ {}", where, commandLine);
        long start = System.nanoTime();
        StartedProcess started;
        try {
            started = executor.start();
        } catch (IOException e) {
            throw new UncheckedIOException(redactor.redact("[" + where + "] could not start " + commandLine
                    + " (executable: " + executable + "): " + e.getMessage()), e);
        }
        int exitCode;
        try {
            ProcessResult result = started.getFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            exitCode = result.getExitValue();
        } catch (TimeoutException e) {
            killTree(started.getProcess());
            awaitStreams(started.getFuture());
            stderr.finish();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            LOG.debug("[{}] {} timed out after {}, killed", where, commandLine, CommandFailedException.formatDuration(elapsed));
            throw CommandFailedException.timedOut(commandLine, where, executable.toString(), timeout, elapsed,
                    redactedTail(stderr), "stderr");
        } catch (InterruptedException e) {
            killTree(started.getProcess());
            Thread.currentThread().interrupt();
            throw new CancellationException("[" + where + "] interrupted, killed: " + commandLine);
        } catch (ExecutionException e) {
            killTree(started.getProcess());
            throw new IllegalStateException(redactor.redact("[" + where + "] could not run " + commandLine + ": "
                    + e.getCause()), e.getCause());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        stdout.finish();
        stderr.finish();
        LOG.debug("[{}] {} exited {} after {}", where, commandLine, exitCode, CommandFailedException.formatDuration(elapsed));
        if (failOnNonZeroExit && exitCode != 0) {
            boolean useStdout = stderr.lines().isEmpty() && !command.sensitiveOutput();
            throw CommandFailedException.nonZeroExit(commandLine, where, executable.toString(), exitCode, elapsed,
                    redactedTail(useStdout ? stdout : stderr), useStdout ? "stdout" : "stderr");
        }
        return new CommandResult(command, exitCode, stdout.text(), stderr.text(), elapsed);
    }

    private static List<String> arguments(Path executable, Command command) {
        List<String> arguments = new ArrayList<>();
        arguments.add(executable.toString());
        arguments.addAll(command.arguments());
        return arguments;
    }

    /**
     * The runner's environment with the tool directories first on {@code PATH}, then the command's
     * own variables; every variable the JVM has but this map lacks is removed (value {@code null}
     * tells zt-exec to remove it).
     */
    private Map<String, String> childEnvironment(Command command) {
        Map<String, String> child = new LinkedHashMap<>();
        System.getenv().keySet().forEach(inherited -> child.put(inherited, null));
        child.putAll(environment);
        child.put("PATH", Tools.mergePaths(Stream.of(tools.searchPath(), environment.getOrDefault("PATH", ""))));
        child.putAll(command.environment());
        return child;
    }

    private List<String> redactedTail(LineStream stream) {
        List<String> lines = stream.lines();
        return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).stream().map(redactor::redact).toList();
    }

    /** Terminates the process and its descendants, then kills whatever is left after the grace period. */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                // it gets the KILL below
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Waits for the output pumps to drain after a kill, without hanging on a grandchild that escaped the kill. */
    private static void awaitStreams(Future<ProcessResult> future) {
        try {
            future.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            future.cancel(true);
        }
    }

    /** Keeps every byte a stream received and hands each complete line, decoded as UTF-8, to a consumer. */
    private static final class LineStream extends OutputStream {

        private final Consumer<String> lineConsumer;
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        private final ByteArrayOutputStream currentLine = new ByteArrayOutputStream();
        private final List<String> lines = new ArrayList<>();

        LineStream(Consumer<String> lineConsumer) {
            this.lineConsumer = lineConsumer;
        }

        @Override
        public synchronized void write(int b) {
            all.write(b);
            if (b == '\n') {
                endLine();
            } else {
                currentLine.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        /** Hands over the last line when it had no line break. */
        synchronized void finish() {
            if (currentLine.size() > 0) {
                endLine();
            }
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized String text() {
            return all.toString(StandardCharsets.UTF_8);
        }

        private void endLine() {
            String line = currentLine.toString(StandardCharsets.UTF_8);
            currentLine.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lines.add(line);
            lineConsumer.accept(line);
        }
    }
}
