package io.github.mcmesh.internal.junit;

import io.github.mcmesh.internal.spec.SettingNames;
import io.github.mcmesh.junit.Cluster;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.ConfigValue;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a {@link MultiClusterMesh} and the configuration around it into a {@link MeshSpec}: the
 * clusters from the annotation, every other setting from, highest first, the environment, JUnit's
 * configuration parameters ({@code -D} and {@code junit-platform.properties}) and the annotation.
 */
public final class MeshConfiguration {

    private MeshConfiguration() {
    }

    /** JUnit's configuration file, read from the class path as JUnit reads it (the first one found). */
    static final String JUNIT_PLATFORM_PROPERTIES = "junit-platform.properties";

    /**
     * The overrides of a run: environment variables over JUnit's configuration parameters
     * ({@link org.junit.jupiter.api.extension.ExtensionContext#getConfigurationParameter(String)}),
     * which JUnit takes from the launcher (Surefire's {@code configurationParameters}, an IDE), then
     * system properties, then {@code junit-platform.properties}. JUnit keeps that order; each value
     * is named by the layer that holds it, so a message can say which to change.
     */
    public static ConfigSource overrides(Function<String, Optional<String>> configurationParameters, Map<String, String> environment,
            Function<String, String> systemProperties, Map<String, String> propertiesFile) {
        return ConfigSource.firstOf(ConfigSource.environment(environment), key -> configurationParameters.apply(key)
                .map(value -> new ConfigValue(key, value, parameterOrigin(key, value, systemProperties, propertiesFile))));
    }

    private static String parameterOrigin(String key, String value, Function<String, String> systemProperties,
            Map<String, String> propertiesFile) {
        if (value.equals(systemProperties.apply(key))) {
            return "system property -D" + key;
        }
        if (value.equals(propertiesFile.get(key))) {
            return JUNIT_PLATFORM_PROPERTIES;
        }
        return "JUnit launcher configuration parameter " + key;
    }

