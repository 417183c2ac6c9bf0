package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.Tools;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.spec.ClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where clusters come from: {@link MinikubeProvider} creates and deletes minikube profiles,
 * {@link ExistingProvider} uses kube contexts as they are. The provisioner chooses one for the
 * spec ({@code MeshProvisioner}); a provider reads the spec from its {@link ProvisioningContext}.
 *
 * <pre>{@code
 * ClusterProvider provider = new MinikubeProvider(context);
 * provider.preflight();
 * Map<String, ClusterProvider.ExistingCluster> present = provider.existing();
 * }</pre>
 */
public interface ClusterProvider {

    /**
     * A cluster of the spec that exists already.
     *
     * @param name the cluster name
     * @param running whether it runs
     * @param differences how the cluster as it is differs from the spec (recorded = the cluster, requested = the spec)
     * @param createdHere whether it proves that mcmesh created it on this machine (see {@link #createdHere(String)})
     */
    record ExistingCluster(String name, boolean running, List<Fingerprint.Change> differences, boolean createdHere) {
    }

    /** Checks what must hold before anything changes (tools present and recent enough, shared resources consistent). */
    void preflight();

    /** The tools this provider runs itself (the Istio layer's come on top); none by default. */
    default List<Tool> requiredTools() {
        return List.of();
    }

    /**
     * What keeps this provider from working although its tools are there (e.g. a Docker engine
     * that does not run), found before any test runs; none by default.
     *
     * @param tools where the tools are
     * @param once asks a check once per key (e.g. per executable and JVM) and returns its answer, empty for none
     */
    default List<String> preflightProblems(Tools tools, BiFunction<String, Supplier<String>, String> once) {
        return List.of();
    }

    /** The clusters of the spec that exist now, by name. */
    Map<String, ExistingCluster> existing();

    /** Whether this provider creates and deletes clusters at all. */
    boolean createsClusters();

    /**
     * Whether the cluster proves that mcmesh created it on this machine: the creation id it carries
     * matches the one recorded here when it was created. A record alone proves nothing (the
     * cluster may have been deleted and made again by hand), nor does a marker.
     */
    boolean createdHere(String cluster);

    /** Mesh-wide steps before the clusters start, e.g. the shared node network. */
    List<Step> prepareSteps();

    /** Makes the cluster exist and run. */
    Step startStep(ClusterSpec cluster);

    /** The API server URL the other clusters use to reach this one. */
    String apiServerUrl(KubernetesClient client, String nodeIp);

    /**
     * The steps routing the peers' pod and service ranges to this cluster's node.
     *
     * @param routesCurrent whether the routes are known to be in place (same node boot as when last applied)
     */
    List<Step> routeSteps(ClusterSpec cluster, ProvisioningContext context, Function<String, Boolean> routesCurrent);

    /**
     * Checks the node a cluster step brought up against the spec, e.g. that it got its static IP.
     *
     * @throws IllegalStateException naming what differs and why
     */
    default void checkNode(ClusterSpec cluster, KubeAccess.NodeFacts node) {
    }

    /**
     * The routes to the peers each cluster's node lacks now, by cluster (clusters lacking none are
     * left out), read on the warm path; providers that route nothing return none.
     */
    default Map<String, List<String>> missingRoutes(ProvisioningContext context) {
        return Map.of();
    }

    /**
     * The steps loading these images into the running cluster so no test pulls them; providers
     * that cannot load images return none.
     */
    default List<Step> preloadSteps(ClusterSpec cluster, SampleImages images) {
        return List.of();
    }

    /**
     * The mesh-wide steps putting Istio's images ({@link IstioLayer#images()}) into this machine's
     * docker daemon once, run beside the cluster starts for {@link #istioImageLoadSteps}; providers
     * that cannot load images return none.
     */
    default List<Step> istioImagePullSteps(List<String> images) {
        return List.of();
    }

    /**
     * The steps loading Istio's images from this machine's docker daemon into the cluster, run once its
     * start and {@link #istioImagePullSteps} are done, beside its connect and routes, before its Istio
     * install; none by default.
     */
    default List<Step> istioImageLoadSteps(ClusterSpec cluster, List<String> images) {
        return List.of();
    }

    /** How {@code Mesh.loadImages} puts images built on this machine into this provider's clusters. */
    ImageLoader imageLoader();

    /** Deletes a cluster mcmesh created; refuses one that does not prove it ({@link #createdHere(String)}). */
    void delete(String cluster);

    /**
     * Deletes the cluster when it proves mcmesh created it (one check, then the delete).
     *
     * @return whether it was deleted
     */
    default boolean deleteIfCreatedHere(String cluster) {
        if (!createdHere(cluster)) {
            return false;
        }
        delete(cluster);
        return true;
    }

    /** Removes what the clusters shared (the node network), if mcmesh created it. */
    void removeSharedResources();
}
