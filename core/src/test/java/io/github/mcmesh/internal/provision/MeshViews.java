package io.github.mcmesh.internal.provision;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.Fabric8PodExec;
import io.github.mcmesh.internal.probe.PodExec;
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
        return of(spec, connections, new Fabric8PodExec()).view(namespace);
    }

    /** A provisioned mesh over these connections that tears nothing down; closing it closes their clients. */
    public static ProvisionedMesh of(MeshSpec spec, List<ClusterConnection> connections, PodExec podExec) {
        return of(spec, connections, podExec, ImageLoader.refusing("a test mesh over given connections loads no images"));
    }

    /** The same, loading images with {@code images} (e.g. minikube's through fake tools). */
    public static ProvisionedMesh of(MeshSpec spec, List<ClusterConnection> connections, PodExec podExec, ImageLoader images) {
        List<ClusterConnection> copy = List.copyOf(connections);
        return new ProvisionedMesh() {
            @Override
            public MeshSpec spec() {
                return spec;
            }

            @Override
            public List<ClusterConnection> connections() {
                return copy;
            }

            @Override
            public PodExec podExec() {
                return podExec;
            }

            @Override
            public ImageLoader imageLoader() {
                return images;
            }

            @Override
            public void teardown() {
                throw new UnsupportedOperationException("a test mesh over given connections deletes nothing");
            }

            @Override
            public void close() {
                copy.forEach(connection -> connection.client().close());
            }
        };
    }
}
