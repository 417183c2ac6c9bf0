package io.github.mcmesh.spec;

/**
 * Where the clusters come from.
 *
 * <pre>{@code
 * MeshSpec.builder().provider(Provider.EXISTING).build(); // kube contexts named like the clusters
 * }</pre>
 */
public enum Provider {
    /** One minikube profile per cluster, created by mcmesh when missing. The default. */
    MINIKUBE,
    /** Kube contexts named by the cluster names (kind, k3d, cloud): mcmesh creates and deletes no cluster. */
    EXISTING
}
