package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.AssertionSettings;

import io.github.mcmesh.Mesh;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * Assertions on a {@link Mesh}: pick the pod calls are made from.
 *
 * <pre>{@code
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").succeeds();
 * }</pre>
 */
public class MeshAssert extends AbstractMeshAssert<MeshAssert> {

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
     */
    @CheckReturnValue
    public SourceAssert from(String cluster, String workload) {
        isNotNull();
        actual.cluster(cluster);
        return new SourceAssert(actual, settings, cluster, workload);
    }
}
