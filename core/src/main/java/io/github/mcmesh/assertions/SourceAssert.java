package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.Source;

import io.github.mcmesh.Mesh;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * A source pod picked by {@link MeshAssert#from(String, String)}: choose an HTTP call or a name lookup.
 *
 * <pre>{@code
 * SourceAssert sleep = assertThat(mesh).from("mcmesh-east", "sleep");
 * sleep.calling("http://helloworld:5000/hello").reachesClusters("mcmesh-east", "mcmesh-west");
 * sleep.resolving("helloworld").resolves();
 * }</pre>
 */
public class SourceAssert extends AbstractMeshAssert<SourceAssert> {

    private final String cluster;
    private final String workload;

    SourceAssert(Mesh mesh, AssertionSettings settings, String cluster, String workload) {
        super(mesh, settings, SourceAssert.class);
        this.cluster = cluster;
        this.workload = workload;
    }

    @Override
    SourceAssert with(AssertionSettings changed) {
        return new SourceAssert(actual, changed, cluster, workload);
    }

    /** HTTP calls to {@code url} (names resolve in the caller's namespace). */
    @CheckReturnValue
    public CallAssert calling(String url) {
        return new CallAssert(actual, settings, new Source(cluster, workload), url);
    }

    /** Name lookups of {@code host} in the source pod. */
    @CheckReturnValue
    public ResolveAssert resolving(String host) {
        return new ResolveAssert(actual, settings, new Source(cluster, workload), host);
    }
}
