package io.github.mcmesh.internal.junit;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.MeshProvisioner;
import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one seam between the extension and core's provisioning, so the extension's lifecycle can
 * be tested with a double. Production uses {@link #PROVISIONER}; mcmesh's own tests name another
 * implementation in the configuration parameter {@value #PROPERTY_NAME}.
 */
@FunctionalInterface
public interface MeshBackend {

    /** Internal, for mcmesh's own tests: the class name of a {@code MeshBackend} with a no-argument constructor. */
    String PROPERTY_NAME = "mcmesh.junit.backend";

    /** Core's provisioner, with the process runner and pod exec through the Kubernetes API. */
    MeshBackend PROVISIONER = using(MeshProvisioner::forSpec);

    /** Provisions with the provisioner made for each spec, e.g. one with a test's runner and pod exec. */
    static MeshBackend using(Function<MeshSpec, MeshProvisioner> provisioners) {
        return new MeshBackend() {
            @Override
            public Provisioned provision(MeshSpec spec) {
                return wrap(provisioners.apply(spec).provision());
            }

            @Override
            public Optional<Provisioned> reuseIfReady(MeshSpec spec) {
                return provisioners.apply(spec).reuseIfReady().map(MeshBackend::wrap);
            }
        };
    }

    private static Provisioned wrap(ProvisionedMesh mesh) {
        return new Provisioned() {
            @Override
            public List<ClusterConnection> connections() {
                return mesh.connections();
            }

            @Override
            public Mesh view(String namespace) {
                return mesh.view(namespace);
            }

            @Override
            public void teardown() {
                mesh.teardown();
            }

            @Override
            public void close() {
                mesh.close();
            }
        };
    }

    /**
     * The warm check: the mesh when it is there and ready to use as it is, found by reading only
     * (so several JVMs may run it at once); empty when it needs provisioning. The default finds
     * nothing, so {@link #provision(MeshSpec)} decides.
     */
    default Optional<Provisioned> reuseIfReady(MeshSpec spec) {
        return Optional.empty();
    }

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
