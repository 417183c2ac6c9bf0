package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.ToolVersions;
import io.github.mcmesh.spec.InvalidMeshSpecException;
import io.github.mcmesh.spec.Version;
import io.github.mcmesh.testing.FakeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helm command lines per Helm major version, the mesh kubeconfig, the chart version check and helm's output. */
class HelmTest {

    private static final String REPO = "https://istio-release.storage.googleapis.com/charts";
    private static final Version ISTIO = Version.parse("1.30.3");

    @TempDir
    Path temp;

    private FakeTools fakes;

    @BeforeEach
    void install_fakes() {
        fakes = FakeTools.install(temp.resolve("tools"));
    }

    @Test
    void finds_a_release_with_list_all_on_helm_3_and_with_plain_list_on_helm_4() {
        for (String helmVersion : List.of("v3.19.5", "v4.1.4")) {
            // given
            fakes.steer("helm-version", helmVersion);
            Helm helm = helm(Optional.empty());
            helm.upgradeInstall("aa", "istiod", ChartSource.ISTIOD, ISTIO, HelmValues.empty());
            int before = fakes.invocationsOf("helm").size();
            // when
            Optional<Helm.HelmRelease> release = helm.release("aa", "istiod");
            helm.uninstall("aa", "istiod");
            // then
            assertThat(release).as(helmVersion).map(Helm.HelmRelease::chart).contains("istiod-1.30.3");
            String list = helmVersion.startsWith("v3") ? "helm list --all -n istio-system --kube-context aa -o json"
                    : "helm list -n istio-system --kube-context aa -o json";
            assertThat(fakes.invocationsOf("helm").subList(before, fakes.invocationsOf("helm").size())).as(helmVersion)
                    .containsExactly(list, list, "helm uninstall istiod -n istio-system --kube-context aa --timeout 600s");
        }
    }

