package io.github.mcmesh.testing;

import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.ProcessCommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.Tools;
import io.github.mcmesh.spec.ToolPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fake {@code minikube}, {@code helm}, {@code istioctl} and {@code docker} executables in a
 * directory of their own, for tests. The scripts live in test resources under
 * {@code fake-tools/}; each appends one line per invocation to {@code state/invocations.log}
 * (the tool name and its arguments, separated by single spaces), answers like the real tool and
 * rejects flags the real tool does not have (exit 1 with {@code Error: unknown flag: --x}).
 * Behaviour is steered through files in the state directory (see each script's header).
 *
 * <pre>{@code
 * FakeTools fakes = FakeTools.install(tempDir);
 * ToolPaths tools = ToolPaths.onPath().withSearchPath(fakes.binDirectory().toString());
 * ...
 * assertThat(fakes.invocations()).contains("minikube status -p mcmesh-east -o json");
 * }</pre>
 */
public final class FakeTools {

    public static final List<String> TOOLS = List.of("minikube", "helm", "istioctl", "docker");

    private final Path bin;
    private final Path state;

    private FakeTools(Path bin, Path state) {
        this.bin = bin;
        this.state = state;
    }

    /** Copies every fake that exists in test resources into {@code root/bin}, executable, with state in {@code root/state}. */
    public static FakeTools install(Path root) {
        try {
            Path bin = Files.createDirectories(root.resolve("bin"));
            Path state = Files.createDirectories(root.resolve("state"));
            for (String tool : TOOLS) {
                try (InputStream script = FakeTools.class.getResourceAsStream("/fake-tools/" + tool)) {
                    if (script == null) {
                        continue;
                    }
                    Path target = bin.resolve(tool);
                    Files.copy(script, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Files.createFile(state.resolve("invocations.log"));
            return new FakeTools(bin, state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory holding the executables: put it first on the runner's search path. */
    public Path binDirectory() {
        return bin;
    }

    /** Tool paths that find the fakes first. */
    public ToolPaths toolPaths() {
        return ToolPaths.onPath().withSearchPath(bin.toString());
    }

    /** A real process runner that finds the fakes first, with a minimal environment. */
    public CommandRunner runner() {
        return new ProcessCommandRunner(new Tools(toolPaths()), Map.of("PATH", "/usr/bin:/bin", "HOME", bin.getParent().toString()),
                new Redactor(), Duration.ofSeconds(30));
    }

    /** The directory the fakes keep their state in ({@code bin/../state}). */
    public Path stateDirectory() {
        return state;
    }

    /** Every invocation so far, one line each: {@code tool arg1 arg2 ...}. */
    public List<String> invocations() {
        try {
            return Files.readAllLines(state.resolve("invocations.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One finished call of a fake: wall-clock begin and end in epoch microseconds, and {@code tool arg1 arg2 ...}. */
    public record TimedInvocation(long beginMicros, long endMicros, String line) {

        static TimedInvocation parse(String record) {
            String[] parts = record.split(" ", 3);
            return new TimedInvocation(micros(parts[0]), micros(parts[1]), parts[2]);
        }

        /** bash's {@code EPOCHREALTIME}: seconds, a locale's decimal separator, six digits. */
        private static long micros(String epochRealTime) {
            String[] secondsAndMicros = epochRealTime.split("[.,]");
            return Long.parseLong(secondsAndMicros[0]) * 1_000_000 + Long.parseLong(secondsAndMicros[1]);
        }
    }

    /** Every call that has finished so far, in the order they finished ({@code state/timings.log}). */
    public List<TimedInvocation> timedInvocations() {
        Path timings = state.resolve("timings.log");
        try {
            return Files.exists(timings) ? Files.readAllLines(timings).stream().map(TimedInvocation::parse).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The invocations of one tool. */
    public List<String> invocationsOf(String tool) {
        return invocations().stream().filter(line -> line.startsWith(tool + " ")).toList();
    }

    /**
     * Stands up the API server the fake {@code minikube start -p <profile>} writes into the kubeconfig, as the
     * real start writes its new cluster's endpoint and credentials (context, cluster and user named after the
     * profile); {@code minikube delete} removes them again.
     */
    public void minikubeApiServer(String profile, String serverUrl, String token) {
        try {
            Path file = stateDirectory().resolve("minikube/apiservers").resolve(profile);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "server=" + serverUrl + "\ntoken=" + token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a steering file into the state directory, e.g. {@code fail-minikube-start} (see the scripts). */
    public void steer(String fileName, String content) {
        try {
            Files.writeString(state.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
