package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where Helm takes Istio's {@code base} and {@code istiod} charts (and {@code gateway} for a mesh
 * on several networks) from: Istio's chart repository
 * at the mesh's Istio version (the default), a mirror of it ({@code --repo <url>}), an OCI
 * registry ({@code oci://host/path/<chart>}: Helm resolves {@code --repo} through an
 * {@code index.yaml}, which OCI registries do not have), or an unpacked Istio release
 * ({@code istio-1.18.2/manifests/charts/base} and {@code .../istio-control/istio-discovery}) for
 * machines without access to any of them.
 *
 * <pre>{@code
 * ChartSource charts = ChartSource.forSources(spec.sources());   // what the spec asks for
 * ChartSource local = ChartSource.unpackedRelease(Path.of("/opt/istio-1.18.2"));
 * new IstioInstaller(context, podExec, local);
 * }</pre>
 */
public abstract sealed class ChartSource {

    public static final String ISTIO_CHART_REPOSITORY = Sources.ISTIO_CHART_REPOSITORY;

    /** The chart of {@code istio-base}. */
    public static final String BASE = "base";
    /** The chart of {@code istiod}. */
    public static final String ISTIOD = "istiod";
    /**
     * The chart of the east-west gateways (meshes on several networks), published with the other
     * two (istio/release-builder {@code pkg/build/helm.go} repoHelmCharts), in
     * {@code manifests/charts/gateway} of a release.
     */
    public static final String GATEWAY = "gateway";

    private ChartSource() {
    }

    /** Istio's published chart repository. */
    public static ChartSource istioRepository() {
        return new Repository(ISTIO_CHART_REPOSITORY);
    }

    /**
     * Another chart repository with Istio's charts (a mirror): an {@code https://} repository
     * (with an {@code index.yaml}) or an {@code oci://} registry path holding {@code base} and
     * {@code istiod}, and {@code gateway} for a mesh on several networks.
     */
    public static ChartSource repository(String url) {
        return url.startsWith("oci://") ? new OciRegistry(url) : new Repository(url);
    }

    /** The charts {@link Sources#istioCharts()} names: a repository URL or a local release directory. */
    public static ChartSource forSources(Sources sources) {
        if (!SpecFacts.chartsFromRepository(sources)) {
            return unpackedRelease(Path.of(sources.istioCharts()));
        }
        return sources.istioCharts().equals(ISTIO_CHART_REPOSITORY) ? istioRepository() : repository(sources.istioCharts());
    }

    /**
     * The charts of an unpacked Istio release ({@code istioctl}'s download): the release directory
     * {@code istio-<version>} or its {@code manifests/charts} directory, as
     * {@link SpecFacts#localChartsDirectory(Path)} accepts them.
     *
     * @throws IllegalArgumentException when the directory does not hold both charts
     */
    public static ChartSource unpackedRelease(Path directory) {
        return new LocalRelease(SpecFacts.localChartsDirectory(directory).orElseThrow(() -> new IllegalArgumentException(
                "no Istio charts in " + directory + " (neither " + SpecFacts.ISTIO_CHART_PATHS + " nor manifests/charts/"
                        + SpecFacts.ISTIO_CHART_PATHS + " with a Chart.yaml); pass the directory an Istio release unpacks"
                        + " to, e.g. istio-1.18.2, or its manifests/charts directory")));
    }

    /**
     * The version a chart directory of an Istio source checkout carries: "This version is never
     * actually shipped. istio/release-builder will replace it at build-time" (istio/istio
     * manifests/charts/base/Chart.yaml at 1.18.2 and 1.30.3).
     */
    static final String SOURCE_CHECKOUT_VERSION = "1.0.0";

    /**
     * The chart arguments of {@code helm upgrade --install <release>} and {@code helm show chart}:
     * the chart, then where it comes from.
     */
    abstract List<String> chartArguments(String chart, Version istio);

    /**
     * The chart a release installed from here at this Istio version carries, as {@code helm list}
     * shows it ({@code <name>-<version>}): from a repository or registry the chart at the Istio
     * version; from a directory the name and version its {@code Chart.yaml} holds now (a source
     * checkout says {@code 1.0.0} whatever the Istio version).
     */
    abstract DeployedChart deployedChart(String chart, Version istio);

    /** The local chart directory, when the charts come from one (then there is nothing to download). */
    Optional<Path> localChart(String chart) {
        return Optional.empty();
    }

    /**
     * A chart's name and version as {@code helm list} prints them joined ({@code chart} column:
     * {@code istiod-1.18.2}: {@code formatChartName} in pkg/cmd/history.go at v4.1.4).
     */
    record DeployedChart(String name, String version) {
    }

    private static final class Repository extends ChartSource {
        private final String url;

        private Repository(String url) {
            this.url = url;
        }

        @Override
        List<String> chartArguments(String chart, Version istio) {
            return List.of(chart, "--repo", url, "--version", istio.toString());
        }

        @Override
        DeployedChart deployedChart(String chart, Version istio) {
            return new DeployedChart(chart, istio.toString());
        }

        @Override
        public String toString() {
            return "chart repository " + url;
        }
    }

    private static final class OciRegistry extends ChartSource {
        private final String url;

        private OciRegistry(String url) {
            this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        @Override
        List<String> chartArguments(String chart, Version istio) {
            return List.of(url + "/" + chart, "--version", istio.toString());
        }

        @Override
        DeployedChart deployedChart(String chart, Version istio) {
            return new DeployedChart(chart, istio.toString());
        }

        @Override
        public String toString() {
            return "OCI registry " + url;
        }
    }

    private static final class LocalRelease extends ChartSource {
        private final Path charts;

        private LocalRelease(Path charts) {
            this.charts = charts;
        }

        Path chartDirectory(String chart) {
            return chart.equals(ISTIOD) ? charts.resolve("istio-control").resolve("istio-discovery") : charts.resolve(chart);
        }

        @Override
        List<String> chartArguments(String chart, Version istio) {
            return List.of(chartDirectory(chart).toString());
        }

        @Override
        DeployedChart deployedChart(String chart, Version istio) {
            return readChartFile(chartDirectory(chart));
        }

        @Override
        Optional<Path> localChart(String chart) {
            return Optional.of(chartDirectory(chart));
        }

        @Override
        public String toString() {
            return "Istio charts in " + charts;
        }
    }

    /** The {@code name} and {@code version} of a chart directory's {@code Chart.yaml}, as Helm reads them. */
    static DeployedChart readChartFile(Path chartDirectory) {
        Path file = chartDirectory.resolve("Chart.yaml");
        Map<?, ?> chart;
        try {
            chart = Serialization.unmarshal(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        Object name = chart == null ? null : chart.get("name");
        Object version = chart == null ? null : chart.get("version");
        if (name == null || version == null) {
            throw new IllegalStateException(file + " has no name or no version; Helm needs both (a chart directory of an"
                    + " Istio release or source checkout has them)");
        }
        return new DeployedChart(String.valueOf(name), String.valueOf(version));
    }
}
