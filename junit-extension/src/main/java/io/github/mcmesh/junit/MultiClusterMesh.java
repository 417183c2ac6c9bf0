package io.github.mcmesh.junit;

import io.github.mcmesh.spec.MeshProperties;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a multi-cluster Istio mesh: before the class runs, the
 * mesh exists (created if missing, reused if healthy) and the class has a namespace of its own in
 * every cluster. Inject clusters with {@link MeshCluster}, the namespace with
 * {@link MeshNamespace}, and {@link io.github.mcmesh.Mesh} as a field or parameter of that type.
 *
 * <p>Every attribute left at its default means "the specification's default"; the cluster
 * names and ranges come from the annotation only, every other setting can be overridden, lowest
 * to highest, by {@code junit-platform.properties}, system properties and {@code MCMESH_*}
 * environment variables (the names are the {@code *_PROPERTY_NAME} constants below). One mesh is
 * provisioned per set of cluster names per JVM and shared by every class that asks for it; parallel
 * JVMs coordinate through a file lock. Options the annotation does not carry are set as properties,
 * or in code with {@link MultiClusterMeshExtension#of(io.github.mcmesh.spec.MeshSpec)} instead of
 * this annotation. Usable as a meta-annotation:
 *
 * <pre>{@code
 * @Retention(RUNTIME) @Target(TYPE)
 * @MultiClusterMesh(istioVersion = "1.29.0", trust = MultiClusterMesh.Trust.PLAINTEXT)
 * @interface OurMesh { }
 *
 * @OurMesh
 * class CrossClusterIT {
 *     @MeshCluster("mcmesh-east") KubernetesClient east;
 *
 *     @Test
 *     void helloworld_is_served_from_both_clusters(Mesh mesh) {
 *         // deploy, then assertThat(mesh)...
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@ExtendWith(MultiClusterMeshExtension.class)
public @interface MultiClusterMesh {

    String PROVIDER_PROPERTY_NAME = MeshProperties.PROVIDER;
    String KUBERNETES_VERSION_PROPERTY_NAME = MeshProperties.KUBERNETES_VERSION;
    String ISTIO_VERSION_PROPERTY_NAME = MeshProperties.ISTIO_VERSION;
    String DRIVER_PROPERTY_NAME = MeshProperties.DRIVER;
    String TRUST_PROPERTY_NAME = MeshProperties.TRUST;
    String DNS_PROXYING_PROPERTY_NAME = MeshProperties.DNS_PROXYING;
    String REUSE_PROPERTY_NAME = MeshProperties.REUSE;
    String CLEANUP_PROPERTY_NAME = MeshProperties.CLEANUP;
    String NAMESPACE_CLEANUP_PROPERTY_NAME = MeshProperties.NAMESPACE_CLEANUP;
    /** Set by {@link #timeout()}, one per provisioning step; each can also be set on its own. */
    String TIMEOUT_CLUSTER_START_PROPERTY_NAME = MeshProperties.TIMEOUT_CLUSTER_START;
    String TIMEOUT_ISTIO_INSTALL_PROPERTY_NAME = MeshProperties.TIMEOUT_ISTIO_INSTALL;
    String TIMEOUT_MESH_READY_PROPERTY_NAME = MeshProperties.TIMEOUT_MESH_READY;
    /** {@code true}: a missing tool fails the class instead of skipping it (for CI that must not skip). */
    String REQUIRE_TOOLS_PROPERTY_NAME = MeshProperties.REQUIRE_TOOLS;

    /** The clusters; empty: {@code mcmesh-east} and {@code mcmesh-west} with the default ranges. */
    Cluster[] clusters() default {};

    /** E.g. {@code v1.35.1}; empty: the specification's default. */
    String kubernetesVersion() default "";

    /** E.g. {@code 1.30.3}; empty: the specification's default. */
    String istioVersion() default "";

    /** Where the clusters come from. */
    Provider provider() default Provider.DEFAULT;

    /** The minikube driver ({@code docker}, {@code podman}, {@code kvm2}, ...); empty: {@code docker}. */
    String driver() default "";

    /** How workloads of different clusters trust each other. */
    Trust trust() default Trust.DEFAULT;

    /** Whether sidecars capture DNS mesh-wide. */
    Toggle dnsProxying() default Toggle.DEFAULT;

    /** What to do with clusters that already exist. */
    Reuse reuse() default Reuse.DEFAULT;

    /** When to delete the clusters at the end of the JVM; default: never, so the next run reuses them. */
    Cleanup cleanup() default Cleanup.DEFAULT;

    /** When to delete a class's namespaces after the class; default: when the class passed. */
    Cleanup namespaceCleanup() default Cleanup.DEFAULT;

    /**
     * How long each provisioning step (cluster start, Istio install, mesh ready) may take, as
     * {@code 90s}, {@code 15m} or {@code PT15M}; empty: the specification's defaults.
     */
    String timeout() default "";

    /**
     * {@link io.github.mcmesh.spec.Provider} as an annotation value.
     *
     * <pre>{@code @MultiClusterMesh(provider = MultiClusterMesh.Provider.EXISTING)}</pre>
     */
    enum Provider { DEFAULT, MINIKUBE, EXISTING }

    /**
     * {@link io.github.mcmesh.spec.TrustMode} as an annotation value.
     *
     * <pre>{@code @MultiClusterMesh(trust = MultiClusterMesh.Trust.PLAINTEXT)}</pre>
     */
    enum Trust { DEFAULT, SHARED_ROOT_CA, PLAINTEXT }

    /**
     * {@link io.github.mcmesh.spec.ReusePolicy} as an annotation value.
     *
     * <pre>{@code @MultiClusterMesh(reuse = MultiClusterMesh.Reuse.NEVER)}</pre>
     */
    enum Reuse { DEFAULT, IF_HEALTHY, NEVER, REQUIRED }

    /**
     * {@link io.github.mcmesh.spec.CleanupPolicy} as an annotation value.
     *
     * <pre>{@code @MultiClusterMesh(cleanup = MultiClusterMesh.Cleanup.ON_SUCCESS)}</pre>
     */
    enum Cleanup { DEFAULT, NEVER, ALWAYS, ON_SUCCESS }

    /**
     * A boolean setting that can also be left unset.
     *
     * <pre>{@code @MultiClusterMesh(dnsProxying = MultiClusterMesh.Toggle.OFF)}</pre>
     */
    enum Toggle { DEFAULT, ON, OFF }
}
