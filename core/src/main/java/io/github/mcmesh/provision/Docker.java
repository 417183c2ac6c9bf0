package io.github.mcmesh.provision;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.github.mcmesh.exec.Command;
import io.github.mcmesh.exec.CommandResult;
import io.github.mcmesh.exec.CommandRunner;
import io.github.mcmesh.exec.Tool;
import io.github.mcmesh.spec.Cidr;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code docker} commands mcmesh runs: whether the engine answers, and the {@code docker network}
 * commands that give every node one shared network (docker/cli {@code cli/command/network/create.go},
 * {@code inspect.go}, {@code remove.go}).
 *
 * <pre>{@code
 * Docker docker = new Docker(runner, Duration.ofMinutes(2));
 * if (docker.networkSubnet("mcmesh").isEmpty()) {
 *     docker.createNetwork("mcmesh", Cidr.parse("192.168.200.0/24"));
 * }
 * }</pre>
 */
public final class Docker {

    private static final JsonMapper JSON = new JsonMapper();

    private final CommandRunner runner;
    private final Duration timeout;

    public Docker(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * {@code docker network inspect <name>}: the network's first IPAM subnet, or empty when there
     * is no such network (docker prints {@code []} and exits 1).
     */
    public Optional<Cidr> networkSubnet(String name) {
        CommandResult result = runner.runAllowingFailure(command("network", "inspect", name));
        if (result.exitCode() != 0) {
            if (result.stderr().contains("not found") || result.stderr().contains("No such network")) {
                return Optional.empty();
            }
            runner.run(command("network", "inspect", name)); // fails with the command line, exit code and stderr
        }
        try {
            JsonNode subnet = JSON.readTree(result.stdout()).path(0).path("IPAM").path("Config").path(0).path("Subnet");
            return subnet.isMissingNode() ? Optional.empty() : Optional.of(Cidr.parse(subnet.asString()));
        } catch (JacksonException e) {
            throw new IllegalStateException("'docker network inspect " + name + "' printed no JSON", e);
        }
    }

    /**
     * Why the Docker engine cannot be used, or empty when it answers: {@code docker version
     * --format {{.Server.Version}}} exits 1 with "Cannot connect to the Docker daemon ..." when
     * only the client is installed or the daemon is down.
     */
    public Optional<String> engineProblem() {
        CommandResult result = runner.runAllowingFailure(command("version", "--format", "{{.Server.Version}}"));
        if (result.exitCode() == 0 && !result.stdout().isBlank()) {
            return Optional.empty();
        }
        String said = (result.stderr() + " " + result.stdout()).strip();
        return Optional.of(said.isEmpty() ? "docker version exited " + result.exitCode() : said);
    }

    /** {@code docker network create --driver=bridge --subnet=<subnet> <name>}. */
    public void createNetwork(String name, Cidr subnet) {
        runner.run(command("network", "create", "--driver=bridge", "--subnet=" + subnet, name));
    }

    /**
     * {@code docker network create --driver=bridge --subnet=<subnet> --label=<label> <name>}: the
     * label ({@code key=value}) stays on the network and {@code docker network inspect} shows it
     * under {@code Labels}, e.g. mcmesh's creation id.
     */
    public void createNetwork(String name, Cidr subnet, String label) {
        runner.run(command("network", "create", "--driver=bridge", "--subnet=" + subnet, "--label=" + label, name));
    }

    /**
     * {@code docker network inspect <name>}: the network's labels ({@code Labels}, an object of
     * strings; {@code {}} when it has none), or empty when there is no such network.
     */
    public Optional<Map<String, String>> networkLabels(String name) {
        CommandResult result = runner.runAllowingFailure(command("network", "inspect", name));
        if (result.exitCode() != 0) {
            if (result.stderr().contains("not found") || result.stderr().contains("No such network")) {
                return Optional.empty();
            }
            runner.run(command("network", "inspect", name)); // fails with the command line, exit code and stderr
        }
        try {
            Map<String, String> labels = new LinkedHashMap<>();
            JSON.readTree(result.stdout()).path(0).path("Labels").properties()
                    .forEach(label -> labels.put(label.getKey(), label.getValue().asString()));
            return Optional.of(labels);
        } catch (JacksonException e) {
            throw new IllegalStateException("'docker network inspect " + name + "' printed no JSON", e);
        }
    }

    /** {@code docker network rm <name>}. */
    public void removeNetwork(String name) {
        runner.run(command("network", "rm", name));
    }

    private Command command(String... arguments) {
        return Command.of(Tool.DOCKER, arguments).withTimeout(timeout);
    }
}
