package io.github.mcmesh.internal.exec;

import static io.github.mcmesh.internal.exec.Scripts.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mcmesh.spec.ToolPaths;
import io.github.mcmesh.testing.LogCapture;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCommandRunnerTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.c2VjcmV0";

    @TempDir
    Path temp;

    private final Redactor redactor = new Redactor();

    private ProcessCommandRunner runnerWithMinikube(String scriptBody) {
        Path minikube = script(temp, "minikube", scriptBody);
        return new ProcessCommandRunner(new Tools(ToolPaths.onPath().withMinikube(minikube)), ENVIRONMENT, redactor,
                Duration.ofSeconds(20));
    }

    @Test
    void returns_exit_code_stdout_and_stderr_of_a_command_allowed_to_fail() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("echo '{\"Name\":\"east\"}'; echo 'Profile \"east\" not found' >&2; exit 85");
        // when
        CommandResult result = runner.runAllowingFailure(Command.of(Tool.MINIKUBE, "status", "-p", "east", "-o", "json"));
        // then
        assertThat(result.exitCode()).isEqualTo(85);
        assertThat(result.stdout()).isEqualTo("{\"Name\":\"east\"}\n");
        assertThat(result.stderr()).isEqualTo("Profile \"east\" not found\n");
        assertThat(result.elapsed()).isPositive();
    }

    @Test
    void passes_the_arguments_unchanged_without_a_shell() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("printf '%s\\n' \"$@\"");
        // when
        CommandResult result = runner.run(Command.of(Tool.MINIKUBE, "ssh", "-p", "east", "--", "a b", "$HOME", "x\\,y"));
        // then
        assertThat(result.stdout().lines()).containsExactly("ssh", "-p", "east", "--", "a b", "$HOME", "x\\,y");
    }

    @Test
    void a_non_zero_exit_fails_with_the_command_line_the_exit_code_and_the_last_20_lines_of_stderr() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("for i in $(seq 1 30); do echo \"problem #$i;\" >&2; done; exit 4");
        // when
        CommandFailedException error = catchThrowableOfType(CommandFailedException.class,
                () -> runner.run(Command.of(Tool.MINIKUBE, "start", "-p", "mcmesh-east", "--cni=kindnet").forCluster("mcmesh-east")));
        // then
        assertThat(error).hasMessageContainingAll("[mcmesh-east] command failed with exit code 4 after",
                "minikube start -p mcmesh-east --cni=kindnet", "last 20 lines of stderr", "problem #11;", "problem #30;");
        assertThat(error).hasMessageNotContaining("problem #10;");
        assertThat(error.exitCode()).hasValue(4);
        assertThat(error.commandLine()).isEqualTo("minikube start -p mcmesh-east --cni=kindnet");
        assertThat(error.outputTail()).hasSize(20).startsWith("problem #11;").endsWith("problem #30;");
        assertThat(error.timedOut()).isFalse();
    }

    @Test
    void a_failure_that_wrote_nothing_to_stderr_shows_the_tail_of_stdout() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("echo 'X Exiting due to K8S_OLD_UNSUPPORTED'; exit 106");
        // when / then
        assertThatThrownBy(() -> runner.run(Command.of(Tool.MINIKUBE, "start")))
                .hasMessageContainingAll("exit code 106", "last line of stdout", "X Exiting due to K8S_OLD_UNSUPPORTED");
    }

    @Test
    void a_command_running_past_its_timeout_is_killed_with_its_children_and_reported() throws IOException {
        // given a tool that starts a child and waits for it
        Path childPid = temp.resolve("child.pid");
        ProcessCommandRunner runner = runnerWithMinikube(
                "echo 'pulling images' >&2; sleep 60 & echo $! > " + childPid + "; wait");
        long start = System.nanoTime();
        // when
        CommandFailedException error = catchThrowableOfType(CommandFailedException.class, () -> runner.run(
                Command.of(Tool.MINIKUBE, "start", "-p", "west").forCluster("west").withTimeout(Duration.ofMillis(1500))));
        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(error).hasMessageContainingAll("[west] command timed out after 1.5 s and was killed",
                "minikube start -p west", "pulling images");
        assertThat(error.timedOut()).isTrue();
        assertThat(error.exitCode()).isEmpty();
        long sleepPid = Long.parseLong(Files.readString(childPid).strip());
        assertThat(ProcessHandle.of(sleepPid).filter(ProcessHandle::isAlive)).as("the child of the timed-out tool").isEmpty();
    }

    @Test
    void a_command_without_its_own_timeout_gets_the_default() {
        // given
        Path minikube = script(temp, "minikube", "sleep 30");
        ProcessCommandRunner runner = new ProcessCommandRunner(new Tools(ToolPaths.onPath().withMinikube(minikube)),
                ENVIRONMENT, redactor, Duration.ofMillis(300));
        // when / then
        assertThatThrownBy(() -> runner.runAllowingFailure(Command.of(Tool.MINIKUBE, "ip")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("timed out after 0.3 s");
    }

    @Test
    void feeds_stdin_to_the_command() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("cat");
        // when
        CommandResult result = runner.run(Command.of(Tool.MINIKUBE, "kubectl").withStdin("apiVersion: v1\nkind: Secret\n"));
        // then
        assertThat(result.stdout()).isEqualTo("apiVersion: v1\nkind: Secret\n");
    }

    @Test
    void a_command_without_stdin_reads_end_of_file_instead_of_waiting() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("cat; echo done");
        // when
        CommandResult result = runner.run(Command.of(Tool.MINIKUBE, "ip").withTimeout(Duration.ofSeconds(5)));
        // then
        assertThat(result.stdout()).isEqualTo("done\n");
    }

    @Test
    void logs_each_line_with_the_cluster_prefix_stdout_at_debug_and_stderr_at_info() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("echo 192.168.49.2; echo '! a warning' >&2; printf 'last line'");
        try (LogCapture logs = new LogCapture()) {
            // when
            runner.run(Command.of(Tool.MINIKUBE, "ip", "-p", "mcmesh-east").forCluster("mcmesh-east"));
            // then
            assertThat(logs.lines()).contains(
                    "DEBUG [mcmesh-east] $ minikube ip -p mcmesh-east",
                    "DEBUG [mcmesh-east] 192.168.49.2",
                    "INFO [mcmesh-east] ! a warning",
                    "DEBUG [mcmesh-east] last line");
            assertThat(logs.lines().get(logs.lines().size() - 1))
                    .matches("DEBUG \\[mcmesh-east\\] minikube ip -p mcmesh-east exited 0 after \\d+\\.\\d s");
        }
    }

    @Test
    void logs_stderr_of_a_command_allowed_to_fail_at_debug_and_commands_without_cluster_as_mesh() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("echo 'Profile \"east\" not found' >&2; exit 85");
        try (LogCapture logs = new LogCapture()) {
            // when
            runner.runAllowingFailure(Command.of(Tool.MINIKUBE, "profile", "list"));
            // then
            assertThat(logs.lines()).contains("DEBUG [mesh] Profile \"east\" not found");
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("DEBUG [mesh] minikube profile list exited 85 after"));
            assertThat(logs.lines()).noneMatch(line -> line.startsWith("INFO"));
        }
    }

    @Test
    void never_logs_stdout_of_a_sensitive_command_but_returns_it() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("echo 'token: not-registered-but-secret'; echo 'creating secret' >&2");
        try (LogCapture logs = new LogCapture()) {
            // when
            CommandResult result = runner.run(Command.of(Tool.MINIKUBE, "create-remote-secret").withSensitiveOutput());
            // then
            assertThat(result.stdout()).isEqualTo("token: not-registered-but-secret\n");
            assertThat(logs.lines()).contains("INFO [mesh] creating secret");
            assertThat(logs.lines()).noneMatch(line -> line.contains("not-registered-but-secret"));
        }
    }

    @Test
    void never_puts_stdout_of_a_sensitive_command_into_its_failure() {
        // given
        ProcessCommandRunner runner = runnerWithMinikube("echo 'token: not-registered-but-secret'; exit 1");
        // when
        CommandFailedException error = catchThrowableOfType(CommandFailedException.class,
                () -> runner.run(Command.of(Tool.MINIKUBE, "create-remote-secret").withSensitiveOutput()));
        // then
        assertThat(error).hasMessageContaining("it wrote nothing to stderr").hasMessageNotContaining("not-registered-but-secret");
        assertThat(error.outputTail()).isEmpty();
    }

    @Test
    void masks_registered_secrets_in_logged_lines_command_lines_and_failures() {
        // given
        redactor.add(TOKEN);
        ProcessCommandRunner runner = runnerWithMinikube("echo \"stdout $1\"; echo \"stderr $1\" >&2; exit 2");
        try (LogCapture logs = new LogCapture()) {
            // when
            CommandFailedException error = catchThrowableOfType(CommandFailedException.class,
                    () -> runner.run(Command.of(Tool.MINIKUBE, "--token=" + TOKEN).forCluster("east")));
            // then
            assertThat(logs.lines()).contains("DEBUG [east] $ minikube --token=***", "DEBUG [east] stdout --token=***",
                    "INFO [east] stderr --token=***");
            assertThat(logs.lines()).noneMatch(line -> line.contains(TOKEN));
            assertThat(error).hasMessageContainingAll("minikube --token=***", "stderr --token=***").hasMessageNotContaining(TOKEN);
            assertThat(error.commandLine()).doesNotContain(TOKEN);
            assertThat(error.outputTail()).noneMatch(line -> line.contains(TOKEN));
        }
    }

    @Test
    void the_child_gets_the_given_environment_only_with_the_tool_directories_first_on_path() throws IOException {
        // given
        assumeThat(System.getenv("HOME")).as("a variable of the JVM's environment").isNotNull();
        Path tools = Files.createDirectory(temp.resolve("tools"));
        script(tools, "helm", "echo \"PATH=$PATH\"; echo \"NO_PROXY=$NO_PROXY\"; echo \"HOME=${HOME-unset}\"; echo \"EXTRA=$EXTRA\"");
        Map<String, String> environment = Map.of("PATH", "/usr/bin:/bin", "NO_PROXY", "192.168.49.0/24,10.96.0.0/12");
        ProcessCommandRunner runner = new ProcessCommandRunner(
                new Tools(ToolPaths.onPath().withSearchPath(tools.toString())), environment, redactor, Duration.ofSeconds(10));
        // when
        CommandResult result = runner.run(Command.of(Tool.HELM, "env").withEnvironment(Map.of("EXTRA", "per-command")));
        // then
        assertThat(result.stdout().lines()).containsExactly(
                "PATH=" + tools + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/bin",
                "NO_PROXY=192.168.49.0/24,10.96.0.0/12",
                "HOME=unset",
                "EXTRA=per-command");
    }

    @Test
    void a_missing_tool_fails_before_anything_runs() {
        // given
        ProcessCommandRunner runner = new ProcessCommandRunner(
                new Tools(ToolPaths.onPath().withSearchPath(temp.toString())), ENVIRONMENT, redactor, Duration.ofSeconds(10));
        // when / then
        assertThatThrownBy(() -> runner.run(Command.of(Tool.ISTIOCTL, "version")))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("istioctl was not found");
    }
}
