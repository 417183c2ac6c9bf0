package io.github.mcmesh.internal.provision;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;

/**
 * The package-private {@link MeshView} for test helpers in other packages, so a mesh over mock
 * clients is the production view and not a copy of it.
 *
 * <pre>{@code
 * Mesh mesh = MeshViews.of(MeshSpec.defaults(), List.of(eastConnection, westConnection), "demo");
 * }</pre>
 */
public final class MeshViews {

    private MeshViews() {
    }

    public static Mesh of(MeshSpec spec, List<ClusterConnection> connections, String namespace) {
        return new MeshView(spec, connections, namespace);
    }
}
