package io.github.mcmesh.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.ExecutesInPods;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.MeshViews;
import io.github.mcmesh.spec.MeshSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Mesh} whose clusters are fabric8 mock API servers in CRUD mode, for tests: the
 * production mesh view ({@code provision.MeshView}) of the default spec with these cluster names over mock clients. Counts
 * {@link #clusterOfPod} lookups so attribution caching can be checked. Commands in pods run through
 * the {@link PodExec} given to {@link #executingInPodsWith} (as a provisioned mesh carries its own),
 * which is what {@code MeshAssertions.assertThat(mesh)} probes with; until then every command is
 * rejected as a missing binary (a {@link RecordedPodExec} without answers).
 *
 * <pre>{@code
 * try (MockMesh mesh = MockMesh.start("test-ns", "east", "west")) {
 *     mesh.runningPod("east", "sleep-1", "sleep", "sleep");
 *     mesh.executingInPodsWith(new RecordedPodExec().answer("sleep-1", List.of("curl"), RecordedPodExec.curl(200, "ok")));
 * }
 * }</pre>
 */
public final class MockMesh implements Mesh, ExecutesInPods, AutoCloseable {

    private static final String NODE_IP = "192.168.49.2";

    private final List<KubernetesMockServer> servers;
    private final Mesh view;
    public final AtomicInteger podLookups = new AtomicInteger();
    private volatile PodExec podExec = new RecordedPodExec();

    private MockMesh(List<KubernetesMockServer> servers, Mesh view) {
        this.servers = servers;
        this.view = view;
    }

    public static MockMesh start(String namespace, String... clusterNames) {
        List<KubernetesMockServer> servers = new ArrayList<>();
        List<ClusterConnection> connections = new ArrayList<>();
        for (String name : clusterNames) {
            KubernetesMockServer server = crudServer();
            server.init();
            servers.add(server);
            connections.add(new ClusterConnection(name, server.createClient(), NODE_IP, "https://" + NODE_IP + ":8443"));
        }
        // the spec names the same clusters, so their pod ranges (10.10.0.0/16, 10.20.0.0/16, ...) are the mesh's;
        // a spec needs two clusters, so a one-cluster mock keeps the default spec
        MeshSpec spec = clusterNames.length >= 2 ? MeshSpec.builder().clusters(clusterNames).build() : MeshSpec.defaults();
        return new MockMesh(servers, MeshViews.of(spec, connections, namespace));
    }

    /** A mock mesh of this spec's clusters (e.g. on several networks), each node at its static IP. */
    public static MockMesh start(MeshSpec spec, String namespace) {
        List<KubernetesMockServer> servers = new ArrayList<>();
        List<ClusterConnection> connections = new ArrayList<>();
        for (io.github.mcmesh.spec.ClusterSpec cluster : spec.clusters()) {
            KubernetesMockServer server = crudServer();
            server.init();
            servers.add(server);
            connections.add(new ClusterConnection(cluster.name(), server.createClient(), cluster.staticIp(),
                    "https://" + cluster.staticIp() + ":8443"));
        }
        return new MockMesh(servers, MeshViews.of(spec, connections, namespace));
    }

    /** Runs the commands of probes and assertions made on this mesh through {@code exec} from now on. */
    public MockMesh executingInPodsWith(PodExec exec) {
        this.podExec = java.util.Objects.requireNonNull(exec, "exec");
        return this;
    }

    @Override
    public PodExec podExec() {
        return podExec;
    }

    /** A mock API server in CRUD mode (expectations first, then the in-memory store), over http. */
    public static KubernetesMockServer crudServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        return new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
    }

    /** Creates a Running pod with label {@code app} and these containers in the mesh namespace. */
    public Pod runningPod(String cluster, String name, String app, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace())
                .withLabels(Map.of("app", app)).endMetadata().withNewSpec().endSpec();
        for (String container : containers) {
            pod.editSpec().addNewContainer().withName(container).withImage("example/" + container).endContainer().endSpec();
        }
        pod.withNewStatus().withPhase("Running").withPodIP("10.0.0.1").endStatus();
        return cluster(cluster).client().pods().inNamespace(namespace()).resource(pod.build()).create();
    }

    /**
     * Gives the pod mcmesh's ephemeral probe container, running, as if added by an earlier
     * assertion (ephemeral containers stay for the pod's life).
     */
    public Pod withProbeContainer(String cluster, String pod) {
        var pods = cluster(cluster).client().pods().inNamespace(namespace());
        Pod current = pods.withName(pod).get();
        Pod changed = new PodBuilder(current).editSpec().addNewEphemeralContainer().withName("mcmesh-probe")
                .withImage("docker.io/curlimages/curl:8.16.0").endEphemeralContainer().endSpec()
                .editStatus().addNewEphemeralContainerStatus().withName("mcmesh-probe").withNewState().withNewRunning()
                .endRunning().endState().endEphemeralContainerStatus().endStatus().build();
        return pods.resource(changed).update();
    }

    /** The mock API server behind a cluster, for expectations (e.g. pod logs, which CRUD mode does not serve). */
    public KubernetesMockServer server(String cluster) {
        return servers.get(clusterNames().indexOf(cluster));
    }

    @Override
    public MeshSpec spec() {
        return view.spec();
    }

    @Override
    public String namespace() {
        return view.namespace();
    }

    @Override
    public List<ClusterHandle> clusters() {
        return view.clusters();
    }

    @Override
    public void loadImages(String... images) {
        view.loadImages(images);
    }

    @Override
    public void applyEverywhere(List<? extends HasMetadata> resources) {
        view.applyEverywhere(resources);
    }

    @Override
    public Optional<String> clusterOfPod(String podName) {
        podLookups.incrementAndGet();
        return Mesh.super.clusterOfPod(podName);
    }

    /** The same clusters in another namespace; lookups there are not counted. */
    @Override
    public Mesh inNamespace(String other) {
        return view.inNamespace(other);
    }

    @Override
    public void close() {
        clusters().forEach(cluster -> cluster.client().close());
        servers.forEach(KubernetesMockServer::destroy);
    }
}
