package io.github.mcmesh.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects one cluster of the class's {@link MultiClusterMesh} into a field (static or instance)
 * or a test or lifecycle method parameter, as one of:
 * <ul>
 * <li>an {@link io.github.mcmesh.ClusterHandle} scoped to the class namespace, whose
 * {@code client()} is in that namespace too ({@code client().getNamespace()} is the class
 * namespace), as fabric8's {@code NamespaceExtension} does for one cluster;</li>
 * <li>a fabric8 {@link io.fabric8.kubernetes.client.KubernetesClient}: the cluster's own client, in
 * the namespace its kube context names (so name the class namespace with {@code inNamespace}),
 * the same instance for every class sharing the mesh.</li>
 * </ul>
 * The mesh owns the clients: do not close them.
 *
 * <pre>{@code
 * @MultiClusterMesh
 * class CrossClusterIT {
 *     @MeshCluster("mcmesh-east") static KubernetesClient east;
 *     @MeshCluster("mcmesh-west") ClusterHandle west;
 *
 *     @Test
 *     void lists_pods(@MeshNamespace String namespace) {
 *         west.client().pods().list();                          // in the class namespace
 *         east.pods().inNamespace(namespace).list();            // the same, through the cluster's client
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
