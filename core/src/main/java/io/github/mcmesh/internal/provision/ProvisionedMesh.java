package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provisioned mesh: its clusters' connections, views for test classes, and its teardown.
 * Closing it closes the clients; it never deletes anything by itself.
 *
 * <pre>{@code
 * ProvisionedMesh mesh = MeshProvisioner.forSpec(spec).provision();
 * Mesh view = mesh.view("orders-it");
 * view.cluster("mcmesh-east").client().pods().inNamespace("orders-it").list();
 * if (spec.cleanup() == CleanupPolicy.ALWAYS) {
 *     mesh.teardown();
 * }
 * mesh.close();
 * }</pre>
 */
public final class ProvisionedMesh implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisionedMesh.class);

    private final MeshSpec spec;
    private final List<ClusterConnection> connections;
    private final ClusterProvider provider;
    private final IstioLayer istio;

    ProvisionedMesh(MeshSpec spec, List<ClusterConnection> connections, ClusterProvider provider, IstioLayer istio) {
        this.spec = spec;
        this.connections = List.copyOf(connections);
        this.provider = provider;
        this.istio = istio;
    }

    public MeshSpec spec() {
        return spec;
    }

    /** The clusters' connections, in the order of the spec. */
    public List<ClusterConnection> connections() {
        return connections;
    }

    /**
     * The mesh as a test class sees it: every cluster, scoped to this namespace. Deploying
     * through a cluster handle waits for readiness; in a plaintext mesh pods get
     * {@code security.istio.io/tlsMode: disabled}.
     */
    public Mesh view(String namespace) {
        return new MeshView(spec, connections, namespace);
    }

    /**
     * Deletes what mcmesh created: every cluster it owns ({@code minikube delete}) and the shared
     * node network if mcmesh created it. Clusters mcmesh did not create are never deleted; with
     * the {@code existing} provider Istio and the marker are removed from them instead. Once every
     * cluster is deleted or has Istio removed, the mesh's root CA key is deleted too; while a
     * cluster is kept, its CA still chains to that root, so the key stays.
     */
    public void teardown() {
        boolean everyClusterGone = true;
        for (ClusterConnection connection : connections) {
            String name = connection.name();
            if (!provider.createsClusters()) {
                LOG.info("[{}] uninstalling Istio (mcmesh did not create this cluster)", name);
                istio.uninstall(name);
                ClusterMarker.delete(connection.client());
            } else if (provider.deleteIfCreatedHere(name)) {
                // proven by the cluster itself (its creation id matches this machine's record), not by the marker
                LOG.info("[{}] deleted the cluster mcmesh created", name);
            } else {
                LOG.info("[{}] kept: mcmesh did not create this cluster", name);
                everyClusterGone = false;
            }
        }
        provider.removeSharedResources();
        if (everyClusterGone) {
            istio.deleteMeshState();
        }
    }

    /** Closes the clients; deletes nothing. */
    @Override
    public void close() {
        connections.stream().map(ClusterConnection::client).forEach(KubernetesClient::close);
    }
}
