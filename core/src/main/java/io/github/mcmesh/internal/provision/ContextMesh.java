package io.github.mcmesh.internal.provision;

import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ProvisionedMesh} the provisioner returns: the cluster states of its provisioning, its provider and Istio layer. */
final class ContextMesh implements ProvisionedMesh {

    private static final Logger LOG = LoggerFactory.getLogger(ContextMesh.class);

    private final ProvisioningContext context;
    private final List<ClusterConnection> connections;
    private final ClusterProvider provider;
    private final IstioLayer istio;
    private final PodExec podExec;

    ContextMesh(ProvisioningContext context, ClusterProvider provider, IstioLayer istio, PodExec podExec) {
        this.context = context;
        this.connections = context.connections();
        this.provider = provider;
        this.istio = istio;
        this.podExec = podExec;
    }

    @Override
    public MeshSpec spec() {
        return context.spec();
    }

    @Override
    public List<ClusterConnection> connections() {
        return connections;
    }

    @Override
    public PodExec podExec() {
        return podExec;
    }

    @Override
    public ImageLoader imageLoader() {
        return provider.imageLoader();
    }

    /**
     * Deletes what mcmesh created: every cluster it owns ({@code minikube delete}) and the shared
     * node network if mcmesh created it. Clusters mcmesh did not create are never deleted; with
     * the {@code existing} provider Istio and the marker are removed from them instead. Once every
     * cluster is deleted or has Istio removed, the mesh's root CA key is deleted too; while a
     * cluster is kept, its CA still chains to that root, so the key stays.
     */
    @Override
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

    /** Closes each cluster's client once; deletes nothing. */
    @Override
    public void close() {
        context.closeClients();
    }

    @Override
    public String toString() {
        return "ProvisionedMesh " + spec().identity() + " " + connections.stream().map(ClusterConnection::name).toList();
    }
}
