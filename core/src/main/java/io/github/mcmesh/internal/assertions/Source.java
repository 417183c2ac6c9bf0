package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.ProbeContainer;
import io.github.mcmesh.internal.probe.SourcePod;
import java.time.Duration;

/** Where probes run from: the app label of a pod in one cluster of the mesh. */
public record Source(String cluster, String workload) {

    public SourcePod find(Mesh mesh) {
        try {
            return SourcePod.find(mesh.cluster(cluster), workload);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /**
     * The curl container of {@code pod}, added when the pod's own container lacked {@code binary}
     * (it exited {@code exitCode} with {@code error}); recorded in the transcript.
     *
     * @throws AssertionError saying why the container cannot be added or does not run
     */
    public SourcePod probeContainer(Mesh mesh, SourcePod pod, String binary, int exitCode, String error, Duration wait,
            Transcript transcript) {
        String image = ProbeContainer.image(mesh.spec());
        transcript.record(pod.cluster() + "/" + pod.name() + "/" + pod.container() + " has no " + binary + " (exit " + exitCode
                + ": " + error.strip() + "); probing from ephemeral container " + ProbeContainer.NAME + " (" + image + ", UID "
                + ProbeContainer.RUN_AS_USER + ", GID " + ProbeContainer.RUN_AS_GROUP + ")");
        try {
            return ProbeContainer.attach(pod, image, wait);
        } catch (RuntimeException e) {
            throw new AssertionError("Container " + pod.container() + " of " + pod + " has no " + binary + " (exit " + exitCode
                    + "), and mcmesh could not probe from an ephemeral curl container instead: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return workload + " in cluster " + cluster;
    }
}