    /** The {@code mcmesh.*} entries of the first {@value #JUNIT_PLATFORM_PROPERTIES} on the class path, as JUnit reads it. */
    public static Map<String, String> junitPlatformProperties() {
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(MeshConfiguration.class.getClassLoader());
        URL file = loader.getResource(JUNIT_PLATFORM_PROPERTIES);
        if (file == null) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (InputStream in = file.openStream()) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith("mcmesh."))
                .forEach(name -> entries.put(name, properties.getProperty(name)));
        return entries;
    }

    /** What {@link #checkNames} found: names that fail the run, and names only warned about. */
    public record NameCheck(Optional<String> error, List<String> warnings) {
    }

    /**
     * Looks for {@code mcmesh.*} and {@code MCMESH_*} names that are no setting, before anything
     * runs. An unknown environment variable or {@code junit-platform.properties} entry fails the run:
     * both are written only for mcmesh, so a typo there (in a CI file, say) would silently run with
     * the default instead. System properties also carry the build's own (Surefire hands every
     * {@code mvn -D...} to the tests, e.g. this project's {@code mcmesh.e2e.excludedGroups}), so an
     * unknown one fails the run only when it looks like a misspelled setting, and is warned about
     * otherwise. Values are not shown: an unknown name may hold a secret. JUnit's launcher
     * parameters cannot be listed (JUnit 5.10 reads them one key at a time), so they are not checked.
     */
    public static NameCheck checkNames(Map<String, String> environment, Collection<String> systemProperties,
            Map<String, String> propertiesFile) {
        SettingNames names = new SettingNames(knownProperties());
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String variable : names.unknownVariables(environment.keySet())) {
            errors.add("environment variable " + variable + ": did you mean " + names.closestVariable(variable) + "?");
        }
        for (String property : names.unknownProperties(propertiesFile.keySet())) {
            errors.add(JUNIT_PLATFORM_PROPERTIES + ": " + property + ": did you mean " + names.closestProperty(property) + "?");
        }
        for (String property : names.unknownProperties(systemProperties)) {
            if (names.looksMisspelled(property)) {
                errors.add("system property -D" + property + ": did you mean " + names.closestProperty(property) + "?");
            } else {
                warnings.add("mcmesh ignores system property -D" + property + ": no mcmesh setting has a name close to it,"
                        + " so it is taken for the build's own");
            }
        }
        deprecatedName(systemProperties, propertiesFile).ifPresent(warnings::add);
        Optional<String> error = errors.isEmpty() ? Optional.empty() : Optional.of(errors.stream()
                .map(problem -> "  - " + problem)
                .collect(Collectors.joining(System.lineSeparator(), "mcmesh does not know "
                        + (errors.size() == 1 ? "this setting" : "these " + errors.size() + " settings")
                        + " and would ignore " + (errors.size() == 1 ? "it" : "them") + "; nothing has run yet:"
                        + System.lineSeparator(), System.lineSeparator() + "Every setting is listed in"
                        + " io.github.mcmesh.spec.MeshProperties and in the extension's README (Settings).")));
        return new NameCheck(error, warnings);
    }

    @SuppressWarnings("deprecation") // names the deprecated property to tell its users
    private static Optional<String> deprecatedName(Collection<String> systemProperties, Map<String, String> propertiesFile) {
        String old = MeshProperties.REQUIRE_TOOLS_DEPRECATED_NAME;
        return systemProperties.contains(old) || propertiesFile.containsKey(old)
                ? Optional.of(old + " is deprecated and still read; rename it " + MeshProperties.REQUIRE_TOOLS)
                : Optional.empty();
    }

    /** Every property the extension reads: the specification's and its own. */
    private static Set<String> knownProperties() {
        Set<String> known = new TreeSet<>(MeshProperties.names());
        known.add(MeshBackend.PROPERTY_NAME);
        return known;
    }

    /**
     * The specification for a test class.
     *
     * @throws io.github.mcmesh.spec.InvalidMeshSpecException naming each bad setting and where it was set
     */
    public static MeshSpec specFor(Class<?> testClass, MultiClusterMesh annotation, ConfigSource overrides) {
        MeshSpec.Builder builder = MeshSpec.builder()
                .settingsFrom("annotation attribute @MultiClusterMesh(clusters=...) on " + testClass.getName());
        for (Cluster cluster : annotation.clusters()) {
            builder.cluster(cluster.name(), c -> {
                ifSet(cluster.podCidr(), c::podCidr);
                ifSet(cluster.serviceCidr(), c::serviceCidr);
                ifSet(cluster.bridge(), c::bridge);
                ifSet(cluster.staticIp(), c::staticIp);
                ifSet(cluster.network(), c::network);
                ifSet(cluster.region(), c::region);
                ifSet(cluster.zone(), c::zone);
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
    public static MeshSpec specFor(MeshSpec spec, ConfigSource overrides) {
        return MeshProperties.applyTo(spec.toBuilder(), overrides).build();
    }

    /** Whether a missing tool fails the class instead of skipping it. */
    public static boolean requireTools(ConfigSource overrides) {
        return MeshProperties.booleanValue(overrides, requireToolsName(overrides)).orElse(false);
    }

    /** The setting that asked to fail on missing tools, e.g. {@code mcmesh.require.tools=true, set by ...}. */
    public static String describeRequireTools(ConfigSource overrides) {
        return overrides.lookup(requireToolsName(overrides))
                .map(value -> value.key() + "=" + value.value() + ", set by " + value.origin())
                .orElse(MeshProperties.REQUIRE_TOOLS + "=true");
    }

    /** {@code mcmesh.require.tools}, unless only its deprecated name is set. */
    @SuppressWarnings("deprecation") // the old name keeps working
    private static String requireToolsName(ConfigSource overrides) {
        return overrides.lookup(MeshProperties.REQUIRE_TOOLS).isEmpty()
                && overrides.lookup(MeshProperties.REQUIRE_TOOLS_DEPRECATED_NAME).isPresent()
                ? MeshProperties.REQUIRE_TOOLS_DEPRECATED_NAME
                : MeshProperties.REQUIRE_TOOLS;
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
                "annotation attribute @MultiClusterMesh(" + attributeByKey.get(key) + "=...) on " + testClass.getName()));
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
