package io.github.mcmesh.junit;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.provision.ClusterConnection;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;

/**
 * The one seam between the extension and core's provisioning, so the extension's lifecycle can
 * be tested with a double. Production uses {@link #PROVISIONER}; mcmesh's own tests name another
 * implementation in the configuration parameter {@value #PROPERTY_NAME}.
 */
@FunctionalInterface
interface MeshBackend {

    /** Internal, for mcmesh's own tests: the class name of a {@code MeshBackend} with a no-argument constructor. */
    String PROPERTY_NAME = "mcmesh.junit.backend";

    /** Core's provisioner. */
    MeshBackend PROVISIONER = spec -> {
        throw new UnsupportedOperationException("MeshProvisioner is not merged yet");
    };

    /**
     * Provisions the mesh, or reuses it when it is there and healthy.
     *
     * @throws RuntimeException whatever made provisioning fail
     */
    Provisioned provision(MeshSpec spec);

    /** A provisioned mesh: its clusters' connections, views per namespace, its teardown. */
    interface Provisioned extends AutoCloseable {

        List<ClusterConnection> connections();

        /** The mesh as a class with this namespace sees it. */
        Mesh view(String namespace);

        /** Deletes what the cleanup policy allows: owned clusters, the shared network. */
        void teardown();

        /** Closes the clients. */
        @Override
        void close();
    }
}
