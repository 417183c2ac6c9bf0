package io.github.mcmesh.internal.junit;

import io.github.mcmesh.internal.istio.IstioLayers;
import io.github.mcmesh.internal.provision.MeshProvisioner;
import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.internal.provision.WarmCheck;
import io.github.mcmesh.spec.MeshSpec;
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

    /** Core's provisioner with the real Istio layer, the process runner and pod exec through the Kubernetes API. */
    MeshBackend PROVISIONER = using(IstioLayers::provisioner);

    /** Provisions with the provisioner made for each spec, e.g. one with a test's runner and pod exec. */
    static MeshBackend using(Function<MeshSpec, MeshProvisioner> provisioners) {
        return new MeshBackend() {
            @Override
            public ProvisionedMesh provision(MeshSpec spec) {
                return provisioners.apply(spec).provision();
            }

            @Override
            public Optional<ProvisionedMesh> reuseIfReady(MeshSpec spec) {
                return provisioners.apply(spec).reuseIfReady();
            }

            /** Core's warm check, whose clients and reads provisioning takes over. */
            @Override
            public Attempt attempt(MeshSpec spec) {
                WarmCheck check = provisioners.apply(spec).warmCheck();
                return new Attempt() {
                    @Override
                    public Optional<ProvisionedMesh> reuseIfReady() {
                        return check.reuseIfReady();
                    }

                    @Override
                    public ProvisionedMesh provision() {
                        return check.provision();
                    }

                    @Override
                    public void close() {
                        check.close();
                    }
                };
            }
        };
    }

    /**
     * One JVM's way to the mesh: the warm check (under the shared gate), then, when it finds
     * nothing to reuse, provisioning (under the exclusive gate), which may take over what the check
     * opened and read. The default runs {@link #reuseIfReady(MeshSpec)} and {@link #provision(MeshSpec)}
     * apart, sharing nothing.
     */
    default Attempt attempt(MeshSpec spec) {
        return new Attempt() {
            @Override
            public Optional<ProvisionedMesh> reuseIfReady() {
                return MeshBackend.this.reuseIfReady(spec);
            }

            @Override
            public ProvisionedMesh provision() {
                return MeshBackend.this.provision(spec);
            }

            @Override
            public void close() {
                // shares nothing, so holds nothing
            }
        };
    }

    /** The two turns of one {@link #attempt(MeshSpec)}; closing it releases what neither handed on to a mesh. */
    interface Attempt extends AutoCloseable {

        /** The warm check: reads only; the mesh when it can be used as it is. */
        Optional<ProvisionedMesh> reuseIfReady();

        /** Provisions (or reuses what another JVM provisioned meanwhile), with what the check read where it still holds. */
        ProvisionedMesh provision();

        @Override
        void close();
    }

    /**
     * The warm check: the mesh when it is there and ready to use as it is, found by reading only
     * (so several JVMs may run it at once); empty when it needs provisioning. The default finds
     * nothing, so {@link #provision(MeshSpec)} decides.
     */
    default Optional<ProvisionedMesh> reuseIfReady(MeshSpec spec) {
        return Optional.empty();
    }

    /**
     * Provisions the mesh, or reuses it when it is there and healthy.
     *
     * @throws RuntimeException whatever made provisioning fail
     */
    ProvisionedMesh provision(MeshSpec spec);
}
