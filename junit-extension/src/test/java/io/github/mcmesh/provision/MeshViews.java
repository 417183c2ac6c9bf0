package io.github.mcmesh.provision;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;

/**
 * Core's own {@link MeshView} for the extension's test doubles, whose connections do not come
 * from a provisioning (its constructor is package-private; this class shares the package on the
 * test class path).
 *
 * <pre>{@code
 * Mesh view = MeshViews.of(spec, connections, "orders-it");
 * }</pre>
 */
public final class MeshViews {

    private MeshViews() {
    }

    public static Mesh of(MeshSpec spec, List<ClusterConnection> connections, String namespace) {
        return new MeshView(spec, connections, namespace);
    }
}
