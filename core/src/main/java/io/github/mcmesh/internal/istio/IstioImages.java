package io.github.mcmesh.internal.istio;

import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Version;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The images an Istio install of the mesh pulls: istiod's ({@code pilot}) and the sidecar's
 * ({@code proxyv2}, which the east-west gateway runs too), named as the istiod chart renders them
 * from the values mcmesh passes ({@link IstioInstaller#istiodValues}: {@code global.hub} from
 * {@code sources.istioHub}, then the pass-through values and values files).
 * <ul>
 * <li>istiod: {@code istio-discovery/templates/deployment.yaml} (1.18.2 lines 81-84, 1.30.3
 * lines 98-101): an image with a {@code /} as it is, else
 * {@code <hub|global.hub>/<image|pilot>:<tag|global.tag>[-<variant|global.variant>]}, the keys
 * under {@code pilot.} before 1.24 and at the root from 1.24 (the flattened values).</li>
 * <li>sidecar: {@code files/injection-template.yaml} takes {@code global.proxy.image} as it is when
 * it has a {@code /}; otherwise {@code pkg/kube/inject/inject.go ProxyImage}:
 * {@code <global.hub>/<global.proxy.image|proxyv2>:<global.tag>}, with the image type
 * ({@code global.proxy.variant | global.variant}, which {@code templates/configmap.yaml} writes to
 * {@code meshConfig.defaultConfig.image.imageType}) replacing a {@code -distroless}/{@code -debug}
 * suffix of the tag and appended unless it is {@code default}.</li>
 * <li>the chart's own {@code global.hub}/{@code global.tag}: a local chart directory's
 * {@code values.yaml} (an unpacked release's are stamped, a source checkout's name testing
 * builds); a repository's chart carries the release's: the release builder stamps its
 * {@code DOCKER_HUB} (istio/release-builder {@code release/build.sh}: {@code docker.io/istio} up to
 * 1.29, {@code registry.istio.io/release} from 1.30.0) and the version.</li>
 * </ul>
 * A sidecar image chosen per pod ({@code sidecar.istio.io/proxyImage}) is not known here.
 *
 * <pre>{@code
 * IstioImages.of(MeshSpec.defaults());
 * // [registry.istio.io/release/pilot:1.30.3, registry.istio.io/release/proxyv2:1.30.3]
 * }</pre>
 */
final class IstioImages {

    /** The first release whose chart names Istio's own registry as its hub (release-builder 1.30.0 {@code release/build.sh}). */
    static final Version RELEASE_REGISTRY_SINCE = Version.parse("1.30.0");
    static final String DOCKER_HUB = "docker.io/istio";
    static final String RELEASE_REGISTRY = "registry.istio.io/release";
    /** {@code KnownImageTypes} of pkg/kube/inject/inject.go (1.18.2, 1.30.3). */
    private static final List<String> KNOWN_IMAGE_TYPES = List.of("distroless", "debug");
    /** The key the flattened charts' {@code values.yaml} keeps its defaults under (istio-discovery at 1.30.3, line 3). */
    private static final String INTERNAL_DEFAULTS = "_internal_defaults_do_not_set";
    /** {@code ImageTypeDefault}: the image type whose suffix is left out. */
    private static final String DEFAULT_IMAGE_TYPE = "default";

    private IstioImages() {
    }

    /** istiod's image, then the sidecar's. */
    static List<String> of(MeshSpec spec) {
        HelmValues passed = IstioInstaller.istiodValues(spec, spec.clusters().get(0).name());
        // a local chart directory says its own defaults (a source checkout's are testing builds); a repository's chart
        // carries the release's, stamped by the release builder
        Map<String, Object> chartDefaults = ChartSource.forSources(spec.sources()).localChart(ChartSource.ISTIOD)
                .map(IstioImages::chartDefaults).orElse(Map.of());
        Function<String, Optional<String>> value = key -> passed.value(key).filter(text -> !text.isEmpty())
                .or(() -> Optional.ofNullable(chartDefaults.get(key)).map(String::valueOf).filter(text -> !text.isEmpty()));
        Version version = spec.istioVersion();
        String hub = value.apply("global.hub").orElse(version.isAtLeast(RELEASE_REGISTRY_SINCE) ? RELEASE_REGISTRY : DOCKER_HUB);
        String tag = value.apply("global.tag").orElse(version.toString());
        Optional<String> variant = value.apply("global.variant");
        String pilotKeys = version.isAtLeast(IstioInstaller.FLAT_ISTIOD_VALUES) ? "" : "pilot.";
        String pilot = value.apply(pilotKeys + "image").orElse("pilot");
        String istiod = pilot.contains("/") ? pilot : value.apply(pilotKeys + "hub").orElse(hub) + "/" + pilot + ":"
                + value.apply(pilotKeys + "tag").orElse(tag)
                + value.apply(pilotKeys + "variant").or(() -> variant).map(type -> "-" + type).orElse("");
        String proxy = value.apply("global.proxy.image").orElse("proxyv2");
        String sidecar = proxy.contains("/") ? proxy : hub + "/" + proxy + ":"
                + withImageType(tag, value.apply("global.proxy.variant").or(() -> variant));
        return List.of(istiod, sidecar);
    }

    /**
     * The leaves of a chart directory's {@code values.yaml}; those under {@value #INTERNAL_DEFAULTS} (the
     * flattened charts from 1.24, whose {@code templates/zzz_profile.yaml} merges them under the values)
     * by their key without it.
     */
    private static Map<String, Object> chartDefaults(Path chartDirectory) {
        Map<String, Object> leaves = new LinkedHashMap<>();
        HelmValues.flatten("", HelmValues.readValuesFile(chartDirectory.resolve("values.yaml")), leaves);
        Map<String, Object> defaults = new LinkedHashMap<>();
        leaves.forEach((key, leaf) -> {
            if (key.startsWith(INTERNAL_DEFAULTS + ".")) {
                defaults.putIfAbsent(key.substring(INTERNAL_DEFAULTS.length() + 1), leaf);
            } else {
                defaults.put(key, leaf);
            }
        });
        return defaults;
    }

    /** {@code updateImageTypeIfPresent} of pkg/kube/inject/inject.go. */
    private static String withImageType(String tag, Optional<String> imageType) {
        if (imageType.isEmpty()) {
            return tag;
        }
        String bare = KNOWN_IMAGE_TYPES.stream().filter(type -> tag.endsWith("-" + type)).findFirst()
                .map(type -> tag.substring(0, tag.length() - type.length() - 1)).orElse(tag);
        return imageType.get().equals(DEFAULT_IMAGE_TYPE) ? bare : bare + "-" + imageType.get();
    }
}
