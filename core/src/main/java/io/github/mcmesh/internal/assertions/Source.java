package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.SourcePod;

/** Where probes run from: the app label of a pod in one cluster of the mesh. */
public record Source(String cluster, String workload) {

    public SourcePod find(Mesh mesh) {
        try {
            return SourcePod.find(mesh.cluster(cluster), workload);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return workload + " in cluster " + cluster;
    }
}
