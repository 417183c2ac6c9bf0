package io.github.mcmesh.provision.istio;

import io.github.mcmesh.spec.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where Helm takes Istio's {@code base} and {@code istiod} charts from: Istio's chart repository
 * at the mesh's Istio version (the default), or an unpacked Istio release
 * ({@code istio-1.18.2/manifests/charts/base} and {@code .../istio-control/istio-discovery}) for
 * machines without access to the repository.
 *
 * <pre>{@code
 * ChartSource charts = ChartSource.unpackedRelease(Path.of("/opt/istio-1.18.2"));
 * new IstioInstaller(context, podExec, charts);
 * }</pre>
 */
public abstract sealed class ChartSource {

    public static final String ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";

    /** The chart of {@code istio-base}. */
    public static final String BASE = "base";
    /** The chart of {@code istiod}. */
    public static final String ISTIOD = "istiod";

    private ChartSource() {
    }

    /** Istio's published chart repository. */
    public static ChartSource istioRepository() {
        return new Repository(ISTIO_CHART_REPOSITORY);
    }

    /** Another chart repository with Istio's charts (a mirror). */
    public static ChartSource repository(String url) {
        return new Repository(url);
    }

    /**
     * The charts of an unpacked Istio release ({@code istioctl}'s download, {@code istio-<version>/}).
     *
     * @throws IllegalArgumentException when the directory does not hold both charts
     */
    public static ChartSource unpackedRelease(Path releaseDirectory) {
        LocalRelease source = new LocalRelease(releaseDirectory);
        for (String chart : List.of(BASE, ISTIOD)) {
            Path chartYaml = source.chartDirectory(chart).resolve("Chart.yaml");
            if (!Files.isRegularFile(chartYaml)) {
                throw new IllegalArgumentException("Istio release directory " + releaseDirectory + " has no chart '"
                        + chart + "' (missing " + chartYaml + "); pass the directory an Istio release unpacks to,"
                        + " e.g. istio-1.18.2, which holds manifests/charts/base and"
                        + " manifests/charts/istio-control/istio-discovery");
            }
        }
        return source;
    }

    /** The chart arguments of {@code helm upgrade --install <release>}: the chart, then where it comes from. */
    abstract List<String> chartArguments(String chart, Version istio);

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
        public String toString() {
            return "chart repository " + url;
        }
    }

    private static final class LocalRelease extends ChartSource {
        private final Path root;

        private LocalRelease(Path root) {
            this.root = root.toAbsolutePath().normalize();
        }

        Path chartDirectory(String chart) {
            Path charts = root.resolve("manifests").resolve("charts");
            return chart.equals(ISTIOD) ? charts.resolve("istio-control").resolve("istio-discovery") : charts.resolve(chart);
        }

        @Override
        List<String> chartArguments(String chart, Version istio) {
            return List.of(chartDirectory(chart).toString());
        }

        @Override
        public String toString() {
            return "unpacked Istio release " + root;
        }
    }
}
