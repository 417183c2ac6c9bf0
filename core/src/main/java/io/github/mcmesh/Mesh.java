package io.github.mcmesh;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;
import java.util.Optional;

/**
 * A provisioned multi-cluster mesh as one test class sees it: every cluster, and the class
 * namespace, which has the same name in every cluster.
 *
 * <pre>{@code
 * mesh.cluster("mcmesh-east").deploy(Samples.helloworld("v1"), Samples.sleep());
 * mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2"));
 * mesh.applyEverywhere(destinationRule);
 * }</pre>
 */
public interface Mesh {

    /** The specification the mesh was provisioned from. */
    MeshSpec spec();

    /** The namespace of this view, present in every cluster. */
    String namespace();

    /** Every cluster, in the order of the specification. */
    List<ClusterHandle> clusters();

    /**
     * The cluster with this name.
     *
     * @throws IllegalArgumentException naming the known clusters when there is none
     */
    default ClusterHandle cluster(String name) {
        return clusters().stream()
                .filter(cluster -> cluster.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No cluster named '" + name
                        + "' in this mesh; known clusters: " + clusterNames()));
    }

    /** The cluster names, in the order of the specification. */
    default List<String> clusterNames() {
        return clusters().stream().map(ClusterHandle::name).toList();
    }

    /**
     * The cluster running the pod with this name in {@link #namespace()}, if any. Used to
     * attribute a response (for example helloworld's {@code instance: <pod>}) to a cluster.
     */
    default Optional<String> clusterOfPod(String podName) {
        return clusters().stream()
                .filter(cluster -> cluster.client().pods().inNamespace(namespace()).withName(podName).get() != null)
                .map(ClusterHandle::name)
                .findFirst();
    }

    /**
     * Creates or replaces these resources in the namespace of this view in every cluster.
     * Istio configuration (VirtualService, DestinationRule, ...) is read by each istiod from
     * its own cluster only, so it must exist everywhere.
     */
    default void applyEverywhere(HasMetadata... resources) {
        clusters().forEach(cluster -> cluster.apply(resources));
    }

    /**
     * Creates or replaces these resources, e.g. {@code Resources.fromYaml(...)}, in the namespace
     * of this view in every cluster; their kinds are checked in every cluster before any is applied.
     */
    default void applyEverywhere(List<? extends HasMetadata> resources) {
        clusters().forEach(cluster -> cluster.apply(resources));
    }

    /**
     * Puts images built on this machine into every cluster, so workloads can run them without a
     * registry: with minikube, {@code minikube image load --daemon} into all clusters at once,
     * skipped in a cluster whose node has the same image id already (a rebuilt image under the same
     * tag is loaded again). Every image is looked up in this machine's docker daemon before anything
     * is loaded.
     *
     * <pre>{@code
     * mesh.loadImages("registry.local/checkout:dev", "registry.local/frontend:dev");
     * mesh.cluster("mcmesh-east").deploy(Workload.fromYaml(Path.of("k8s/checkout.yaml")));
     * }</pre>
     *
     * @throws IllegalArgumentException naming the images this machine's docker daemon lacks
     * @throws IllegalStateException with provider {@code existing}, which loads no images: push
     *         them to a registry the clusters can pull from
     * @throws ProvisioningException naming the cluster when a load fails
     */
    void loadImages(String... images);

    /** A view of the same clusters scoped to another namespace. */
    Mesh inNamespace(String namespace);
}
