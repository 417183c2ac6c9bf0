package io.github.mcmesh.spec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where {@code mcmesh.*} settings come from: key to optional value. The JUnit extension layers
 * the environment over JUnit's configuration parameters (which already cover {@code -D} and
 * {@code junit-platform.properties}); annotation values sit below all of them. Public for a user
 * who builds a {@link MeshSpec} without the JUnit extension and wants the same {@code mcmesh.*}
 * settings to apply ({@link MeshProperties#applyTo(MeshSpec.Builder, ConfigSource)}).
 *
 * <pre>{@code
 * ConfigSource config = ConfigSource.firstOf(
 *     ConfigSource.environment(System.getenv()),          // MCMESH_ISTIO_VERSION=1.29.0
 *     ConfigSource.of("system property", System.getProperties()::getProperty));
 * MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), config).build();
 * }</pre>
 */
@FunctionalInterface
public interface ConfigSource {

    /** The value of the key, if set here. */
    Optional<ConfigValue> lookup(String key);

    /** No values at all. */
    static ConfigSource empty() {
        return key -> Optional.empty();
    }

    /** Values from a lookup function; {@code origin} names the source in messages, e.g. {@code configuration parameter}. */
    static ConfigSource of(String origin, Function<String, String> values) {
        return key -> Optional.ofNullable(values.apply(key)).map(value -> new ConfigValue(key, value, origin + " " + key));
    }

    /** Values from a map; {@code origin} names the source in messages. */
    static ConfigSource of(String origin, Map<String, String> values) {
        return of(origin, values::get);
    }

    /** Values from environment variables named by {@link #environmentName(String)}. */
    static ConfigSource environment(Map<String, String> variables) {
        return key -> {
            String name = environmentName(key);
            return Optional.ofNullable(variables.get(name))
                    .map(value -> new ConfigValue(key, value, "environment variable " + name));
        };
    }

    /**
     * The environment variable for a property: upper case, dots and camel-case humps become
     * underscores; {@code mcmesh.istio.version} → {@code MCMESH_ISTIO_VERSION},
     * {@code mcmesh.requireTools} → {@code MCMESH_REQUIRE_TOOLS}.
     */
    static String environmentName(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The first source that has the key wins; pass the highest precedence first. */
    static ConfigSource firstOf(ConfigSource... highestFirst) {
        List<ConfigSource> sources = List.of(highestFirst);
        return key -> sources.stream().map(source -> source.lookup(key)).flatMap(Optional::stream).findFirst();
    }
}
