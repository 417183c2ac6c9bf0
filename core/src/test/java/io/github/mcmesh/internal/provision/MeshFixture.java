package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.ProcessCommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.Tools;
import io.github.mcmesh.internal.istio.IstioLayers;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.testing.FakeDeploymentController;
import io.github.mcmesh.testing.FakeTools;
import io.github.mcmesh.testing.MockKubeconfig;
import io.github.mcmesh.testing.RecordedPodExec;
import io.github.mcmesh.testing.SucceededCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A test stand-in for a mesh's surroundings: fake minikube, docker and helm, one CRUD
 * {@link KubernetesMockServer} per cluster, and an in-memory Istio layer whose state outlives one
 * provisioner. As on a real machine, a cluster's kube context (named after it) appears in the
 * kubeconfig when the fake {@code minikube start} starts it and goes with {@code minikube delete};
 * before that the kubeconfig holds only a context of the user's own. For the {@code existing}
 * provider every cluster's context is there from the start.
 * <p>
 * The mock servers run no controllers, so the fixture plays the parts of a real cluster that
 * provisioning relies on: the node and CoreDNS pod; the token controller, filling in
 * {@code token} and {@code ca.crt} of a new {@code kubernetes.io/service-account-token} Secret
 * shortly after it is created; and what a {@code helm upgrade --install --wait} that succeeded
 * leaves behind: for {@code istio-base} Istio's CRDs and the {@code istio-reader-service-account},
 * for {@code istiod} an available Deployment {@code istiod}, its running pod
 * ({@link #istiodPod(String)}) and the chart's HorizontalPodAutoscaler {@code istiod} (minReplicas 1).
 *
 * <pre>{@code
 * try (MeshFixture fixture = MeshFixture.create(tempDir, MeshSpec.defaults())) {
 *     fixture.provisioner().provision();                        // in-memory Istio
 *     fixture.provisionerWithRealIstio(podExec).provision();    // IstioInstaller through the fake helm
 *     assertThat(fixture.fakes().invocationsOf("minikube")).contains(...);
 * }
 * }</pre>
 */
public final class MeshFixture implements AutoCloseable {

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
    /** How long the token controller takes to fill in a new service-account token Secret. */
    volatile Duration tokenControllerDelay = Duration.ofMillis(100);
    private final ScheduledExecutorService controllers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "mesh-fixture-controllers");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, KubernetesClient> controllerClients = new ConcurrentHashMap<>();

    private MeshFixture(Path root, MeshSpec requested) {
        this.root = root;
        this.fakes = FakeTools.install(root);
        for (ClusterSpec cluster : requested.clusters()) {
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new ClusterDispatcher(cluster.name()), false);
            server.init();
            servers.put(cluster.name(), server);
        }
        if (requested.provider() == Provider.MINIKUBE) {
            // as on a real machine, each context appears when minikube starts its cluster and goes when it is deleted
            servers.forEach((name, server) -> fakes.minikubeApiServer(name, MockKubeconfig.serverUrl(server), MockKubeconfig.token(name)));
            this.kubeconfig = MockKubeconfig.writeUsersOwn(root.resolve("kubeconfig"));
        } else {
            this.kubeconfig = MockKubeconfig.write(servers, root.resolve("kubeconfig"));
        }
        this.spec = requested.toBuilder()
                .tools(fakes.toolPaths())
                .stateDirectory(root.resolve("mcmesh-state"))
                .kubeconfig(kubeconfig)
                .timeouts(Timeouts.defaults().withCommand(Duration.ofSeconds(20)).withClusterStart(Duration.ofSeconds(20))
                        .withMeshReady(Duration.ofSeconds(5)))
                .build();
        spec.clusters().forEach(c -> nodeAndCoreDns(c.name(), nodeIpOf(c), "boot-1", firstPodIp(c)));
        if (spec.cni().equals("kindnet")) {
            // like the node, the API holds what a started cluster has, here minikube's kindnet
            spec.clusterNames().forEach(this::applyKindnetManifest);
        }
    }

    /** What {@code minikube start} does to kindnet: (re-)applies its manifest, {@code POD_SUBNET=10.244.0.0/16}. */
    private void applyKindnetManifest(String cluster) {
        try (KubernetesClient client = client(cluster)) {
            client.apps().daemonSets().inNamespace("kube-system").resource(kindnetDaemonSet("10.244.0.0/16"))
                    .createOr(NonDeletingOperation::update);
        }
    }

    /** Fakes and mock API servers for the clusters of {@code spec}; the returned fixture's spec points at them. */
    public static MeshFixture create(Path root, MeshSpec spec) {
        return new MeshFixture(root, spec);
    }

    /** The spec, rewritten to use the fakes, the mock servers' kubeconfig and short timeouts. */
    public MeshSpec spec() {
        return spec;
    }

    /** The fixture's spec with changes, keeping tools, kubeconfig and state directory. */
    MeshSpec spec(UnaryOperator<MeshSpec.Builder> change) {
        return change.apply(spec.toBuilder()).build();
    }

    public FakeTools fakes() {
        return fakes;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public KubernetesMockServer server(String cluster) {
        return servers.get(cluster);
    }

    /**
     * The creation id mcmesh recorded for what it created, e.g. {@code cluster-mcmesh-east} or
     * {@code network-mcmesh} (files under {@code <state>/owned/}).
     */
    public String creationId(String record) {
        try {
            return Files.readAllLines(spec.stateDirectory().resolve("owned").resolve(record)).stream()
                    .filter(line -> line.startsWith("creation-id=")).map(line -> line.substring("creation-id=".length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no creation id in " + record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flag carrying the creation id mcmesh recorded for this cluster's profile. */
    public String nodeLabelFlag(String cluster) {
        ClusterSpec c = spec.cluster(cluster).orElseThrow();
        return "--extra-config=kubelet.node-labels=topology.kubernetes.io/region=" + c.region() + ",topology.kubernetes.io/zone="
                + c.zone() + "," + MinikubeProvider.CREATION_ID_LABEL + "=" + creationId("cluster-" + cluster);
    }

    /** The {@code docker network create} mcmesh runs for the default node network, with the recorded creation id. */
    public String networkCreate() {
        return "docker network create --driver=bridge --subnet=" + spec.nodeSubnet() + " --gateway="
                + Docker.gateway(spec.nodeSubnet()) + " -o --ip-masq -o --icc -o com.docker.network.driver.mtu=1500"
                + " --label=created_by.minikube.sigs.k8s.io=true --label=name.minikube.sigs.k8s.io=" + spec.nodeNetwork()
                + " --label=" + MinikubeProvider.NETWORK_CREATION_ID_LABEL + "=" + creationId("network-" + spec.nodeNetwork())
                + " " + spec.nodeNetwork();
    }

    /** minikube as a user runs it by hand: the fakes, with {@code KUBECONFIG} naming the fixture's kubeconfig. */
    Minikube minikube() {
        return new Minikube(runner(), spec.timeouts(), Map.of("KUBECONFIG", kubeconfig.toString()));
    }

    public KubernetesClient client(String cluster) {
        return servers.get(cluster).createClient();
    }

    /** Requests the mock API servers received so far, all clusters together. */
    public int apiRequests() {
        return servers.values().stream().mapToInt(KubernetesMockServer::getRequestCount).sum();
    }

    CommandRunner runner() {
        return runner(spec);
    }

    /**
     * The fake tools through a process runner; a Helm install that succeeded leaves what it installs
     * in the cluster, and a {@code minikube start} what minikube leaves in the API (see
     * {@link #minikubeStarted}).
     */
    public CommandRunner runner(MeshSpec other) {
        return SucceededCommands.then(runner(other, root, this::client), this::minikubeStarted);
    }

    /**
     * What a {@code minikube start -p <cluster>} that succeeded leaves in the cluster's API: the
     * node's InternalIP is the address the fake minikube gave the node ({@code profiles/<name>/ip},
     * a default-bridge address when the network reports no gateway), and with {@code --cni=kindnet}
     * minikube's kindnet DaemonSet as its manifest (re-)applies it, {@code POD_SUBNET=10.244.0.0/16}
     * (kubernetes/minikube pkg/minikube/cni/kindnet.go).
     */
    private void minikubeStarted(Command command) {
        List<String> args = command.arguments();
        if (command.tool() != Tool.MINIKUBE || args.size() < 3 || !args.get(0).equals("start") || !servers.containsKey(args.get(2))) {
            return;
        }
        String cluster = args.get(2);
        if (args.contains("--cni=kindnet")) {
            applyKindnetManifest(cluster);
        }
        try (KubernetesClient client = client(cluster)) {
            String ip = Files.readString(fakes.stateDirectory().resolve("minikube/profiles/" + cluster + "/ip")).strip();
            client.nodes().withName(cluster).edit(node -> {
                node.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP")).forEach(a -> a.setAddress(ip));
                return node;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** minikube's kindnet DaemonSet (pkg/minikube/cni/kindnet.go at v1.37.0-v1.38.1), the parts mcmesh reads. */
    static io.fabric8.kubernetes.api.model.apps.DaemonSet kindnetDaemonSet(String podSubnet) {
        return new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder().withNewMetadata().withName("kindnet")
                .withNamespace("kube-system").addToLabels("app", "kindnet").addToLabels("k8s-app", "kindnet").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "kindnet").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "kindnet").addToLabels("k8s-app", "kindnet").endMetadata()
                .withNewSpec().withHostNetwork(true).addNewContainer().withName("kindnet-cni")
                .withImage("docker.io/kindest/kindnetd:v20260213-ea8e5717")
                .addNewEnv().withName("HOST_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_SUBNET").withValue(podSubnet).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    /** The {@code POD_SUBNET} of the cluster's kindnet DaemonSet, or null when it has none. */
    String kindnetPodSubnet(String cluster) {
        try (KubernetesClient client = client(cluster)) {
            return Kindnet.podSubnet(client).orElse(null);
        }
    }

    /**
     * The fake tools {@code spec.tools()} finds, through a process runner with {@code home} as HOME;
     * a Helm install that succeeded leaves what it installs in the cluster reached through
     * {@code clients} (a new client per call, closed after use). Needs nothing but the API servers'
     * addresses, so another JVM can provision against this fixture's mock servers.
     */
    public static CommandRunner runner(MeshSpec spec, Path home, Function<String, KubernetesClient> clients) {
        CommandRunner processes = new ProcessCommandRunner(new Tools(spec.tools()), Map.of("PATH", System.getenv("PATH"),
                "HOME", home.toString()), new Redactor(), Duration.ofSeconds(20));
        Path timings = home.resolve("state").resolve("timings.log");
        return SucceededCommands.then(processes, command -> {
            long begin = epochMicros();
            if (helmInstalled(command, spec.clusterNames(), clients)) {
                recordTiming(timings, begin, epochMicros(), "fixture-effects-of " + command.tool().executableName() + " "
                        + String.join(" ", command.arguments()));
            }
        });
    }

    /**
     * Appends a span to the fakes' {@code timings.log} in their format ({@code <begin> <end> <line>},
     * epoch seconds with six digits): what the fixture writes for a tool (the chart's objects after a
     * helm install, through a client of its own) is the tool's work, which the real helm does before
     * it exits, so a timing reader counts it as the tool's time, not mcmesh's.
     */
    private static void recordTiming(Path timings, long beginMicros, long endMicros, String line) {
        String record = String.format(Locale.ROOT, "%d.%06d %d.%06d %s%n", beginMicros / 1_000_000, beginMicros % 1_000_000,
                endMicros / 1_000_000, endMicros % 1_000_000, line);
        try {
            Files.writeString(timings, record, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the fixture's timing in " + timings, e);
        }
    }

    private static long epochMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    MeshProvisioner provisioner() {
        return provisioner(spec);
    }

    MeshProvisioner provisioner(MeshSpec other) {
        return new MeshProvisioner(other, runner(other), (client, ns, pod, container, timeout, command) -> {
            throw new AssertionError("no pod exec expected");
        }, context -> istio());
    }

    /** A provisioner with the real {@code IstioInstaller}: charts through the fake helm, health read through {@code podExec}. */
    MeshProvisioner provisionerWithRealIstio(PodExec podExec) {
        return provisionerWithRealIstio(spec, podExec);
    }

    MeshProvisioner provisionerWithRealIstio(MeshSpec other, PodExec podExec) {
        return IstioLayers.provisioner(other, runner(other), podExec);
    }

    /**
     * A pod exec answering istiod's {@code pilot-discovery request GET /debug/clusterz} in each
     * cluster's {@link #istiodPod istiod pod} with every peer {@code synced}, in the JSON of
     * Istio's {@code pkg/cluster/debug.go}. Istio 1.22+ lists the local cluster too (no secret).
     */
    public RecordedPodExec clusterzSynced(boolean listsLocalCluster) {
        return clusterzSynced(spec.clusterNames(), listsLocalCluster);
    }

    /** As {@link #clusterzSynced(boolean)} for these clusters, without a fixture (e.g. in another JVM). */
    public static RecordedPodExec clusterzSynced(List<String> clusters, boolean listsLocalCluster) {
        RecordedPodExec exec = new RecordedPodExec();
        for (String cluster : clusters) {
            String json = clusters.stream().filter(peer -> listsLocalCluster || !peer.equals(cluster))
                    .map(peer -> "{\"id\":\"" + peer + "\",\"secretName\":\""
                            + (peer.equals(cluster) ? "" : "istio-system/istio-remote-secret-" + peer) + "\",\"syncStatus\":\"synced\"}")
                    .collect(Collectors.joining(",", "[", "]"));
            exec.answer(istiodPod(cluster), CLUSTERZ_COMMAND, new PodExec.ExecResult(0, json, ""));
        }
        return exec;
    }

    static final List<String> CLUSTERZ_COMMAND = List.of("pilot-discovery", "request", "GET", "/debug/clusterz");
    static final List<String> NETWORKZ_COMMAND = List.of("pilot-discovery", "request", "GET", "/debug/networkz");

    /**
     * Adds to {@code exec} each istiod's {@code /debug/networkz} listing the east-west gateway of
     * every cluster of the spec at its node IP (192.168.200.2, .3, ... as the fixture assigns them)
     * and port 15443, in the JSON of {@code model.NetworkGateway} (Go field names).
     */
    public RecordedPodExec networkzKnowsEveryGateway(RecordedPodExec exec) {
        String json = java.util.stream.IntStream.range(0, spec.clusters().size()).mapToObj(i -> "{\"Network\":\""
                + spec.clusters().get(i).network() + "\",\"Cluster\":\"" + spec.clusters().get(i).name()
                + "\",\"Addr\":\"192.168.200." + (2 + i) + "\",\"Port\":15443}").collect(Collectors.joining(",", "[", "]"));
        spec.clusterNames().forEach(cluster -> exec.answer(istiodPod(cluster), NETWORKZ_COMMAND, new PodExec.ExecResult(0, json, "")));
        return exec;
    }

    /** The name of the istiod pod the fixture runs in a cluster once {@code helm upgrade --install istiod} succeeded. */
    static String istiodPod(String cluster) {
        return "istiod-6c86784695-" + Integer.toString(Math.floorMod(cluster.hashCode(), 60_466_176) + 60_466_176, 36).substring(1);
    }

    /** The bearer token the token controller puts into the cluster's service-account token Secrets. */
    static String readerToken(String cluster) {
        return "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.reader-of-" + cluster + ".c2lnbmF0dXJl";
    }

    /** The cluster CA the token controller puts into {@code ca.crt}. */
    static String clusterCaPem(String cluster) {
        return "-----BEGIN CERTIFICATE-----\nMIIBfakeCAof" + cluster.replace("-", "") + "\n-----END CERTIFICATE-----\n";
    }

    /** The Istio CRDs {@code istio-base} installs that mcmesh and its tests write (served versions of 1.18 and 1.30). */
    static final List<CustomResourceDefinitionContext> ISTIO_CRDS = List.of(
            crd("networking.istio.io", "v1beta1", "DestinationRule", "destinationrules"),
            crd("networking.istio.io", "v1beta1", "VirtualService", "virtualservices"),
            crd("security.istio.io", "v1beta1", "PeerAuthentication", "peerauthentications"),
            crd("networking.istio.io", "v1beta1", "Gateway", "gateways"));

    private static CustomResourceDefinition definition(CustomResourceDefinitionContext crd) {
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName(crd.getPlural() + "." + crd.getGroup())
                .endMetadata().withNewSpec().withGroup(crd.getGroup()).withScope(crd.getScope())
                .withNewNames().withKind(crd.getKind()).withPlural(crd.getPlural()).endNames()
                .addNewVersion().withName(crd.getVersion()).withServed(true).withStorage(true).endVersion()
                .endSpec().build();
    }

    private static CustomResourceDefinitionContext crd(String group, String version, String kind, String plural) {
        return new CustomResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withScope("Namespaced").build();
    }

    /** What {@code helm upgrade --install <release> ... --kube-context <cluster> --wait} leaves once it returned 0. */
    private static boolean helmInstalled(Command command, List<String> clusters, Function<String, KubernetesClient> clients) {
        List<String> args = command.arguments();
        int context = args.indexOf("--kube-context");
        if (command.tool() != Tool.HELM || args.size() < 3 || !args.get(0).equals("upgrade") || context < 0
                || !clusters.contains(args.get(context + 1))) {
            return false;
        }
        String cluster = args.get(context + 1);
        String release = args.stream().skip(1).filter(arg -> !arg.startsWith("-")).findFirst().orElseThrow();
        try (KubernetesClient client = clients.apply(cluster)) {
            if (release.equals("istio-base")) {
                // created through the API, the mock server learns the kinds as a real one does
                ISTIO_CRDS.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(definition(crd))
                        .createOr(NonDeletingOperation::update));
                client.serviceAccounts().inNamespace("istio-system").resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName("istio-reader-service-account").withNamespace("istio-system").endMetadata().build())
                        .createOr(NonDeletingOperation::update);
            } else if (release.equals("istio-eastwestgateway")) {
                io.github.mcmesh.testing.GatewayChart.render(client, args);
            } else if (release.equals("istiod")) {
                client.apps().deployments().inNamespace("istio-system").resource(new DeploymentBuilder().withNewMetadata()
                        .withName("istiod").withNamespace("istio-system").addToLabels("app", "istiod").endMetadata()
                        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("istio", "pilot").endSelector()
                        .endSpec().withNewStatus().withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                        .withAvailableReplicas(1).endStatus().build()).createOr(NonDeletingOperation::update);
                runningIstiodPod(client, cluster);
                // the chart's templates/autoscale.yaml with its default autoscaleEnabled, autoscaleMin 1, autoscaleMax 5
                client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("istio-system").resource(
                        new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("istiod").withNamespace("istio-system")
                                .addToLabels("app", "istiod").endMetadata().withNewSpec().withMinReplicas(1).withMaxReplicas(5)
                                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("istiod")
                                .endScaleTargetRef().endSpec().build()).createOr(NonDeletingOperation::update);
            }
        }
        return true;
    }

    private static void runningIstiodPod(KubernetesClient client, String cluster) {
        client.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata()
                .withName(istiodPod(cluster)).withNamespace("istio-system").addToLabels("app", "istiod")
                .addToLabels("istio", "pilot").endMetadata().withNewSpec().addNewContainer().withName("discovery")
                .endContainer().endSpec().withNewStatus().withPhase("Running").endStatus().build())
                .createOr(NonDeletingOperation::update);
    }

    /**
     * Plays the Deployment controller for istiod scaled to 0: its pod is gone and no replica is
     * available; once its {@code spec.replicas} is above 0 again (within 10 s), the replicas become
     * available and the pod {@link #istiodPod(String)} runs again.
     */
    CompletableFuture<Void> scaleIstiodToZero(String cluster) {
        try (KubernetesClient client = client(cluster)) {
            client.apps().deployments().inNamespace("istio-system").withName("istiod")
                    .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(0).endSpec().build());
            Deployment scaled = client.apps().deployments().inNamespace("istio-system").withName("istiod").get();
            scaled.setStatus(new DeploymentStatusBuilder().withReplicas(0).withAvailableReplicas(0).build());
            client.apps().deployments().inNamespace("istio-system").resource(scaled).updateStatus();
            client.pods().inNamespace("istio-system").withName(istiodPod(cluster)).delete();
        }
        return CompletableFuture.runAsync(() -> {
            try (KubernetesClient client = client(cluster)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline) {
                    Deployment istiod = client.apps().deployments().inNamespace("istio-system").withName("istiod").get();
                    int replicas = istiod.getSpec().getReplicas();
                    if (replicas > 0) {
                        istiod.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withUpdatedReplicas(replicas)
                                .withReadyReplicas(replicas).withAvailableReplicas(replicas).build());
                        client.apps().deployments().inNamespace("istio-system").resource(istiod).updateStatus();
                        runningIstiodPod(client, cluster);
                        return;
                    }
                    pause(Duration.ofMillis(50));
                }
                throw new IllegalStateException("istiod in " + cluster + " was never scaled up again");
            }
        });
    }

    /** {@link FakeDeploymentController#markAvailableWhenCreated} in a cluster, through a client of its own. */
    public CompletableFuture<Void> markAvailableWhenCreated(String cluster, String namespace, String deployment) {
        KubernetesClient client = client(cluster);
        return FakeDeploymentController.markAvailableWhenCreated(client, namespace, deployment)
                .whenComplete((done, failure) -> client.close());
    }

    /** Plays kube-controller-manager's token controller: fills in a new token Secret a little later. */
    private final class ClusterDispatcher extends KubernetesCrudDispatcher {
        private final String cluster;

        ClusterDispatcher(String cluster) {
            super(List.of());
            this.cluster = cluster;
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            MockResponse response = super.handleCreate(request);
            if (request.getPath().matches("/api/v1/namespaces/[^/]+/secrets(\\?.*)?") && response.getBody() != null) {
                // the request body is consumed by now; the response holds what was stored
                Secret secret = Serialization.unmarshal(new String(response.getBody().getBytes(), StandardCharsets.UTF_8),
                        Secret.class);
                if (secret != null && "kubernetes.io/service-account-token".equals(secret.getType())) {
                    controllers.schedule(() -> fillToken(secret.getMetadata().getNamespace(), secret.getMetadata().getName()),
                            tokenControllerDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            return response;
        }

        private void fillToken(String namespace, String name) {
            KubernetesClient client = controllerClients.computeIfAbsent(cluster, MeshFixture.this::client);
            client.secrets().inNamespace(namespace).withName(name).edit(secret -> {
                secret.setData(new HashMap<>(Map.of("token", base64(readerToken(cluster)), "ca.crt",
                        base64(clusterCaPem(cluster)), "namespace", base64(namespace))));
                return secret;
            });
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A file the in-memory Istio layer creates when it begins to install into the cluster (a fake can wait for it). */
    Path istioInstallBegun(String cluster) {
        return fakes.stateDirectory().resolve(istioInstallBegunName(cluster));
    }

    private static String istioInstallBegunName(String cluster) {
        return "istio-install-begun-" + cluster;
    }

    /** An Istio layer keeping its state in this fixture: one install and one remote-secret step per cluster. */
    IstioLayer istio() {
        return IstioLayer.of(
                cluster -> List.of(Step.of("install istio", cluster, () -> istioInstalled.contains(cluster), () -> {
                    istioLog.add("install " + cluster);
                    fakes.steer(istioInstallBegunName(cluster), "");
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

    @Override
    public void close() {
        controllers.shutdownNow();
        controllerClients.values().forEach(KubernetesClient::close);
        servers.values().forEach(KubernetesMockServer::destroy);
    }
}
