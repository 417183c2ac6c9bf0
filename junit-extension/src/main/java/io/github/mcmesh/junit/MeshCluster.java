package io.github.mcmesh.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects one cluster of the class's {@link MultiClusterMesh} into a field (static or instance)
 * or a test or lifecycle method parameter, as a fabric8
 * {@link io.fabric8.kubernetes.client.KubernetesClient} or as an
 * {@link io.github.mcmesh.ClusterHandle} scoped to the class namespace. The mesh owns the
 * client: do not close it.
 *
 * <pre>{@code
 * @MultiClusterMesh
 * class CrossClusterIT {
 *     @MeshCluster("mcmesh-east") static KubernetesClient east;
 *     @MeshCluster("mcmesh-west") ClusterHandle west;
 *
 *     @Test
 *     void lists_nodes(@MeshCluster("mcmesh-east") KubernetesClient client) {
 *         client.nodes().list();
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MeshCluster {

    /** The cluster name, one of the mesh's clusters. */
    String value();
}
