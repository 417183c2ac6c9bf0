package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.ExecutesInPods;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.workload.WorkloadDeployer;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.TrustMode;
import io.github.mcmesh.workload.Workload;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A provisioned mesh scoped to one namespace; see {@link ProvisionedMesh#view(String)}. Samples
 * deployed through it run the spec's sample images ({@link SampleImages}). Its spec, clusters
 * and pod exec are the provisioned mesh's: the view asks it and keeps no copy. Each cluster handle's
 * client is a view of the cluster's client in this namespace (sharing its connections, as fabric8's
 * {@code inNamespace} does), made once per view.
 *
 * <pre>{@code
 * Mesh view = new MeshView(provisioned, "orders-it");
 * view.cluster("mcmesh-east").deploy(Samples.sleep());
 * }</pre>
 */
public final class MeshView implements Mesh, ExecutesInPods {

    /** With plaintext trust the sidecars must not originate mTLS (the write-up's label). */
    static final Map<String, String> PLAINTEXT_POD_LABELS = Map.of("security.istio.io/tlsMode", "disabled");

    private final ProvisionedMesh mesh;
    private final String namespace;
    private final List<ClusterHandle> handles;

    MeshView(ProvisionedMesh mesh, String namespace) {
        this.mesh = mesh;
        this.namespace = namespace;
        this.handles = mesh.connections().stream().<ClusterHandle>map(Handle::new).toList();
    }

    @Override
    public MeshSpec spec() {
        return mesh.spec();
    }

    /** The provisioned mesh's pod exec. */
    @Override
    public PodExec podExec() {
        return mesh.podExec();
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public List<ClusterHandle> clusters() {
        return handles;
    }

    /** Through the provisioned mesh's {@link ImageLoader}, into every cluster of the view. */
    @Override
    public void loadImages(String... images) {
        if (images.length == 0 || Arrays.stream(images).anyMatch(image -> image == null || image.isBlank())) {
            throw new IllegalArgumentException("Mesh.loadImages: name every image as 'docker images' shows it, e.g."
                    + " loadImages(\"registry.local/checkout:dev\"); got " + Arrays.toString(images));
        }
        mesh.imageLoader().load(clusterNames(), Arrays.stream(images).distinct().toList());
    }

    /** Checks the kinds in every cluster first, so a kind one cluster lacks leaves all of them unchanged. */
    @Override
    public void applyEverywhere(HasMetadata... resources) {
        applyEverywhere(List.of(resources));
    }

    @Override
    public void applyEverywhere(List<? extends HasMetadata> resources) {
        handles.forEach(handle -> ((Handle) handle).deployer().checkServed(resources));
        handles.forEach(handle -> handle.apply(resources));
    }

    @Override
    public Mesh inNamespace(String other) {
        return new MeshView(mesh, other);
    }

    @Override
    public String toString() {
        return "Mesh " + spec().identity() + " in namespace " + namespace;
    }

    private final class Handle implements ClusterHandle {
        private final ClusterConnection connection;
        private final KubernetesClient client;

        Handle(ClusterConnection connection) {
            this.connection = connection;
            this.client = connection.client().adapt(NamespacedKubernetesClient.class).inNamespace(namespace);
        }

        @Override
        public String name() {
            return connection.name();
        }

        @Override
        public KubernetesClient client() {
            return client;
        }

        @Override
        public String nodeIp() {
            return connection.nodeIp();
        }

        @Override
        public String namespace() {
            return namespace;
        }

        @Override
        public void deploy(Workload... workloads) {
            SampleImages images = new SampleImages(spec());
            deployer().deploy(Arrays.stream(workloads).map(images::apply).toList());
        }

        @Override
        public void apply(HasMetadata... resources) {
            deployer().apply(List.of(resources));
        }

        @Override
        public void apply(List<? extends HasMetadata> resources) {
            deployer().apply(resources);
        }

        @Override
        public void scale(String name, int replicas) {
            deployer().scale(name, replicas);
        }

        private WorkloadDeployer deployer() {
            MeshSpec spec = spec();
            Map<String, String> labels = spec.trust() == TrustMode.PLAINTEXT ? PLAINTEXT_POD_LABELS : Map.of();
            return new WorkloadDeployer(connection.client(), connection.name(), namespace, labels,
                    spec.timeouts().workloadReady());
        }

        @Override
        public String toString() {
            return connection.name() + " (node " + connection.nodeIp() + ", namespace " + namespace + ")";
        }
    }
}
