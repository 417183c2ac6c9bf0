package io.github.mcmesh.internal.istio;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether traffic can flow in a mesh, and if not, what is wrong where and why it likely is.
 * Ready means: istiod available in every cluster, every istiod reports every peer cluster
 * {@code synced} in {@code /debug/clusterz}, and (shared-root mode) every {@code cacerts} has the
 * same root.
 *
 * <pre>{@code
 * MeshHealth health = istio.health();
 * if (!health.ready()) {
 *     throw new IllegalStateException(health.toString()); // one line per problem, with its likely cause
 * }
 * }</pre>
 *
 * @param clusters each cluster's view, in the order of the specification
 * @param meshProblems problems no single cluster owns (different roots of trust)
 */
public record MeshHealth(List<ClusterHealth> clusters, List<String> meshProblems) {

    public MeshHealth {
        clusters = List.copyOf(clusters);
        meshProblems = List.copyOf(meshProblems);
    }

    public boolean ready() {
        return meshProblems.isEmpty() && clusters.stream().allMatch(ClusterHealth::ready);
    }

    public Optional<ClusterHealth> cluster(String name) {
        return clusters.stream().filter(c -> c.cluster().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(ready() ? "Mesh ready" : "Mesh not ready");
        for (ClusterHealth cluster : clusters) {
            text.append("\n  [").append(cluster.cluster()).append("] istiod ")
                    .append(cluster.istiodAvailable() ? "available" : "NOT available").append(", peers ")
                    .append(cluster.peerStatus().isEmpty() ? "unknown" : cluster.peerStatus());
            cluster.problems().forEach(problem -> text.append("\n    - ").append(problem));
        }
        meshProblems.forEach(problem -> text.append("\n  - ").append(problem));
        return text.toString();
    }

    /**
     * One cluster's view of the mesh.
     *
     * <pre>{@code
     * health.cluster("mcmesh-east").map(ClusterHealth::peerStatus); // {mcmesh-west=synced}
     * }</pre>
     *
     * @param cluster the cluster
     * @param istiodAvailable whether Deployment {@code istiod} is available
     * @param peerStatus each peer cluster's {@code syncStatus} as this istiod reports it ({@code synced},
     *        {@code syncing}, {@code timeout}, {@code closed}); peers it does not know are absent
     * @param problems what is wrong, each with its likely cause; empty when the cluster is ready
     */
    public record ClusterHealth(String cluster, boolean istiodAvailable, Map<String, String> peerStatus,
            List<String> problems) {

        public ClusterHealth {
            peerStatus = Map.copyOf(peerStatus);
            problems = List.copyOf(problems);
        }

        public boolean ready() {
            return problems.isEmpty();
        }
    }
}
