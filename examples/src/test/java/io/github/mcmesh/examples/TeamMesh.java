package io.github.mcmesh.examples;

import io.github.mcmesh.junit.MultiClusterMesh;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A team's own mesh annotation: the settings every test class of the team shares, in one place.
 *
 * <pre>{@code
 * @TeamMesh
 * class CheckoutIT { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@MultiClusterMesh(istioVersion = "1.30.3", namespaceCleanup = MultiClusterMesh.Cleanup.ALWAYS)
@interface TeamMesh {
}
