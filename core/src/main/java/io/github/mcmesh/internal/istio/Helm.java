package io.github.mcmesh.internal.istio;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.ToolJson;
import io.github.mcmesh.internal.exec.ToolVersions;
import io.github.mcmesh.spec.InvalidMeshSpecException;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.Version;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code helm} commands mcmesh needs, one cluster (kube context) at a time, always in one
 * namespace: idempotent {@code upgrade --install} with a bare {@code --wait} (Helm 3 and 4),
 * {@code list -o json}, {@code get values -o json}, {@code uninstall}, and
 * {@code show chart} to check that a chart version exists before anything is installed. Every
 * command that talks to a cluster gets {@code --kube-context} and, when the mesh names one,
 * {@code --kubeconfig}: Helm resolves the context inside the kubeconfig it loads, not the one
 * mcmesh connects with.
 *
 * <pre>{@code
 * Helm helm = new Helm(runner, ChartSource.istioRepository(), Duration.ofMinutes(10));
 * helm.upgradeInstall("mcmesh-east", "istiod", ChartSource.ISTIOD, Version.parse("1.30.3"),
 *     HelmValues.empty().set("global.meshID", "mesh1"));
 * helm.release("mcmesh-east", "istiod").map(HelmRelease::chart); // Optional[istiod-1.30.3]
 * }</pre>
 */
public final class Helm {

    /** The namespace Istio's control plane lives in. */
    public static final String NAMESPACE = Istiod.NAMESPACE;
    private static final Version HELM_4 = Version.parse("4.0.0");
    private static final Duration SHOW_CHART_TIMEOUT = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(Helm.class);

    private final CommandRunner runner;
    private final ChartSource charts;
    private final Duration timeout;
    private final ToolVersions versions;
    private final Optional<Path> kubeconfig;

    /**
     * Helm with the kubeconfig it finds itself ({@code KUBECONFIG}, else {@code ~/.kube/config}).
     *
     * @param timeout the {@code --timeout} of one install, and how long the command itself may run
     */
    public Helm(CommandRunner runner, ChartSource charts, Duration timeout) {
        this(runner, charts, timeout, new ToolVersions(runner), Optional.empty());
    }

    /**
     * @param timeout the {@code --timeout} of one install, and how long the command itself may run
     * @param versions where the Helm major version comes from (its command lines differ, see below)
     * @param kubeconfig the kubeconfig holding the clusters' contexts ({@code mcmesh.kubeconfig}), passed as
     *        {@code --kubeconfig}; empty: Helm's own lookup
     */
    public Helm(CommandRunner runner, ChartSource charts, Duration timeout, ToolVersions versions,
            Optional<Path> kubeconfig) {
        this.runner = runner;
        this.charts = charts;
        this.timeout = timeout;
        this.versions = versions;
        this.kubeconfig = kubeconfig;
    }

    /**
     * {@code helm upgrade --install <release> <chart> ... -n istio-system --create-namespace
     * --kube-context <cluster> [--kubeconfig <file>] --wait --timeout <d> [--server-side=false] [values]}.
     */
    public void upgradeInstall(String cluster, String release, String chart, Version istio, HelmValues values) {
        List<String> arguments = new ArrayList<>(List.of("upgrade", "--install", release));
        arguments.addAll(charts.chartArguments(chart, istio));
        arguments.addAll(List.of("-n", NAMESPACE, "--create-namespace"));
        arguments.addAll(clusterArguments(cluster));
        arguments.addAll(List.of("--wait", "--timeout", goDuration(timeout)));
        if (isHelm4()) {
            // Helm 4 defaults to --server-side=auto: server-side apply for releases Helm 4 installed
            // (pkg/cmd/upgrade.go; on --install the new release gets ServerSideApply = value != "false").
            // istiod rewrites the failurePolicy of Istio 1.18's validating webhooks at run time, so a
            // server-side upgrade of those charts conflicts with istiod's field manager
            // (istio/istio#59367, fixed in the 1.30 charts). Client-side apply, as Helm 3 does it, has
            // no field ownership to conflict on. Helm 3 has no such flag: "unknown flag: --server-side".
            arguments.add("--server-side=false");
        }
        arguments.addAll(values.arguments());
        // The process gets a minute on top of Helm's own timeout, so Helm reports its timeout itself.
        runner.run(Command.of(Tool.HELM, arguments).forCluster(cluster).withTimeout(timeout.plusMinutes(1)));
    }

