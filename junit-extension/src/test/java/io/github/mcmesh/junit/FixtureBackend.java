package io.github.mcmesh.junit;

import io.github.mcmesh.internal.istio.IstioLayers;
import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.internal.provision.KubeAccess;
import io.github.mcmesh.internal.provision.MeshFixture;
import io.github.mcmesh.internal.provision.MeshProvisioner;
import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.spec.MeshSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@link MeshBackend} with core's real {@code MeshProvisioner} and {@code IstioInstaller}
 * against a {@link MeshFixture}'s fake tools and mock API servers, found through the spec alone
 * ({@code mcmesh.tools.path}, {@code mcmesh.kubeconfig}): it works from this JVM or another one.
 * The one in-memory part is istiod's {@code /debug/clusterz}, read through pod exec, which a CRUD
 * mock server cannot serve: every peer answers {@code synced}.
 *
 * <pre>{@code
 * MeshTestKit.in(state).with(MeshBackend.PROPERTY_NAME, FixtureBackend.class.getName())
 *         .with(MeshProperties.KUBECONFIG, fixture.kubeconfig().toString()) ...
 * }</pre>
 */
public final class FixtureBackend implements MeshBackend {

    /** The production backend's two paths, each with a provisioner against the fixture. */
    private static final MeshBackend FIXTURE = MeshBackend.using(FixtureBackend::provisioner);

    @Override
    public ProvisionedMesh provision(MeshSpec spec) {
        return FIXTURE.provision(spec);
    }

    /** The warm check under the shared gate, as {@link MeshBackend#PROVISIONER} does it (the default would skip it). */
    @Override
    public Optional<ProvisionedMesh> reuseIfReady(MeshSpec spec) {
        return FIXTURE.reuseIfReady(spec);
    }

    /** The warm check and provisioning as the production backend runs them: provisioning takes over the check's clients and reads. */
    @Override
    public Attempt attempt(MeshSpec spec) {
        return FIXTURE.attempt(spec);
    }

    private static MeshProvisioner provisioner(MeshSpec spec) {
        // the fakes live in <root>/bin with their state in <root>/state; <root> is their HOME, as in MeshFixture
        Path home = Path.of(spec.tools().searchPath().orElseThrow(() -> new IllegalStateException(
                "FixtureBackend needs mcmesh.tools.path pointing at the fakes"))).getParent();
        return IstioLayers.provisioner(spec,
                MeshFixture.runner(spec, home, cluster -> KubeAccess.client(spec.kubeconfig(), cluster).orElseThrow()),
                MeshFixture.clusterzSynced(spec.clusterNames(), true));
    }
}
