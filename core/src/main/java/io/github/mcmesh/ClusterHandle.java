package io.github.mcmesh;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.workload.Workload;
import java.util.List;

/**
 * One cluster of a {@link Mesh}, scoped to the mesh view's namespace: its client too.
 *
 * <pre>{@code
 * ClusterHandle east = mesh.cluster("mcmesh-east");
 * east.deploy(Samples.sleep());
 * east.client().pods().list();   // the pods in east.namespace()
 * }</pre>
 */
public interface ClusterHandle {

    /** The cluster name: minikube profile, kube context and Istio cluster ID at once. */
    String name();

    /**
     * A client for this cluster's API server whose namespace is {@link #namespace()}
     * ({@code client().getNamespace()}), so namespaced operations without {@code inNamespace(...)}
     * act there; cluster-scoped ones (nodes, namespaces) work as usual. Owned by the mesh, do not close it.
     */
    KubernetesClient client();

    /** The node IP other clusters use to reach this one. */
    String nodeIp();

    /** The namespace this handle deploys into. */
    String namespace();

    /**
     * Applies the workloads into {@link #namespace()} and waits until they are ready; fails fast
     * with the pods' events and container states when they cannot become ready.
     */
    void deploy(Workload... workloads);

    /** Creates or replaces these resources in {@link #namespace()} (cluster-scoped ones as they are). */
    void apply(HasMetadata... resources);

    /**
     * Creates or replaces these resources, e.g. {@code Resources.fromYaml(...)}. Generic resources
     * (Istio's) are first checked against the kinds the cluster serves, all before any is applied.
     *
     * @throws IllegalArgumentException naming the object (its file and document when it came from
     *         one) when the cluster does not serve its kind
     */
    default void apply(List<? extends HasMetadata> resources) {
        apply(resources.toArray(HasMetadata[]::new));
    }

    /**
     * Scales the Deployment or StatefulSet {@code name} in {@link #namespace()} to {@code replicas}
     * and waits until that holds: that many ready replicas, or, for 0, no pods left (terminating
     * ones included), within the spec's workload-ready timeout.
     *
     * <pre>{@code
     * east.scale("checkout", 0);   // returns once every checkout pod in east is gone
     * east.scale("checkout", 2);   // returns once two are ready
     * }</pre>
     *
     * @throws IllegalArgumentException when there is no such Deployment or StatefulSet, or {@code replicas} is negative
     * @throws io.github.mcmesh.workload.WorkloadNotReadyException when it does not hold in time, with what was observed
     */
    void scale(String name, int replicas);
}