    @Test
    void the_fake_helm_4_rejects_list_all_and_the_fake_helm_3_rejects_server_side_as_the_real_ones_do() {
        // given
        fakes.steer("helm-version", "v4.1.4");
        // when
        CommandResult list = fakes.runner().runAllowingFailure(Command.of(io.github.mcmesh.internal.exec.Tool.HELM, "list", "--all",
                "-n", "istio-system", "-o", "json"));
        fakes.steer("helm-version", "v3.19.5");
        CommandResult upgrade = fakes.runner().runAllowingFailure(Command.of(io.github.mcmesh.internal.exec.Tool.HELM, "upgrade",
                "--install", "istiod", "istiod", "--repo", REPO, "--server-side=false"));
        // then
        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.stderr()).isEqualTo("Error: unknown flag: --all\n");
        assertThat(upgrade.exitCode()).isEqualTo(1);
        assertThat(upgrade.stderr()).isEqualTo("Error: unknown flag: --server-side\n");
    }

    @Test
    void the_fake_gateway_chart_rejects_root_keys_its_schema_does_not_allow_as_helm_does() {
        // given: networkGatewayPorts is in the 1.30.3 schema only; foo in none
        CommandResult old = helmUpgrade("1.18.2", "networkGateway=n1,networkGatewayPorts.tls.port=15443");
        CommandResult unknown = helmUpgrade("1.30.3", "foo=1,networkGateway=n1,bar=2");
        CommandResult accepted = helmUpgrade("1.30.3", "networkGateway=n1,networkGatewayPorts.tls.port=15443,service.type=ClusterIP");
        CommandResult upgradeUnknown = helmUpgrade("1.30.3", "foo=1");
        // then
        assertThat(old.exitCode()).isEqualTo(1);
        assertThat(old.stderr()).isEqualTo("Error: values don't meet the specifications of the schema(s) in the following"
                + " chart(s):\ngateway:\n- at '': additional property 'networkGatewayPorts' not allowed\n");
        assertThat(unknown.stderr()).isEqualTo("Error: values don't meet the specifications of the schema(s) in the following"
                + " chart(s):\ngateway:\n- at '': additional properties 'bar', 'foo' not allowed\n");
        assertThat(accepted.exitCode()).isZero();
        // the release exists now, so helm upgrades and says so
        assertThat(upgradeUnknown.stderr()).startsWith("Error: UPGRADE FAILED: values don't meet the specifications");
    }

    @Test
    void the_fake_helm_keeps_a_set_json_list_as_a_list_and_rejects_what_is_not_json() {
        // given
        fakes.runner().run(Command.of(io.github.mcmesh.internal.exec.Tool.HELM, "upgrade", "--install", "gw", "gateway",
                "--repo", REPO, "-n", "istio-system", "--kube-context", "aa", "--set-json", "service.externalIPs=[\"10.0.0.1\",\"10.0.0.2\"]"));
        CommandResult bad = fakes.runner().runAllowingFailure(Command.of(io.github.mcmesh.internal.exec.Tool.HELM, "upgrade",
                "--install", "gw", "gateway", "--repo", REPO, "--set-json", "service.externalIPs=[10.0.0.1"));
        // then
        assertThat(helm(Optional.empty()).userValues("aa", "gw")).isEqualTo(Map.of("service",
                Map.of("externalIPs", List.of("10.0.0.1", "10.0.0.2"))));
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).isEqualTo("Error: failed parsing --set-json data service.externalIPs=[10.0.0.1\n");
    }

    private CommandResult helmUpgrade(String version, String values) {
        return fakes.runner().runAllowingFailure(Command.of(io.github.mcmesh.internal.exec.Tool.HELM, "upgrade", "--install",
                "istio-eastwestgateway", "gateway", "--repo", REPO, "--version", version, "-n", "istio-system",
                "--kube-context", "aa", "--set", values));
    }

    @Test
    void upgrades_client_side_on_helm_4_and_without_the_flag_on_helm_3() {
        for (String helmVersion : List.of("v3.19.5", "v4.1.4")) {
            // given
            fakes.steer("helm-version", helmVersion);
            // when
            helm(Optional.empty()).upgradeInstall("aa", "istio-base", ChartSource.BASE, Version.parse("1.18.2"), HelmValues.empty());
            // then
            String upgrade = fakes.invocationsOf("helm").stream().filter(line -> line.startsWith("helm upgrade")).reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(upgrade).as(helmVersion).isEqualTo("helm upgrade --install istio-base base --repo " + REPO
                    + " --version 1.18.2 -n istio-system --create-namespace --kube-context aa --wait --timeout 600s"
                    + (helmVersion.startsWith("v4") ? " --server-side=false" : ""));
        }
    }

    @Test
    void passes_the_mesh_kubeconfig_to_every_helm_command_that_names_a_context() throws Exception {
        // given the user's kubeconfig (HOME of the runner) lacks the mesh's contexts, which live in another file
        Files.createDirectories(temp.resolve("tools/.kube"));
        Files.writeString(temp.resolve("tools/.kube/config"), kubeconfigWith("someone-elses"));
        Path meshKubeconfig = Files.writeString(temp.resolve("mesh-kubeconfig"), kubeconfigWith("aa"));
        Helm helm = helm(Optional.of(meshKubeconfig));
        // when
        helm.upgradeInstall("aa", "istiod", ChartSource.ISTIOD, ISTIO, HelmValues.empty().set("global.meshID", "mesh1"));
        Optional<Helm.HelmRelease> release = helm.release("aa", "istiod");
        Object values = helm.userValues("aa", "istiod");
        helm.uninstall("aa", "istiod");
        // then
        assertThat(release).isPresent();
        assertThat(values).isEqualTo(java.util.Map.of("global", java.util.Map.of("meshID", "mesh1")));
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.contains("--kube-context"))
                .hasSize(5).allMatch(line -> line.contains("--kube-context aa --kubeconfig " + meshKubeconfig + " "));

        // and without it, helm looks in the user's kubeconfig, as the real one does
        Throwable failure = catchThrowable(() -> helm(Optional.empty()).release("aa", "istiod"));
        assertThat(failure).hasMessageContaining("Error: kubernetes cluster unreachable: context \"aa\" does not exist");
    }

    @Test
    void rejects_an_istio_version_the_chart_repository_does_not_have_naming_the_property_and_the_fix() {
        // given
        Helm helm = helm(Optional.empty());
        // when
        Throwable failure = catchThrowable(() -> helm.requireChartVersion(ChartSource.BASE, Version.parse("1.99.0")));
        // then
        assertThat(failure).isInstanceOf(InvalidMeshSpecException.class).hasMessage("Invalid mesh specification:"
                + " mcmesh.istio.version = '1.99.0': the chart repository " + REPO + " has no chart base at version 1.99.0"
                + " (helm show chart base --repo " + REPO + " --version 1.99.0: Error: chart \"base\" version \"1.99.0\""
                + " not found in " + REPO + " repository); set mcmesh.istio.version (or @MultiClusterMesh(istioVersion))"
                + " to a released Istio version the charts exist for, e.g. 1.30.3, or point mcmesh.istio.charts at charts"
                + " that have 1.99.0");
        assertThat(catchThrowable(() -> helm.requireChartVersion(ChartSource.ISTIOD, ISTIO))).isNull();
    }

    @Test
    void rejects_an_istio_version_an_oci_registry_does_not_have() {
        // given
        Helm helm = new Helm(fakes.runner(), ChartSource.repository("oci://registry.example.com/istio"), Duration.ofMinutes(10));
        // when
        Throwable failure = catchThrowable(() -> helm.requireChartVersion(ChartSource.ISTIOD, Version.parse("1.99.0")));
        // then
        assertThat(failure).isInstanceOf(InvalidMeshSpecException.class).hasMessageContaining(
                "mcmesh.istio.version = '1.99.0': the OCI registry oci://registry.example.com/istio has no chart istiod at"
                        + " version 1.99.0 (helm show chart oci://registry.example.com/istio/istiod --version 1.99.0:"
                        + " Error: registry.example.com/istio/istiod:1.99.0: not found)");
    }

    @Test
    void goes_on_when_the_chart_source_cannot_be_read_at_all() {
        // given helm cannot reach the repository (offline): that proves nothing about the version
        fakes.steer("fail-helm-show", "1\nError: looks like \"" + REPO + "\" is not a valid chart repository or cannot be reached");
        // when
        Throwable failure = catchThrowable(() -> helm(Optional.empty()).requireChartVersion(ChartSource.BASE, ISTIO));
        // then
        assertThat(failure).isNull();
    }

    @Test
    void checks_a_local_chart_by_its_chart_yaml_version_and_accepts_a_source_checkout() throws Exception {
        // given an unpacked Istio 1.18.2 and a source checkout (1.0.0)
        Path release = charts(temp.resolve("istio-1.18.2"), "1.18.2");
        Path checkout = charts(temp.resolve("istio-source"), "1.0.0");
        // when
        Throwable mismatch = catchThrowable(() -> new Helm(fakes.runner(), ChartSource.unpackedRelease(release),
                Duration.ofMinutes(10)).requireChartVersion(ChartSource.ISTIOD, ISTIO));
        Throwable fromCheckout = catchThrowable(() -> new Helm(fakes.runner(), ChartSource.unpackedRelease(checkout),
                Duration.ofMinutes(10)).requireChartVersion(ChartSource.ISTIOD, ISTIO));
        // then
        assertThat(mismatch).isInstanceOf(InvalidMeshSpecException.class).hasMessage("Invalid mesh specification:"
                + " mcmesh.istio.version = '1.30.3': the chart istiod in " + release.resolve("manifests/charts/istio-control/istio-discovery")
                + " is version 1.18.2 (its Chart.yaml); set mcmesh.istio.version (or @MultiClusterMesh(istioVersion)) to 1.18.2,"
                + " or point mcmesh.istio.charts at the charts of Istio 1.30.3");
        assertThat(fromCheckout).isNull();
        assertThat(fakes.invocationsOf("helm")).isEmpty();
    }

    @Test
    void fails_with_the_command_line_and_what_was_expected_when_helm_prints_nothing_or_no_json() {
        // given a helm that answers 0 with nothing, then with text
        String[] answers = {"", "WARNING: Kubernetes configuration file is group-readable\n"};
        for (String answer : answers) {
            CommandRunner runner = runnerAnswering(answer);
            Helm helm = new Helm(runner, ChartSource.istioRepository(), Duration.ofMinutes(10), new ToolVersions(runner),
                    Optional.empty());
            // when
            Throwable list = catchThrowable(() -> helm.release("aa", "istiod"));
            Throwable values = catchThrowable(() -> helm.userValues("aa", "istiod"));
            // then
            assertThat(list).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("helm printed " + (answer.isEmpty() ? "nothing on stdout" : "something that is not JSON"))
                    .hasMessageContaining("expected a JSON array of releases ([] when there are none):\n"
                            + "  helm list --all -n istio-system --kube-context aa -o json\nstderr: ");
            assertThat(values).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expected the release's values as JSON (null when none were given):\n"
                            + "  helm get values istiod -n istio-system --kube-context aa -o json");
        }
        assertThat(catchThrowable(() -> new Helm(runnerAnswering("{\"a\":1}"), ChartSource.istioRepository(),
                Duration.ofMinutes(10), new ToolVersions(runnerAnswering("v3.19.5")), Optional.empty()).release("aa", "x")))
                .hasMessageStartingWith("helm printed something that is not JSON").hasMessageContaining(": {\"a\":1}");
    }

    private Helm helm(Optional<Path> kubeconfig) {
        return new Helm(fakes.runner(), ChartSource.istioRepository(), Duration.ofMinutes(10), new ToolVersions(fakes.runner()),
                kubeconfig);
    }

    /** A runner whose helm answers {@code version --short} as Helm 3.19.5 and everything else with exit 0 and this stdout. */
    private static CommandRunner runnerAnswering(String stdout) {
        return new CommandRunner() {
            @Override
            public CommandResult run(Command command) {
                boolean version = command.arguments().equals(List.of("version", "--short"));
                return new CommandResult(command, 0, version ? "v3.19.5+g4a19a5b\n" : stdout, "", Duration.ZERO);
            }

            @Override
            public CommandResult runAllowingFailure(Command command) {
                return run(command);
            }

            @Override
            public Redactor secrets() {
                return new Redactor(); // answers without logging: nothing to mask
            }
        };
    }

    private static String kubeconfigWith(String context) {
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: " + context + "\n  cluster:\n    server: https://127.0.0.1:1\n"
                + "contexts:\n- name: " + context + "\n  context:\n    cluster: " + context + "\n    user: " + context
                + "\ncurrent-context: " + context + "\nusers:\n- name: " + context + "\n  user:\n    token: t\n";
    }

    static Path charts(Path release, String version) throws Exception {
        Path charts = release.resolve("manifests/charts");
        Files.createDirectories(charts.resolve("base"));
        Files.writeString(charts.resolve("base/Chart.yaml"), "apiVersion: v2\nname: base\nversion: " + version
                + "\nappVersion: " + version + "\n");
        Files.createDirectories(charts.resolve("istio-control/istio-discovery"));
        Files.writeString(charts.resolve("istio-control/istio-discovery/Chart.yaml"), "apiVersion: v2\nname: istiod\nversion: "
                + version + "\nappVersion: " + version + "\n");
        return release;
    }
}
