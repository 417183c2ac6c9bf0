package io.github.mcmesh.assertions;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.probe.ExecutesInPods;
import io.github.mcmesh.internal.probe.Fabric8PodExec;
import java.time.Duration;
import org.assertj.core.annotation.CheckReturnValue;

/**
 * Entry point of the mesh assertions. They poll until the expectation holds in several
 * consecutive rounds, and fail with the evidence (who answered, the last responses, hints). The
 * subject narrows as the chain goes: the mesh, then a {@link Call} or a {@link Lookup}.
 *
 * <pre>{@code
 * import static io.github.mcmesh.assertions.CallExpectation.distributedAcross;
 * import static io.github.mcmesh.assertions.CallExpectation.reaching;
 * import static io.github.mcmesh.assertions.MeshAssertions.assertThat;
 *
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello")
 *         .reachesClusters("mcmesh-east", "mcmesh-west");
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").calls(20)
 *         .satisfies(reaching("mcmesh-east", "mcmesh-west"), distributedAcross(0.2, "mcmesh-east", "mcmesh-west"));
 * assertThat(mesh).from("mcmesh-east", "sleep").resolving("helloworld").resolves();
 * }</pre>
 */
public final class MeshAssertions {

    private MeshAssertions() {
    }

    /**
     * Assertions on calls and lookups made from the mesh's pods, run through the mesh's own pod
     * exec (fabric8's exec when the mesh carries none).
     */
    @CheckReturnValue
    public static MeshAssert assertThat(Mesh mesh) {
        Duration within = mesh == null ? Duration.ofSeconds(60) : mesh.spec().timeouts().assertion();
        return new MeshAssert(mesh, AssertionSettings.defaults(within,
                mesh instanceof ExecutesInPods carrier ? carrier.podExec() : new Fabric8PodExec()));
    }
}