    /**
     * The release with this name in {@code istio-system}, whatever its status: {@code helm list -o json}
     * listing every status, which is {@code --all} on Helm 3 and the default on Helm 4 (which has no
     * {@code --all}: "unknown flag: --all").
     *
     * <p>Why {@code list} and not {@code helm status <release> -o json}, which reads the same on both
     * majors: {@code status} strips the chart ({@code rel.Chart = nil} in cmd/helm/status.go at v3.19.5
     * and pkg/cmd/status.go at v4.1.4), so it cannot tell which chart version is deployed, and Helm 4's
     * {@code status} also fetches every resource of the release from the cluster.
     */
    public Optional<HelmRelease> release(String cluster, String release) {
        return releases(cluster).stream().filter(r -> r.name().equals(release)).findFirst();
    }

    /** Every release in {@code istio-system}, whatever its status: one {@code helm list}, as {@link #release} runs it. */
    public List<HelmRelease> releases(String cluster) {
        List<String> arguments = new ArrayList<>(List.of("list"));
        if (!isHelm4()) {
            arguments.add("--all"); // Helm 3 lists only deployed and failed releases without it
        }
        arguments.addAll(List.of("-n", NAMESPACE));
        arguments.addAll(clusterArguments(cluster));
        arguments.addAll(List.of("-o", "json"));
        CommandResult result = runner.run(Command.of(Tool.HELM, arguments).forCluster(cluster));
        return parseJson(result, "a JSON array of releases ([] when there are none)", false, true,
                new TypeReference<List<HelmRelease>>() {
                });
    }

    /** The values given at install ({@code helm get values <release> -o json}); {@code null} when none were. */
    public Object userValues(String cluster, String release) {
        List<String> arguments = new ArrayList<>(List.of("get", "values", release, "-n", NAMESPACE));
        arguments.addAll(clusterArguments(cluster));
        arguments.addAll(List.of("-o", "json"));
        CommandResult result = runner.run(Command.of(Tool.HELM, arguments).forCluster(cluster));
        // Values may hold credentials a user passed through: the output is never quoted in the error.
        return parseJson(result, "the release's values as JSON (null when none were given)", true, false,
                new TypeReference<Object>() {
                });
    }

    /** {@code helm uninstall <release>}, when the release exists. */
    public void uninstall(String cluster, String release) {
        if (release(cluster, release).isPresent()) {
            List<String> arguments = new ArrayList<>(List.of("uninstall", release, "-n", NAMESPACE));
            arguments.addAll(clusterArguments(cluster));
            arguments.addAll(List.of("--timeout", goDuration(timeout)));
            runner.run(Command.of(Tool.HELM, arguments).forCluster(cluster).withTimeout(timeout.plusMinutes(1)));
        }
    }

    /**
     * Checks that the chart exists at this Istio version where it comes from, without touching a
     * cluster: {@code helm show chart <chart> --repo <url> --version <v>} (or
     * {@code oci://.../<chart> --version <v>}); a chart directory's {@code Chart.yaml} version must be
     * the Istio version, or {@code 1.0.0} for a source checkout (which says nothing about its version).
     *
     * Any other failure of {@code helm show chart} (no network, a mirror down) is logged and not
     * fatal: it proves nothing about the version.
     *
     * @throws InvalidMeshSpecException naming {@code mcmesh.istio.version} when the version does not exist
     */
    public void requireChartVersion(String chart, Version istio) {
        Optional<Path> directory = charts.localChart(chart);
        if (directory.isPresent()) {
            ChartSource.DeployedChart local = ChartSource.readChartFile(directory.get());
            if (local.version().equals(ChartSource.SOURCE_CHECKOUT_VERSION)) {
                LOG.info("Chart {} in {} carries version {} (an Istio source checkout): cannot check it against {} {}",
                        local.name(), directory.get(), local.version(), MeshProperties.ISTIO_VERSION, istio);
            } else if (!local.version().equals(istio.toString())) {
                throw new InvalidMeshSpecException(List.of(new InvalidMeshSpecException.Problem(
                        MeshProperties.ISTIO_VERSION, istio.toString(), "the chart " + local.name() + " in " + directory.get()
                                + " is version " + local.version() + " (its Chart.yaml); set " + MeshProperties.ISTIO_VERSION
                                + " (or @MultiClusterMesh(istioVersion)) to " + local.version() + ", or point "
                                + MeshProperties.ISTIO_CHARTS + " at the charts of Istio " + istio)));
            }
            return;
        }
        List<String> arguments = new ArrayList<>(List.of("show", "chart"));
        arguments.addAll(charts.chartArguments(chart, istio));
        Command command = Command.of(Tool.HELM, arguments).withTimeout(SHOW_CHART_TIMEOUT);
        CommandResult result = runner.runAllowingFailure(command);
        if (result.exitCode() == 0) {
            return;
        }
        String answer = lastLine(result.stderr());
        if (isMissingVersion(answer, chart, istio)) {
            throw new InvalidMeshSpecException(List.of(new InvalidMeshSpecException.Problem(MeshProperties.ISTIO_VERSION,
                    istio.toString(), "the " + charts + " has no chart " + chart + " at version " + istio + " ("
                            + command.commandLine() + ": " + answer + "); set " + MeshProperties.ISTIO_VERSION
                            + " (or @MultiClusterMesh(istioVersion)) to a released Istio version the charts exist for,"
                            + " e.g. 1.30.3, or point " + MeshProperties.ISTIO_CHARTS + " at charts that have " + istio)));
        }
        // Anything else (offline, a mirror down) is not proof the version is missing, and a rerun whose
        // releases already hold needs no chart at all: the install step reports it if it needs the chart.
        LOG.warn("Could not check that chart {} {} exists ({} exited {}: {}); going on", chart, istio,
                command.commandLine(), result.exitCode(), answer);
    }

