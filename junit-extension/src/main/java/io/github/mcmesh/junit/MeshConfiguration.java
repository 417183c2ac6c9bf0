package io.github.mcmesh.junit;

import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.ConfigValue;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns a {@link MultiClusterMesh} and the configuration around it into a {@link MeshSpec}: the
 * clusters from the annotation, every other setting from, highest first, the environment, JUnit's
 * configuration parameters ({@code -D} and {@code junit-platform.properties}) and the annotation.
 */
final class MeshConfiguration {

    private MeshConfiguration() {
    }

    /**
     * The overrides of a run: environment variables over JUnit's configuration parameters
     * ({@link org.junit.jupiter.api.extension.ExtensionContext#getConfigurationParameter(String)}).
     */
    static ConfigSource overrides(Function<String, Optional<String>> configurationParameters, Map<String, String> environment) {
        return ConfigSource.firstOf(ConfigSource.environment(environment),
                ConfigSource.of("configuration parameter", key -> configurationParameters.apply(key).orElse(null)));
    }

    /**
     * The specification for a test class.
     *
     * @throws io.github.mcmesh.spec.InvalidMeshSpecException naming each bad setting and where it was set
     */
    static MeshSpec specFor(Class<?> testClass, MultiClusterMesh annotation, ConfigSource overrides) {
        MeshSpec.Builder builder = MeshSpec.builder();
        for (Cluster cluster : annotation.clusters()) {
            builder.cluster(cluster.name(), c -> {
                ifSet(cluster.podCidr(), c::podCidr);
                ifSet(cluster.serviceCidr(), c::serviceCidr);
                ifSet(cluster.bridge(), c::bridge);
                ifSet(cluster.staticIp(), c::staticIp);
            });
        }
        return MeshProperties.applyTo(builder, ConfigSource.firstOf(overrides, annotationSource(testClass, annotation)))
                .build();
    }

    /**
     * The specification for a class whose mesh was given in code: {@code spec} is the lowest layer,
     * as the annotation would be, with {@code overrides} over every setting but the clusters.
     *
     * @throws io.github.mcmesh.spec.InvalidMeshSpecException naming each bad setting and where it was set
     */
    static MeshSpec specFor(MeshSpec spec, ConfigSource overrides) {
        return MeshProperties.applyTo(spec.toBuilder(), overrides).build();
    }

    /** Whether a missing tool fails the class instead of skipping it. */
    static boolean requireTools(ConfigSource overrides) {
        return MeshProperties.booleanValue(overrides, MeshProperties.REQUIRE_TOOLS).orElse(false);
    }

    /** The attributes set on the annotation, as the lowest layer, each naming its attribute and class in errors. */
    private static ConfigSource annotationSource(Class<?> testClass, MultiClusterMesh annotation) {
        Map<String, String> attributeByKey = new LinkedHashMap<>();
        Map<String, String> valueByKey = new LinkedHashMap<>();
        put(valueByKey, attributeByKey, MeshProperties.KUBERNETES_VERSION, "kubernetesVersion", annotation.kubernetesVersion());
        put(valueByKey, attributeByKey, MeshProperties.ISTIO_VERSION, "istioVersion", annotation.istioVersion());
        put(valueByKey, attributeByKey, MeshProperties.PROVIDER, "provider", setting(annotation.provider()));
        put(valueByKey, attributeByKey, MeshProperties.DRIVER, "driver", annotation.driver());
        put(valueByKey, attributeByKey, MeshProperties.TRUST, "trust", setting(annotation.trust()));
        put(valueByKey, attributeByKey, MeshProperties.DNS_PROXYING, "dnsProxying", switch (annotation.dnsProxying()) {
            case DEFAULT -> "";
            case ON -> "true";
            case OFF -> "false";
        });
        put(valueByKey, attributeByKey, MeshProperties.REUSE, "reuse", setting(annotation.reuse()));
        put(valueByKey, attributeByKey, MeshProperties.CLEANUP, "cleanup", setting(annotation.cleanup()));
        put(valueByKey, attributeByKey, MeshProperties.NAMESPACE_CLEANUP, "namespaceCleanup", setting(annotation.namespaceCleanup()));
        put(valueByKey, attributeByKey, MeshProperties.TIMEOUT_CLUSTER_START, "timeout", annotation.timeout());
        put(valueByKey, attributeByKey, MeshProperties.TIMEOUT_ISTIO_INSTALL, "timeout", annotation.timeout());
        put(valueByKey, attributeByKey, MeshProperties.TIMEOUT_MESH_READY, "timeout", annotation.timeout());
        return key -> Optional.ofNullable(valueByKey.get(key)).map(value -> new ConfigValue(key, value,
                "@MultiClusterMesh(" + attributeByKey.get(key) + ") on " + testClass.getName()));
    }

    private static String setting(Enum<?> value) {
        return value.name().equals("DEFAULT") ? "" : value.name();
    }

    private static void put(Map<String, String> values, Map<String, String> attributes, String key, String attribute,
            String value) {
        if (!value.isEmpty()) {
            values.put(key, value);
            attributes.put(key, attribute);
        }
    }

    private static void ifSet(String value, Consumer<String> target) {
        if (!value.isEmpty()) {
            target.accept(value);
        }
    }
}
