package io.github.mcmesh.provision.istio;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.mcmesh.exec.Command;
import io.github.mcmesh.exec.CommandResult;
import io.github.mcmesh.exec.CommandRunner;
import io.github.mcmesh.exec.Tool;
import io.github.mcmesh.spec.Version;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code helm} commands mcmesh needs, one cluster (kube context) at a time, always in one
 * namespace: idempotent {@code upgrade --install} with a bare {@code --wait} (Helm 3 and 4),
 * {@code list -o json}, {@code get values -o json} and {@code uninstall}.
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
    public static final String NAMESPACE = "istio-system";

    private final CommandRunner runner;
    private final ChartSource charts;
    private final Duration timeout;

    /**
     * @param timeout the {@code --timeout} of one install, and how long the command itself may run
     */
    public Helm(CommandRunner runner, ChartSource charts, Duration timeout) {
        this.runner = runner;
        this.charts = charts;
        this.timeout = timeout;
    }

    /**
     * {@code helm upgrade --install <release> <chart> ... -n istio-system --create-namespace
     * --kube-context <cluster> --wait --timeout <d> [values]}.
     */
    public void upgradeInstall(String cluster, String release, String chart, Version istio, HelmValues values) {
        List<String> arguments = new ArrayList<>(List.of("upgrade", "--install", release));
        arguments.addAll(charts.chartArguments(chart, istio));
        arguments.addAll(List.of("-n", NAMESPACE, "--create-namespace", "--kube-context", cluster, "--wait",
                "--timeout", goDuration(timeout)));
        arguments.addAll(values.arguments());
        // The process gets a minute on top of Helm's own timeout, so Helm reports its timeout itself.
        runner.run(Command.of(Tool.HELM, arguments).forCluster(cluster).withTimeout(timeout.plusMinutes(1)));
    }

    /** The release with this name in {@code istio-system}, whatever its status ({@code helm list --all -o json}). */
    public Optional<HelmRelease> release(String cluster, String release) {
        CommandResult result = runner.run(Command.of(Tool.HELM, "list", "--all", "-n", NAMESPACE, "--kube-context",
                cluster, "-o", "json").forCluster(cluster));
        List<HelmRelease> releases = Serialization.unmarshal(result.stdout(), new TypeReference<List<HelmRelease>>() {
        });
        return releases.stream().filter(r -> r.name().equals(release)).findFirst();
    }

    /** The values given at install ({@code helm get values <release> -o json}); {@code null} when none were. */
    public Object userValues(String cluster, String release) {
        CommandResult result = runner.run(Command.of(Tool.HELM, "get", "values", release, "-n", NAMESPACE,
                "--kube-context", cluster, "-o", "json").forCluster(cluster));
        return Serialization.unmarshal(result.stdout(), Object.class);
    }

    /** {@code helm uninstall <release>}, when the release exists. */
    public void uninstall(String cluster, String release) {
        if (release(cluster, release).isPresent()) {
            runner.run(Command.of(Tool.HELM, "uninstall", release, "-n", NAMESPACE, "--kube-context", cluster,
                    "--timeout", goDuration(timeout)).forCluster(cluster).withTimeout(timeout.plusMinutes(1)));
        }
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
            return "deployed".equals(status) && (chartName + "-" + version).equals(chart);
        }
    }
}
