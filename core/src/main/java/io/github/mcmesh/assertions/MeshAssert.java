package io.github.mcmesh.assertions;

import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.assertions.AssertionSettings;
import java.util.Objects;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * Assertions on a {@link Mesh}: pick the pod calls and lookups are made from.
 *
 * <pre>{@code
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").succeeds();
 * assertThat(mesh).from(mesh.cluster("mcmesh-east"), "sleep").resolving("helloworld").resolves();
 * }</pre>
 */
public class MeshAssert extends AbstractMeshAssert<MeshAssert, Mesh> {

    MeshAssert(Mesh mesh, AssertionSettings settings) {
        super(mesh, settings, MeshAssert.class);
    }

    @Override
    MeshAssert with(AssertionSettings changed) {
        return new MeshAssert(actual, changed);
    }

    /**
     * Calls and lookups run in the first running pod labelled {@code app=<workload>} in the
     * mesh namespace of {@code cluster}.
     *
     * @throws IllegalArgumentException naming the known clusters when the mesh has no such cluster
     */
    @CheckReturnValue
    public SourceAssert from(String cluster, String workload) {
        isNotNull();
        actual.cluster(cluster);
        return carryStateTo(new SourceAssert(actual, settings, cluster, Objects.requireNonNull(workload, "workload")));
    }

    /**
     * As {@link #from(String, String)} for the cluster of this handle, e.g. one injected with
     * {@code @MeshCluster}.
     *
     * @throws IllegalArgumentException when the mesh has no cluster of that name, or the handle is
     *         scoped to another namespace than the mesh (take the handle from the same mesh view)
     */
    @CheckReturnValue
    public SourceAssert from(ClusterHandle cluster, String workload) {
        isNotNull();
        String name = Objects.requireNonNull(cluster, "cluster").name();
        actual.cluster(name);
        if (!actual.namespace().equals(cluster.namespace())) {
            throw new IllegalArgumentException("Cluster handle " + name + " is scoped to namespace " + cluster.namespace()
                    + ", this mesh to " + actual.namespace() + "; pass a handle of the same view (mesh.cluster(\"" + name
                    + "\")) or assert on mesh.inNamespace(\"" + cluster.namespace() + "\")");
        }
        return from(name, workload);
    }
}
