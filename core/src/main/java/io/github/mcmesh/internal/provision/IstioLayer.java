package io.github.mcmesh.internal.provision;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Istio part of provisioning as the provisioner sees it: install steps per cluster, the
 * remote-secret exchange, a health verdict and the uninstall. This package defines the port and
 * never imports {@code internal.istio}: the real layer ({@code IstioLayers.of(IstioInstaller)})
 * lives there and depends on this package's {@link Step} and {@link ProvisioningContext}; tests
 * plug in their own steps.
 *
 * <pre>{@code
 * MeshProvisioner provisioner = new MeshProvisioner(spec, runner, podExec,
 *     context -> IstioLayer.of(cluster -> List.of(myStep(cluster)), List::of, () -> true, cluster -> { }));
 * }</pre>
 */
public interface IstioLayer {

    /** The idempotent steps installing Istio into one cluster, in order. */
    List<Step> installSteps(String cluster);

    /**
     * Checks that run beside the cluster starts, in the same phase, so that a failing one stops the
     * starts at once (e.g. that the Istio charts exist at the mesh's version); none by default.
     */
    default List<Step> preflightSteps() {
        return List.of();
    }

    /**
     * Starts, in the background, what the install steps will need and no cluster has to exist for
     * (the mesh's CA keys, the chart tool's version): called once provisioning has decided what to
     * change, before the clusters start; nothing by default.
     */
    default void prepare() {
    }

    /**
     * The images the install steps make every cluster pull (istiod's, the sidecar's), for
     * {@code mcmesh.preload.istio.images}; none by default.
     */
    default List<String> images() {
        return List.of();
    }

    /** The idempotent steps giving every istiod the other clusters' API servers. */
    List<Step> remoteSecretSteps();

    /**
     * For each of {@link #remoteSecretSteps()}, the install steps it reads the results of, so it
     * runs as soon as those are done rather than after every cluster's installation; by default
     * every install step of every cluster.
     *
     * @param installSteps each cluster's {@link #installSteps}, as the plan holds them
     */
    default Map<Step, List<Step>> remoteSecretPrerequisites(List<Step> remoteSecretSteps, Map<String, List<Step>> installSteps) {
        List<Step> all = installSteps.values().stream().flatMap(List::stream).toList();
        Map<Step, List<Step>> prerequisites = new IdentityHashMap<>();
        remoteSecretSteps.forEach(step -> prerequisites.put(step, all));
        return prerequisites;
    }

    /** Whether every istiod is ready and sees every peer cluster synced. */
    boolean ready();

    /** What {@link #ready()} found, for logs and failures. */
    default String describeHealth() {
        return ready() ? "ready" : "not ready";
    }

    /** Removes Istio from a cluster mcmesh does not own (the {@code existing} provider's teardown). */
    void uninstall(String cluster);

    /**
     * Deletes what this layer keeps outside the clusters for the mesh (the root CA key), once the
     * whole mesh is torn down; nothing by default.
     */
    default void deleteMeshState() {
    }

    /** An Istio layer from functions. */
    static IstioLayer of(java.util.function.Function<String, List<Step>> install, java.util.function.Supplier<List<Step>> remoteSecrets,
            java.util.function.BooleanSupplier ready, java.util.function.Consumer<String> uninstall) {
        return new IstioLayer() {
            @Override
            public List<Step> installSteps(String cluster) {
                return install.apply(cluster);
            }

            @Override
            public List<Step> remoteSecretSteps() {
                return remoteSecrets.get();
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }

            @Override
            public void uninstall(String cluster) {
                uninstall.accept(cluster);
            }
        };
    }
}
