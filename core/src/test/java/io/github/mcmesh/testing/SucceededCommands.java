package io.github.mcmesh.testing;

import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import java.util.function.Consumer;

/**
 * A runner that plays, after each command the wrapped runner ran successfully, what the real tool
 * would have left in a cluster (the fakes run no controllers): a node after {@code minikube start},
 * a chart's objects after {@code helm upgrade}.
 *
 * <pre>{@code
 * CommandRunner runner = SucceededCommands.then(fakes.runner(), command -> render(command));
 * }</pre>
 */
public final class SucceededCommands {

    private SucceededCommands() {
    }

    /** {@code runner}, with {@code effect} applied to every command that ended with exit 0. */
    public static CommandRunner then(CommandRunner runner, Consumer<Command> effect) {
        return new CommandRunner() {
            @Override
            public CommandResult run(Command command) {
                CommandResult result = runner.run(command); // throws on a non-zero exit
                effect.accept(command);
                return result;
            }

            @Override
            public CommandResult runAllowingFailure(Command command) {
                CommandResult result = runner.runAllowingFailure(command);
                if (result.exitCode() == 0) {
                    effect.accept(command);
                }
                return result;
            }

            @Override
            public Redactor secrets() {
                return runner.secrets();
            }
        };
    }
}
