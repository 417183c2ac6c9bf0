package io.github.mcmesh.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where clusters, charts and images come from, for users behind a firewall or a slow link:
 * registry mirrors, minikube's image mirror and repository, the Istio charts (a chart
 * repository, its mirror, or an unpacked Istio release), the Istio image hub, sample images,
 * and whether sample images are preloaded into every cluster.
 *
 * <pre>{@code
 * MeshSpec.builder().sources(Sources.defaults()
 *     .withRegistryMirrors(List.of("https://mirror.example.com"))
 *     .withIstioCharts("/opt/istio-1.30.3/manifests/charts")
 *     .withPreloadImages(true));
 * }</pre>
 *
 * @param registryMirrors {@code minikube start --registry-mirror} values (docker runtime)
 * @param imageMirrorCountry {@code minikube start --image-mirror-country}, e.g. {@code cn}
 * @param imageRepository {@code minikube start --image-repository} for Kubernetes' own images
 * @param istioCharts a chart repository URL ({@code https://...}; {@code oci://host/path} for an OCI
 *        registry holding {@code base} and {@code istiod}), or a local directory: an unpacked Istio
 *        release ({@code istio-<version>}) or its {@code manifests/charts} directory
 * @param istioHub Istio's image hub ({@code global.hub}) for a private registry
 * @param sampleImages replacement images for mcmesh's samples, by sample name
 *        ({@code helloworld-v1}, {@code helloworld-v2}, {@code sleep}, {@code curl})
 * @param preloadImages load the sample images into every cluster ({@code minikube image load})
 *        so tests need no pull during a run
 */
public record Sources(List<String> registryMirrors, Optional<String> imageMirrorCountry, Optional<String> imageRepository,
        String istioCharts, Optional<String> istioHub, Map<String, String> sampleImages, boolean preloadImages) {

    /** Istio's official chart repository. */
    public static final String ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";
    /** The names {@link #sampleImages()} may use. */
    public static final List<String> SAMPLE_NAMES = List.of("helloworld-v1", "helloworld-v2", "sleep", "curl");

    public Sources {
        registryMirrors = List.copyOf(registryMirrors);
        sampleImages = Map.copyOf(sampleImages);
    }

    public static Sources defaults() {
        return new Sources(List.of(), Optional.empty(), Optional.empty(), ISTIO_CHART_REPOSITORY, Optional.empty(),
                Map.of(), false);
    }

    /** Where Istio's charts lie inside {@code manifests/charts} of a release. */
    public static final List<String> ISTIO_CHART_PATHS = List.of("base", "istio-control/istio-discovery");

    /**
     * The {@code manifests/charts} directory of a local Istio release, given either the release
     * directory ({@code istio-1.30.3}) or that charts directory itself; empty when neither holds
     * both of Istio's charts ({@link #ISTIO_CHART_PATHS}, each with its {@code Chart.yaml}).
     */
    public static Optional<Path> localChartsDirectory(Path directory) {
        return Stream.of(directory, directory.resolve("manifests").resolve("charts"))
                .filter(charts -> ISTIO_CHART_PATHS.stream()
                        .allMatch(chart -> Files.isRegularFile(charts.resolve(chart).resolve("Chart.yaml"))))
                .map(charts -> charts.toAbsolutePath().normalize())
                .findFirst();
    }

    /** Whether {@link #istioCharts()} names a chart repository rather than a local directory. */
    public boolean chartsFromRepository() {
        return istioCharts.startsWith("https://") || istioCharts.startsWith("http://") || istioCharts.startsWith("oci://");
    }

    public Sources withRegistryMirrors(List<String> value) {
        return new Sources(value, imageMirrorCountry, imageRepository, istioCharts, istioHub, sampleImages, preloadImages);
    }

    public Sources withImageMirrorCountry(String value) {
        return new Sources(registryMirrors, Optional.of(value), imageRepository, istioCharts, istioHub, sampleImages, preloadImages);
    }

    public Sources withImageRepository(String value) {
        return new Sources(registryMirrors, imageMirrorCountry, Optional.of(value), istioCharts, istioHub, sampleImages, preloadImages);
    }

    public Sources withIstioCharts(String value) {
        return new Sources(registryMirrors, imageMirrorCountry, imageRepository, value, istioHub, sampleImages, preloadImages);
    }

    public Sources withIstioHub(String value) {
        return new Sources(registryMirrors, imageMirrorCountry, imageRepository, istioCharts, Optional.of(value), sampleImages, preloadImages);
    }

    public Sources withSampleImages(Map<String, String> value) {
        return new Sources(registryMirrors, imageMirrorCountry, imageRepository, istioCharts, istioHub, value, preloadImages);
    }

    public Sources withPreloadImages(boolean value) {
        return new Sources(registryMirrors, imageMirrorCountry, imageRepository, istioCharts, istioHub, sampleImages, value);
    }
}
