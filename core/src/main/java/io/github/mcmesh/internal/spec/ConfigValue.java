package io.github.mcmesh.internal.spec;

/**
 * A configuration value and where it came from, so an error can say which setting to fix.
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
