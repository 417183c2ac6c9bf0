package io.github.mcmesh.provision;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.mcmesh.exec.CommandRunner;
import io.github.mcmesh.exec.ProcessCommandRunner;
import io.github.mcmesh.exec.Redactor;
import io.github.mcmesh.exec.Tools;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.spec.ToolPaths;
import io.github.mcmesh.testing.FakeTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A test stand-in for a mesh's surroundings: fake minikube and docker, one CRUD
 * {@link KubernetesMockServer} per cluster behind a kubeconfig whose contexts carry the cluster
 * names, and an in-memory Istio layer whose state outlives one provisioner.
 *
 * <pre>{@code
 * try (MeshFixture fixture = MeshFixture.create(tempDir, MeshSpec.defaults())) {
 *     fixture.provisioner().provision();
 *     assertThat(fixture.fakes().invocationsOf("minikube")).contains(...);
 * }
 * }</pre>
 */
final class MeshFixture implements AutoCloseable {

    private final Path root;
    private final FakeTools fakes;
    private final Map<String, KubernetesMockServer> servers = new LinkedHashMap<>();
    private final Path kubeconfig;
    private final MeshSpec spec;
    final Set<String> istioInstalled = ConcurrentHashMap.newKeySet();
    final Set<String> istioFailing = ConcurrentHashMap.newKeySet();
    final List<String> istioLog = Collections.synchronizedList(new ArrayList<>());
    volatile boolean istioReady = true;
    /** How long each fake Istio step takes (benchmarks). */
    volatile Duration istioStepTime = Duration.ZERO;

    private MeshFixture(Path root, MeshSpec requested) {
        this.root = root;
        this.fakes = FakeTools.install(root);
        for (ClusterSpec cluster : requested.clusters()) {
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(List.of()), false);
            server.init();
            servers.put(cluster.name(), server);
        }
        this.kubeconfig = writeKubeconfig();
        this.spec = requested.toBuilder()
                .tools(ToolPaths.onPath().withSearchPath(fakes.binDirectory().toString()))
                .stateDirectory(root.resolve("mcmesh-state"))
                .kubeconfig(kubeconfig)
                .timeouts(Timeouts.defaults().withCommand(Duration.ofSeconds(20)).withClusterStart(Duration.ofSeconds(20))
                        .withMeshReady(Duration.ofSeconds(5)))
                .build();
        spec.clusters().forEach(c -> nodeAndCoreDns(c.name(), nodeIpOf(c), "boot-1", firstPodIp(c)));
    }

    /** Fakes and mock API servers for the clusters of {@code spec}; the returned fixture's spec points at them. */
    static MeshFixture create(Path root, MeshSpec spec) {
        return new MeshFixture(root, spec);
    }

    /** The spec, rewritten to use the fakes, the mock servers' kubeconfig and short timeouts. */
    MeshSpec spec() {
        return spec;
    }

    /** The fixture's spec with changes, keeping tools, kubeconfig and state directory. */
    MeshSpec spec(UnaryOperator<MeshSpec.Builder> change) {
        return change.apply(spec.toBuilder()).build();
    }

    FakeTools fakes() {
        return fakes;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    KubernetesMockServer server(String cluster) {
        return servers.get(cluster);
    }

    KubernetesClient client(String cluster) {
        return servers.get(cluster).createClient();
    }

    /** Requests the mock API servers received so far, all clusters together. */
    int apiRequests() {
        return servers.values().stream().mapToInt(KubernetesMockServer::getRequestCount).sum();
    }

    CommandRunner runner() {
        return runner(spec);
    }

    CommandRunner runner(MeshSpec other) {
        return new ProcessCommandRunner(new Tools(other.tools()), Map.of("PATH", System.getenv("PATH"),
                "HOME", root.toString()), new Redactor(), Duration.ofSeconds(20));
    }

    MeshProvisioner provisioner() {
        return provisioner(spec);
    }

    MeshProvisioner provisioner(MeshSpec other) {
        return new MeshProvisioner(other, runner(other), (client, ns, pod, container, timeout, command) -> {
            throw new AssertionError("no pod exec expected");
        }).withIstio(context -> istio());
    }

    /** An Istio layer keeping its state in this fixture: one install and one remote-secret step per cluster. */
    IstioLayer istio() {
        return IstioLayer.of(
                cluster -> List.of(Step.of("install istio", cluster, () -> istioInstalled.contains(cluster), () -> {
                    istioLog.add("install " + cluster);
                    pause(istioStepTime);
                    if (istioFailing.contains(cluster)) {
                        throw new IllegalStateException("helm upgrade --install istiod failed (injected)");
                    }
                    istioInstalled.add(cluster);
                })),
                () -> spec.clusterNames().stream().map(cluster -> Step.of("remote secrets", cluster, () -> false,
                        () -> {
                            istioLog.add("remote secrets " + cluster);
                            pause(istioStepTime.dividedBy(20));
                        })).toList(),
                () -> istioReady && istioInstalled.containsAll(spec.clusterNames()),
                cluster -> istioLog.add("uninstall " + cluster));
    }

    private static void pause(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the cluster's node and CoreDNS pod. */
    void nodeAndCoreDns(String cluster, String nodeIp, String bootId, String podIp) {
        try (KubernetesClient client = client(cluster)) {
            client.nodes().withName(cluster).delete();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(cluster).endMetadata()
                    .withNewSpec().withPodCIDR(podIp.substring(0, podIp.lastIndexOf('.')) + ".0/24").endSpec()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress(nodeIp).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(cluster).endAddress()
                    .withNewNodeInfo().withBootID(bootId).endNodeInfo().endStatus().build()).create();
            client.pods().inNamespace("kube-system").withName("coredns-5dd5756b68-x7k2p").delete();
            client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata()
                    .withName("coredns-5dd5756b68-x7k2p").withNamespace("kube-system").addToLabels("k8s-app", "kube-dns")
                    .endMetadata().withNewStatus().withPodIP(podIp).withPhase("Running").endStatus().build()).create();
        }
    }

    ConfigMap marker(String cluster) {
        try (KubernetesClient client = client(cluster)) {
            return client.configMaps().inNamespace(ClusterMarker.NAMESPACE).withName(ClusterMarker.NAME).get();
        }
    }

    static String nodeIpOf(ClusterSpec cluster) {
        return cluster.staticIp().isEmpty() ? "192.168.39." + (10 + Math.abs(cluster.name().hashCode() % 200)) : cluster.staticIp();
    }

    static String firstPodIp(ClusterSpec cluster) {
        return io.github.mcmesh.spec.Cidr.formatAddress(cluster.podCidr().networkAddress() + 2);
    }

    private Path writeKubeconfig() {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        servers.forEach((name, server) -> yaml.append("- name: ").append(name).append("\n  cluster:\n    server: http://")
                .append(server.getHostName()).append(':').append(server.getPort()).append('\n'));
        yaml.append("contexts:\n");
        servers.keySet().forEach(name -> yaml.append("- name: ").append(name).append("\n  context:\n    cluster: ")
                .append(name).append("\n    user: ").append(name).append('\n'));
        yaml.append("users:\n");
        servers.keySet().forEach(name -> yaml.append("- name: ").append(name).append("\n  user:\n    token: test-token-")
                .append(name).append('\n'));
        try {
            return Files.writeString(root.resolve("kubeconfig"), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(KubernetesMockServer::destroy);
    }
}