    /**
     * Helm's answers for a version the source does not have: {@code chart "base" version "1.99.0" not found
     * in <url> repository} (pkg/repo/chartrepo.go at v3.19.5, pkg/repo/v1/error.go at v4.1.4), and for an
     * OCI registry the registry's {@code <ref>:<version>: not found}.
     */
    private static boolean isMissingVersion(String answer, String chart, Version istio) {
        return answer.contains("chart \"" + chart + "\" version \"" + istio + "\" not found")
                || answer.endsWith(":" + istio + ": not found");
    }

    /** {@code --kube-context <cluster>}, then {@code --kubeconfig <file>} when the mesh names a kubeconfig. */
    private List<String> clusterArguments(String cluster) {
        List<String> arguments = new ArrayList<>(List.of("--kube-context", cluster));
        kubeconfig.ifPresent(file -> arguments.addAll(List.of("--kubeconfig", file.toString())));
        return arguments;
    }

    private boolean isHelm4() {
        return versions.helm().isAtLeast(HELM_4);
    }

    /** The JSON a helm command printed; empty, {@code null} where not allowed, or not JSON: an error with the command line. */
    private static <T> T parseJson(CommandResult result, String expected, boolean nullable, boolean quoteOutput,
            TypeReference<T> type) {
        String output = result.stdout().strip();
        String problem;
        if (output.isEmpty()) {
            problem = "printed nothing on stdout";
        } else {
            try {
                T value = ToolJson.value(output, type);
                if (value != null || nullable) {
                    return value;
                }
                problem = "printed null";
            } catch (JacksonException e) {
                problem = "printed something that is not JSON (" + e.getOriginalMessage() + ")"
                        + (quoteOutput ? ": " + abbreviate(output) : "");
            }
        }
        throw new IllegalStateException("helm " + problem + ", expected " + expected + ":\n  "
                + result.command().commandLine() + "\nstderr: " + abbreviate(result.stderr().strip()));
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** A duration as Go's {@code time.ParseDuration} reads it, e.g. {@code 600s}. */
    static String goDuration(Duration duration) {
        return duration.toSeconds() + "s";
    }

    /**
     * One line of {@code helm list -o json} (Helm's {@code releaseElement}; the revision is a string there).
     *
     * <pre>{@code
     * helm.release("mcmesh-east", "istiod").filter(r -> r.isDeployedChart("istiod", version));
     * }</pre>
     *
     * @param name the release name
     * @param namespace its namespace
     * @param revision its revision, e.g. {@code "3"}
     * @param updated when it last changed, as Go prints a time
     * @param status {@code deployed}, {@code failed}, {@code pending-install}, ...
     * @param chart chart name and version, e.g. {@code istiod-1.18.2}
     * @param appVersion the chart's app version
     */
    public record HelmRelease(String name, String namespace, String revision, String updated, String status,
            String chart, @JsonProperty("app_version") String appVersion) {

        /** Whether this release is deployed from this chart at this version. */
        public boolean isDeployedChart(String chartName, Version version) {
            return isDeployedChart(chartName, version.toString());
        }

        /** Whether this release is deployed from this chart at this chart version (e.g. {@code 1.0.0} for a source checkout). */
        public boolean isDeployedChart(String chartName, String chartVersion) {
            return "deployed".equals(status) && (chartName + "-" + chartVersion).equals(chart);
        }
    }
}
