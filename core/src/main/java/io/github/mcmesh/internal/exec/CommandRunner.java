package io.github.mcmesh.internal.exec;

/**
 * Runs external commands. The one implementation, {@link ProcessCommandRunner}, runs them
 * through zt-exec; every component that calls a tool takes a {@code CommandRunner}.
 *
 * <pre>{@code
 * CommandResult status = runner.runAllowingFailure(Command.of(Tool.MINIKUBE, "status", "-p", "east", "-o", "json"));
 * if (status.exitCode() == 85) { ... } // no such profile
 * }</pre>
 */
public interface CommandRunner {

    /**
     * Runs the command and waits for it.
     *
     * @throws CommandFailedException when it exits non-zero or times out, with the command line,
     *         exit code and the tail of stderr
     * @throws ToolNotFoundException when the tool cannot be found
     */
    CommandResult run(Command command);

    /**
     * Runs the command and returns whatever exit code it had; still throws on timeout and on a
     * missing tool.
     */
    CommandResult runAllowingFailure(Command command);

    /**
     * The secrets this runner masks in every line it logs and every exception message it throws.
     * Register a secret here as soon as mcmesh learns it (a token, a key), so that a tool echoing
     * it is masked too. A runner that wraps another hands on the other's. There is no default: a
     * wrapper that forgot to hand it on would mask nothing, silently.
     */
    Redactor secrets();
}
