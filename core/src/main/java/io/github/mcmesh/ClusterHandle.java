package io.github.mcmesh;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.workload.Workload;

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
}
