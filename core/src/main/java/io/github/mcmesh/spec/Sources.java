package io.github.mcmesh.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where clusters, charts and images come from, for users behind a firewall or a slow link:
 * registry mirrors, minikube's image mirror and repository, the Istio charts (a chart
 * repository, its mirror, or an unpacked Istio release), the Istio image hub, sample images,
 * and whether sample images and Istio's own images are preloaded into every cluster. Made from {@link #defaults()} and
 * its {@code with...} methods only, so a source added later breaks no caller.
 *
 * <pre>{@code
 * MeshSpec.builder().sources(Sources.defaults()
 *     .withRegistryMirrors(List.of("https://mirror.example.com"))
 *     .withIstioCharts("/opt/istio-1.30.3/manifests/charts")
 *     .withPreloadImages(true)
 *     .withPreloadIstioImages(true));
 * }</pre>
 */
public final class Sources {

    /** Istio's official chart repository. */
    public static final String ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";
    /** The names {@link #sampleImages()} may use. */
    public static final List<String> SAMPLE_NAMES = List.of("helloworld-v1", "helloworld-v2", "sleep", "curl");

    /**
     * The sources, one component each: the one list the accessors, {@link #equals}, {@link #toString}
     * and the builder's record of which setting set what read.
     *
     * @param registryMirrors {@code minikube start --registry-mirror} values (docker runtime)
     * @param imageMirrorCountry {@code minikube start --image-mirror-country}, e.g. {@code cn}
     * @param imageRepository {@code minikube start --image-repository} for Kubernetes' own images
     * @param istioCharts a chart repository URL or a local directory; see {@link Sources#istioCharts()}
     * @param istioHub Istio's image hub ({@code global.hub}) for a private registry
     * @param sampleImages replacement images for mcmesh's samples, by sample name
     * @param preloadImages load the sample images into every cluster ({@code minikube image load})
     * @param preloadIstioImages pull istiod's and the sidecar's images once into this machine's docker daemon and
     *     load them into every cluster
     */
    record Parts(List<String> registryMirrors, Optional<String> imageMirrorCountry, Optional<String> imageRepository,
            String istioCharts, Optional<String> istioHub, Map<String, String> sampleImages, boolean preloadImages,
            boolean preloadIstioImages) {
        Parts {
            registryMirrors = List.copyOf(registryMirrors);
            sampleImages = Map.copyOf(sampleImages);
        }
    }

    private final Parts parts;

    private Sources(Parts parts) {
        this.parts = parts;
    }

    /** No mirrors, Istio's chart repository ({@link #ISTIO_CHART_REPOSITORY}) and hub, mcmesh's sample images, no preloading. */
    public static Sources defaults() {
        return new Sources(new Parts(List.of(), Optional.empty(), Optional.empty(), ISTIO_CHART_REPOSITORY,
                Optional.empty(), Map.of(), false, false));
    }

    /** {@code minikube start --registry-mirror} values (docker runtime). */
    public List<String> registryMirrors() {
        return parts.registryMirrors();
    }

    /** {@code minikube start --image-mirror-country}, e.g. {@code cn}. */
    public Optional<String> imageMirrorCountry() {
        return parts.imageMirrorCountry();
    }

    /** {@code minikube start --image-repository} for Kubernetes' own images. */
    public Optional<String> imageRepository() {
        return parts.imageRepository();
    }

    /**
     * A chart repository URL ({@code https://...}; {@code oci://host/path} for an OCI registry
     * holding {@code base} and {@code istiod}), or a local directory: an unpacked Istio release
     * ({@code istio-<version>}) or its {@code manifests/charts} directory.
     */
    public String istioCharts() {
        return parts.istioCharts();
    }

    /** Istio's image hub ({@code global.hub}) for a private registry. */
    public Optional<String> istioHub() {
        return parts.istioHub();
    }

    /** Replacement images for mcmesh's samples, by sample name ({@link #SAMPLE_NAMES}). */
    public Map<String, String> sampleImages() {
        return parts.sampleImages();
    }

    /** Whether the sample images are loaded into every cluster ({@code minikube image load}), so tests need no pull during a run. */
    public boolean preloadImages() {
        return parts.preloadImages();
    }

    /**
     * Whether istiod's and the sidecar's images (the mesh's Istio version and hub) are pulled once
     * into this machine's docker daemon and loaded into every cluster right after its start
     * ({@code minikube image load}), so each node does not pull them itself.
     */
    public boolean preloadIstioImages() {
        return parts.preloadIstioImages();
    }

    public Sources withRegistryMirrors(List<String> value) {
        return new Sources(new Parts(value, imageMirrorCountry(), imageRepository(), istioCharts(), istioHub(),
                sampleImages(), preloadImages(), preloadIstioImages()));
    }

    public Sources withImageMirrorCountry(String value) {
        return new Sources(new Parts(registryMirrors(), Optional.of(value), imageRepository(), istioCharts(), istioHub(),
                sampleImages(), preloadImages(), preloadIstioImages()));
    }

    public Sources withImageRepository(String value) {
        return new Sources(new Parts(registryMirrors(), imageMirrorCountry(), Optional.of(value), istioCharts(),
                istioHub(), sampleImages(), preloadImages(), preloadIstioImages()));
    }

    public Sources withIstioCharts(String value) {
        return new Sources(new Parts(registryMirrors(), imageMirrorCountry(), imageRepository(), value, istioHub(),
                sampleImages(), preloadImages(), preloadIstioImages()));
    }

    public Sources withIstioHub(String value) {
        return new Sources(new Parts(registryMirrors(), imageMirrorCountry(), imageRepository(), istioCharts(),
                Optional.of(value), sampleImages(), preloadImages(), preloadIstioImages()));
    }

    public Sources withSampleImages(Map<String, String> value) {
        return new Sources(new Parts(registryMirrors(), imageMirrorCountry(), imageRepository(), istioCharts(),
                istioHub(), value, preloadImages(), preloadIstioImages()));
    }

    public Sources withPreloadImages(boolean value) {
        return new Sources(new Parts(registryMirrors(), imageMirrorCountry(), imageRepository(), istioCharts(),
                istioHub(), sampleImages(), value, preloadIstioImages()));
    }

    public Sources withPreloadIstioImages(boolean value) {
        return new Sources(new Parts(registryMirrors(), imageMirrorCountry(), imageRepository(), istioCharts(),
                istioHub(), sampleImages(), preloadImages(), value));
    }

    /** The parts, for {@link Components}. */
    Parts parts() {
        return parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sources that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Sources.class, parts);
    }

    /** E.g. {@code Sources[registryMirrors=[], imageMirrorCountry=Optional.empty, ...]}. */
    @Override
    public String toString() {
        return Components.describe("Sources", parts);
    }
}
