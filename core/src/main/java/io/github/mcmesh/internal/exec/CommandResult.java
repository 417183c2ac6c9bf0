package io.github.mcmesh.internal.exec;

import java.time.Duration;

/**
 * What a finished command left behind.
 *
 * <pre>{@code
 * CommandResult result = runner.run(Command.of(Tool.MINIKUBE, "ip", "-p", "mcmesh-east"));
 * String nodeIp = result.stdout().strip();
 * }</pre>
 *
 * @param command the command that ran
 * @param exitCode its exit code
 * @param stdout everything it wrote to stdout
 * @param stderr everything it wrote to stderr
 * @param elapsed how long it ran
 */
public record CommandResult(Command command, int exitCode, String stdout, String stderr, Duration elapsed) {
}
