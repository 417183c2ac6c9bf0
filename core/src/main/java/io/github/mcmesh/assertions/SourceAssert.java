package io.github.mcmesh.assertions;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.assertions.AssertionSettings;
import java.util.Objects;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * A source pod picked by {@link MeshAssert#from(String, String)}: choose an HTTP call or a name
 * lookup, which become the subject of the next assertion. Its own subject is still the mesh.
 *
 * <pre>{@code
 * SourceAssert sleep = assertThat(mesh).from("mcmesh-east", "sleep");
 * sleep.calling("http://helloworld:5000/hello").reachesClusters("mcmesh-east", "mcmesh-west");
 * sleep.resolving("helloworld").resolves();
 * }</pre>
 */
public class SourceAssert extends AbstractMeshAssert<SourceAssert, Mesh> {

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

    /** Assertions on HTTP calls to {@code url} from the source pod (names resolve in the caller's namespace). */
    @CheckReturnValue
    public CallAssert calling(String url) {
        return carryStateTo(new CallAssert(new Call(actual, cluster, workload, Objects.requireNonNull(url, "url")), settings));
    }

    /** Assertions on name lookups of {@code host} in the source pod. */
    @CheckReturnValue
    public ResolveAssert resolving(String host) {
        return carryStateTo(new ResolveAssert(new Lookup(actual, cluster, workload, Objects.requireNonNull(host, "host")),
                settings));
    }
}
