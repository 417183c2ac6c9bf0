package io.github.mcmesh.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One cluster of a {@link MultiClusterMesh}: its name and, optionally, its address ranges. An
 * empty attribute means the specification's default for the cluster's position (see
 * {@link io.github.mcmesh.spec.ClusterSpec.Builder}). Cluster names, ranges and locality come from
 * the annotation only; no property overrides them.
 *
 * <pre>{@code
 * @MultiClusterMesh(clusters = {
 *     @Cluster(name = "minikube", podCidr = "10.10.0.0/16", serviceCidr = "10.255.10.0/24"),
 *     @Cluster(name = "test", podCidr = "10.20.0.0/16", serviceCidr = "10.255.20.0/24", region = "eu-west", zone = "eu-west-b")})
 * class WriteUpIT {
 *     // the tests
 * }
 * }</pre>
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Cluster {

    /** The cluster name: minikube profile, kube context and Istio cluster ID at once. */
    String name();

    /** The pod range, e.g. {@code 10.10.0.0/16}. */
    String podCidr() default "";

    /** The Service range, e.g. {@code 10.255.10.0/24}. */
    String serviceCidr() default "";

    /** The node's docker bridge, e.g. {@code 10.254.17.1/24}; not set by default. */
    String bridge() default "";

    /** The node's IP on the shared node network (docker and podman drivers). */
    String staticIp() default "";

    /**
     * The cluster's Istio network, e.g. {@code net-east}; empty: the mesh's network
     * ({@code mcmesh.mesh.network}), shared with every cluster that names none. Clusters on
     * different networks get east-west gateways instead of routes between their pod networks:
     *
     * <pre>{@code
     * @MultiClusterMesh(clusters = {
     *     @Cluster(name = "mcmesh-east", network = "net-east"),
     *     @Cluster(name = "mcmesh-west", network = "net-west")})
     * class AcrossNetworksIT {
     *     // the tests
     * }
     * }</pre>
     */
    String network() default "";

    /**
     * The node label {@code topology.kubernetes.io/region}, which Istio's locality load balancing
     * reads, e.g. {@code eu-west}; default: the cluster name. Set at {@code minikube start}; the
     * nodes of provider {@code existing} keep their own labels.
     */
    String region() default "";

    /** The node label {@code topology.kubernetes.io/zone}, e.g. {@code eu-west-b}; default: {@code <name>-a}. */
    String zone() default "";
}
