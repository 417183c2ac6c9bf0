package io.github.mcmesh.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Queue;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.workload.Workload;
import io.github.mcmesh.workload.WorkloadDeployer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Mesh} whose clusters are fabric8 mock API servers in CRUD mode, for tests. Counts
 * {@link #clusterOfPod} lookups so attribution caching can be checked.
 *
 * <pre>{@code
 * try (MockMesh mesh = MockMesh.start("test-ns", "east", "west")) {
 *     mesh.runningPod("east", "sleep-1", "sleep", "sleep");
 * }
 * }</pre>
 */
public final class MockMesh implements Mesh, AutoCloseable {

    private final String namespace;
    private final List<KubernetesMockServer> servers;
    private final List<ClusterHandle> clusters;
    public final AtomicInteger podLookups = new AtomicInteger();

    private MockMesh(String namespace, List<KubernetesMockServer> servers, List<ClusterHandle> clusters) {
        this.namespace = namespace;
        this.servers = servers;
        this.clusters = clusters;
    }

    public static MockMesh start(String namespace, String... clusterNames) {
        List<KubernetesMockServer> servers = new ArrayList<>();
        List<ClusterHandle> handles = new ArrayList<>();
        for (String name : clusterNames) {
            KubernetesMockServer server = crudServer();
            server.init();
            servers.add(server);
            handles.add(new Handle(name, server.createClient(), namespace));
        }
        return new MockMesh(namespace, servers, handles);
    }

    /** A mock API server in CRUD mode (expectations first, then the in-memory store), over http. */
    public static KubernetesMockServer crudServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        return new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
    }

    /** Creates a Running pod with label {@code app} and these containers in the mesh namespace. */
    public Pod runningPod(String cluster, String name, String app, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of("app", app)).endMetadata().withNewSpec().endSpec();
        for (String container : containers) {
            pod.editSpec().addNewContainer().withName(container).withImage("example/" + container).endContainer().endSpec();
        }
        pod.withNewStatus().withPhase("Running").withPodIP("10.0.0.1").endStatus();
        return cluster(cluster).client().pods().inNamespace(namespace).resource(pod.build()).create();
    }

    /** The mock API server behind a cluster, for expectations (e.g. pod logs, which CRUD mode does not serve). */
    public KubernetesMockServer server(String cluster) {
        return servers.get(clusterNames().indexOf(cluster));
    }

    @Override
    public MeshSpec spec() {
        return MeshSpec.defaults();
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public List<ClusterHandle> clusters() {
        return clusters;
    }

    @Override
    public java.util.Optional<String> clusterOfPod(String podName) {
        podLookups.incrementAndGet();
        return Mesh.super.clusterOfPod(podName);
    }

    @Override
    public Mesh inNamespace(String other) {
        throw new UnsupportedOperationException("not needed in tests");
    }

    @Override
    public void close() {
        clusters.forEach(cluster -> cluster.client().close());
        servers.forEach(KubernetesMockServer::destroy);
    }

    private record Handle(String name, KubernetesClient client, String namespace) implements ClusterHandle {
        @Override
        public String nodeIp() {
            return "192.168.49.2";
        }

        @Override
        public void deploy(Workload... workloads) {
            new WorkloadDeployer(client, name, namespace, Map.of(), Duration.ofSeconds(5)).deploy(List.of(workloads));
        }

        @Override
        public void apply(HasMetadata... resources) {
            new WorkloadDeployer(client, name, namespace, Map.of(), Duration.ofSeconds(5)).apply(List.of(resources));
        }
    }
}
