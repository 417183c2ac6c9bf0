package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters that exist already (kind, k3d, cloud), reached through kube contexts named like the
 * clusters. Creates nothing and deletes nothing; routes between the pod networks are the user's
 * job. The provisioner checks, through each API, that real pod IPs lie in each cluster's pod range
 * (so the ranges cannot overlap) and that every API server answers; the mesh health check then
 * shows whether each istiod reaches the other clusters' API servers ({@code /debug/clusterz}).
 * No pod-to-pod probe runs while provisioning: the first cross-cluster assertion is that probe,
 * and its failure names a connect timeout to a remote pod IP as a routing problem.
 *
 * <p>Clusters on different networks ({@code ClusterSpec.network()}) need no routes at all: each
 * gets the {@code gateway} chart's LoadBalancer Service, whose address (load balancer ingress IP
 * or host name, else {@code spec.externalIPs}) is what the peers' istiods route to; their pod
 * ranges may overlap (validation only warns).
 *
 * <pre>{@code
 * MeshSpec spec = MeshSpec.builder().provider(Provider.EXISTING).clusters("kind-east", "kind-west").build();
 * ClusterProvider provider = new ExistingProvider(new ProvisioningContext(spec, runner));
 * }</pre>
 */
public final class ExistingProvider implements ClusterProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ExistingProvider.class);

    private final ProvisioningContext context;

    ExistingProvider(ProvisioningContext context) {
        this.context = context;
    }

    /**
     * mcmesh leaves an existing cluster's node labels alone: Istio's locality is whatever they say,
     * logged here, and the spec's region and zone are not applied.
     */
    @Override
    public void checkNode(ClusterSpec cluster, KubeAccess.NodeFacts node) {
        if (node.region().isEmpty()) {
            LOG.warn("[{}] node {} has no {} label: Istio sees no locality there, so locality load balancing and failover"
                    + " between regions cannot be tested with it", cluster.name(), node.name(), Minikube.REGION_LABEL);
        } else {
            LOG.info("[{}] node {} is in locality {} (its own labels; mcmesh does not change them)", cluster.name(),
                    node.name(), node.locality());
        }
    }

    @Override
    public void preflight() {
        // nothing to run: the clusters are checked through their APIs
    }

    @Override
    public Map<String, ExistingCluster> existing() {
        Map<String, ExistingCluster> existing = new LinkedHashMap<>();
        for (String name : context.spec().clusterNames()) {
            if (hasContext(name)) {
                existing.put(name, new ExistingCluster(name, true, List.of(), false));
            }
        }
        return existing;
    }

    private boolean hasContext(String cluster) {
        return KubeAccess.config(context.spec().kubeconfig(), cluster).isPresent();
    }

    @Override
    public boolean createsClusters() {
        return false;
    }

    @Override
    public boolean createdHere(String cluster) {
        return false;
    }

    @Override
    public List<Step> prepareSteps() {
        return List.of();
    }

    @Override
    public Step startStep(ClusterSpec cluster) {
        return Step.of("check kube context", cluster.name(), () -> hasContext(cluster.name()), () -> {
            throw new IllegalStateException("the kubeconfig" + context.spec().kubeconfig().map(p -> " " + p).orElse("")
                    + " has no context named '" + cluster.name() + "'; with provider EXISTING mcmesh creates no cluster:"
                    + " create it and name its context like the cluster, or use provider MINIKUBE");
        });
    }

    @Override
    public String apiServerUrl(KubernetesClient client, String nodeIp) {
        String url = KubeAccess.serverUrl(client).replaceAll("/$", "");
        if (url.contains("://127.") || url.contains("://localhost")) {
            LOG.warn("The kubeconfig reaches the API server at {}; other clusters cannot use that address", url);
        }
        return url;
    }

    @Override
    public List<Step> routeSteps(ClusterSpec cluster, ProvisioningContext context, Function<String, Boolean> routesCurrent) {
        return List.of();
    }

    @Override
    public void delete(String cluster) {
        throw new UnsupportedOperationException("provider EXISTING never deletes a cluster");
    }

    @Override
    public void removeSharedResources() {
        // nothing shared was created
    }

    /** Clusters mcmesh did not create need not be minikube profiles, nor reachable from this machine's docker. */
    @Override
    public ImageLoader imageLoader() {
        return ImageLoader.refusing("provider EXISTING loads no images into clusters mcmesh did not create (they need not"
                + " be minikube profiles); push the images to a registry the clusters can pull from (docker tag <image>"
                + " <registry>/<name>:<tag>, then docker push <registry>/<name>:<tag>) and deploy them by that name");
    }

    /** Clusters mcmesh did not create may not be minikube profiles: nothing is pulled for them, and one warning says so. */
    @Override
    public List<Step> istioImagePullSteps(List<String> images) {
        LOG.warn("{}: provider EXISTING loads no images; each cluster pulls {} itself (load them into the clusters"
                + " yourself, or set {}=false)", MeshProperties.PRELOAD_ISTIO_IMAGES, images, MeshProperties.PRELOAD_ISTIO_IMAGES);
        return List.of();
    }

    /** Clusters mcmesh did not create may not be minikube profiles: it loads nothing into them. */
    @Override
    public List<Step> preloadSteps(ClusterSpec cluster, SampleImages images) {
        LOG.warn("[{}] preloadImages: provider EXISTING loads no images; load {} into the cluster yourself", cluster.name(),
                images.distinct());
        return List.of();
    }
}
