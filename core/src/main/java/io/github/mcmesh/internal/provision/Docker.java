package io.github.mcmesh.internal.provision;

import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.ToolJson;
import io.github.mcmesh.spec.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

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

    /** The default bridge, whose MTU minikube copies (network_create.go {@code dockerDefaultBridge}). */
    private static final String DEFAULT_BRIDGE = "bridge";
    static final String MTU_OPTION = "com.docker.network.driver.mtu";
    /** minikube's labels (pkg/drivers/kic/oci/types.go {@code CreatedByLabelKey}, {@code ProfileLabelKey}). */
    static final String CREATED_BY_LABEL = "created_by.minikube.sigs.k8s.io";
    static final String NAME_LABEL = "name.minikube.sigs.k8s.io";

    private final CommandRunner runner;
    private final Duration timeout;

    public Docker(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * What {@code docker network inspect} reports of a network's first IPAM config.
     *
     * @param subnet the subnet
     * @param gateway the gateway, empty when inspect reports none: Docker Engine up to 28.x leaves it
     *        out for a network created with {@code --subnet} alone (moby v28.5.2
     *        {@code daemon/network.go buildIPAMResources} copies only the configured gateway; from
     *        docker-v29.0.0 it fills in the one IPAM allocated)
     */
    public record Network(Cidr subnet, Optional<String> gateway) {
    }

    /**
     * {@code docker network inspect <name>}: the network's first IPAM subnet, or empty when there
     * is no such network (docker prints {@code []} and exits 1).
     */
    public Optional<Cidr> networkSubnet(String name) {
        return network(name).map(Network::subnet);
    }

    /** {@code docker network inspect <name>}: subnet and gateway, or empty when there is no such network. */
    public Optional<Network> network(String name) {
        return inspect(name).flatMap(network -> {
            JsonNode config = network.path("IPAM").path("Config").path(0);
            JsonNode subnet = config.path("Subnet");
            if (subnet.isMissingNode() || subnet.asString().isEmpty()) {
                return Optional.empty();
            }
            String gateway = config.path("Gateway").asString("");
            return Optional.of(new Network(Cidr.parse(subnet.asString()),
                    gateway.isEmpty() ? Optional.empty() : Optional.of(gateway)));
        });
    }

    /**
     * The MTU of Docker's default bridge network ({@code com.docker.network.driver.mtu} in its
     * options; moby {@code daemon/daemon_unix.go} sets it from the daemon's {@code mtu}), or empty
     * when it cannot be read: minikube then creates its network without the option, after a warning.
     */
    public Optional<Integer> defaultBridgeMtu() {
        try {
            return inspect(DEFAULT_BRIDGE).map(bridge -> bridge.path("Options").path(MTU_OPTION).asString(""))
                    .filter(mtu -> mtu.matches("[1-9]\\d*")).map(Integer::valueOf);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<JsonNode> inspect(String name) {
        CommandResult result = runner.runAllowingFailure(command("network", "inspect", name));
        if (result.exitCode() != 0) {
            if (result.stderr().contains("not found") || result.stderr().contains("No such network")) {
                return Optional.empty();
            }
            runner.run(command("network", "inspect", name)); // fails with the command line, exit code and stderr
        }
        try {
            JsonNode network = ToolJson.tree(result.stdout()).path(0);
            return network.isMissingNode() ? Optional.empty() : Optional.of(network);
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

    /** {@link #createNetwork(String, Cidr, Map)} with minikube's labels only. */
    public void createNetwork(String name, Cidr subnet) {
        createNetwork(name, subnet, Map.of());
    }

    /**
     * Creates the network as minikube does for its own (kubernetes/minikube v1.37.0-v1.38.1
     * {@code pkg/drivers/kic/oci/network_create.go tryCreateDockerNetwork}): {@code --driver=bridge
     * --subnet=<subnet> --gateway=<subnet .1> -o --ip-masq -o --icc}, the default bridge's MTU
     * ({@code -o com.docker.network.driver.mtu=<mtu>}, left out when it cannot be read, as minikube
     * does), and minikube's labels. The gateway is what matters: minikube reads it back from
     * {@code docker network inspect}, and without one it passes neither {@code --network} nor
     * {@code --ip} to {@code docker run} (kic.go), so the node would land on the default bridge
     * without its static IP; Docker up to 28.x reports no gateway unless it was given here.
     *
     * @param extraLabels labels after minikube's, in order
     */
    public void createNetwork(String name, Cidr subnet, Map<String, String> extraLabels) {
        createNetwork(name, subnet, extraLabels, defaultBridgeMtu());
    }

    /** {@link #createNetwork(String, Cidr, Map)} with the default bridge's MTU as {@link #defaultBridgeMtu()} read it before. */
    public void createNetwork(String name, Cidr subnet, Map<String, String> extraLabels, Optional<Integer> bridgeMtu) {
        List<String> args = new ArrayList<>(List.of("network", "create", "--driver=bridge", "--subnet=" + subnet.network(),
                "--gateway=" + gateway(subnet), "-o", "--ip-masq", "-o", "--icc"));
        bridgeMtu.ifPresent(mtu -> args.addAll(List.of("-o", MTU_OPTION + "=" + mtu)));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CREATED_BY_LABEL, "true");
        labels.put(NAME_LABEL, name);
        labels.putAll(extraLabels);
        labels.forEach((key, value) -> args.add("--label=" + key + "=" + value));
        args.add(name);
        runner.run(command(args.toArray(String[]::new)));
    }

    /** The gateway minikube gives a network it creates: the subnet's first address (pkg/network {@code FreeSubnet}). */
    public static String gateway(Cidr subnet) {
        return Cidr.formatAddress(subnet.networkAddress() + 1);
    }

    /**
     * {@code docker exec <container> ip route show}: a node container's routing table, one route a
     * line. Cheaper than {@code minikube ssh} (no minikube process, no SSH session, no PTY).
     */
    public List<String> routingTable(String container) {
        return runner.run(command("exec", container, "ip", "route", "show")).stdout().lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    /**
     * {@code docker exec <container> ip route replace <cidr> via <gateway>} in a minikube node
     * container: the kic driver creates it {@code --privileged} and the kicbase image's last
     * {@code USER} is root (minikube v1.37.0 to v1.38.1 {@code pkg/drivers/kic/oci/oci.go},
     * {@code deploy/kicbase/Dockerfile}), so the route needs no sudo, and one exec costs what a
     * process start in the container costs, not {@code minikube ssh}'s profile load and SSH session.
     */
    public void replaceRoute(String container, Cidr destination, String gateway) {
        runner.run(command("exec", container, "ip", "route", "replace", destination.toString(), "via", gateway));
    }

    /**
     * {@code docker network inspect <name>}: the network's labels ({@code Labels}, an object of
     * strings; {@code {}} when it has none), or empty when there is no such network.
     */
    public Optional<Map<String, String>> networkLabels(String name) {
        return inspect(name).map(network -> {
            Map<String, String> labels = new LinkedHashMap<>();
            network.path("Labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asString()));
            return labels;
        });
    }

    /**
     * {@code docker image inspect --format {{.Id}} <reference>}: the image's id in this machine's
     * daemon ({@code sha256:<hex>}), or empty when the daemon has no such image (exit 1, "No such
     * image", moby {@code ErrImageDoesNotExist}). Any other failure throws with the command line.
     */
    Optional<String> imageId(String reference) {
        CommandResult result = runner.runAllowingFailure(command("image", "inspect", "--format", "{{.Id}}", reference));
        if (result.exitCode() != 0) {
            if (result.stderr().contains("No such image")) {
                return Optional.empty();
            }
            runner.run(command("image", "inspect", "--format", "{{.Id}}", reference)); // fails with the command line, exit code and stderr
        }
        String id = result.stdout().strip();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /**
     * {@code docker pull --quiet <reference>} into this machine's daemon ({@code -q, --quiet} and one
     * argument, {@code cli.ExactArgs(1)}, in docker/cli v28.5.2 and v29.0.0 cli/command/image/pull.go).
     *
     * @throws io.github.mcmesh.internal.exec.CommandFailedException when the daemon cannot pull it
     *     (offline, no such tag), with the command line, exit code and the tail of stderr
     */
    void pull(String reference, Duration pullTimeout) {
        runner.run(Command.of(Tool.DOCKER, "pull", "--quiet", reference).withTimeout(pullTimeout));
    }

    /** {@code docker network rm <name>}. */
    public void removeNetwork(String name) {
        runner.run(command("network", "rm", name));
    }

    private Command command(String... arguments) {
        return Command.of(Tool.DOCKER, arguments).withTimeout(timeout);
    }
}
