package io.github.mcmesh.spec;

/**
 * A configuration value and where it came from, so an error can say which setting to fix; what a
 * {@link ConfigSource} returns.
 *
 * <pre>{@code
 * new ConfigValue("mcmesh.reuse", "never", "environment variable MCMESH_REUSE")
 * }</pre>
 *
 * @param key the property name, e.g. {@code mcmesh.istio.version}
 * @param value the raw value
 * @param origin where it was set, e.g. {@code system property mcmesh.reuse}
 */
public record ConfigValue(String key, String value, String origin) {
}
