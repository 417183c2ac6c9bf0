package io.github.mcmesh.internal.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One external command to run: the tool, its arguments, the cluster it concerns (the log
 * prefix), how long it may take, and whether its stdout carries secrets.
 *
 * <pre>{@code
 * runner.run(Command.of(Tool.MINIKUBE, "status", "-p", "mcmesh-east", "-o", "json")
 *     .forCluster("mcmesh-east").withTimeout(Duration.ofSeconds(30)));
 * }</pre>
 *
 * @param tool the tool to run, located through {@link Tools}
 * @param arguments the arguments after the executable
 * @param cluster the cluster the command concerns, or empty for mesh-wide commands
 * @param timeout how long the command may run before it is killed
 * @param sensitiveOutput whether stdout carries secrets (never logged, never put in an exception)
 * @param stdin text fed to the command's standard input, if any
 * @param environment variables set for this command on top of the runner's own
 */
public record Command(Tool tool, List<String> arguments, Optional<String> cluster, Optional<Duration> timeout,
        boolean sensitiveOutput, Optional<String> stdin, Map<String, String> environment) {

    public Command {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    public static Command of(Tool tool, String... arguments) {
        return new Command(tool, List.of(arguments), Optional.empty(), Optional.empty(), false, Optional.empty(), Map.of());
    }

    public static Command of(Tool tool, List<String> arguments) {
        return new Command(tool, arguments, Optional.empty(), Optional.empty(), false, Optional.empty(), Map.of());
    }

    public Command forCluster(String name) {
        return new Command(tool, arguments, Optional.of(name), timeout, sensitiveOutput, stdin, environment);
    }

    public Command withTimeout(Duration value) {
        return new Command(tool, arguments, cluster, Optional.of(value), sensitiveOutput, stdin, environment);
    }

    /** Marks stdout as secret: it is returned to the caller but never logged or put in an exception. */
    public Command withSensitiveOutput() {
        return new Command(tool, arguments, cluster, timeout, true, stdin, environment);
    }

    public Command withStdin(String text) {
        return new Command(tool, arguments, cluster, timeout, sensitiveOutput, Optional.of(text), environment);
    }

    public Command withEnvironment(Map<String, String> variables) {
        return new Command(tool, arguments, cluster, timeout, sensitiveOutput, stdin, variables);
    }

    /** The command line as it is logged: the tool's name and the arguments, space-separated. */
    public String commandLine() {
        return tool.executableName() + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
    }
}
