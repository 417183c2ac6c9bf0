package io.github.mcmesh.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the name of the test class's namespace, which exists with that name in every cluster,
 * into a {@code String} field (static or instance) or parameter.
 *
 * <pre>{@code
 * @MultiClusterMesh
 * class CrossClusterIT {
 *     @MeshNamespace static String namespace;   // e.g. "cross-cluster-it-3f9a1c2e"
 * }
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MeshNamespace {
}
