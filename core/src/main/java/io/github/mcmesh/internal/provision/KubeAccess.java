package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.mcmesh.internal.exec.WarmUp;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what provisioning needs from a cluster's API: clients by kube context, the node's IP and
 * boot ID, and the pod IPs the CNI really hands out.
 *
 * <pre>{@code
 * KubernetesClient client = KubeAccess.client(Optional.empty(), "mcmesh-east").orElseThrow();
 * String nodeIp = KubeAccess.node(client).internalIp();
 * }</pre>
 */
public final class KubeAccess {

    private static final Logger LOG = LoggerFactory.getLogger(KubeAccess.class);
    private static final java.util.concurrent.atomic.AtomicBoolean CLIENTS_PREPARED = new java.util.concurrent.atomic.AtomicBoolean();
    /** Jackson's YAML parser factory alone, without a mapper: what reading the context names needs. */
    private static final tools.jackson.dataformat.yaml.YAMLFactory YAML = tools.jackson.dataformat.yaml.YAMLFactory.builder().build();

    private KubeAccess() {
    }

    /**
     * A client for the context, from the given kubeconfig or the default one; empty when the
     * kubeconfig has no such context.
     */
    public static Optional<KubernetesClient> client(Optional<Path> kubeconfig, String context) {
        return config(kubeconfig, context).map(KubeAccess::client);
    }

    /**
     * The client configuration of the context, read from the given kubeconfig or the default one
     * (no connection is made); empty when the kubeconfig has no such context.
     */
    static Optional<Config> config(Optional<Path> kubeconfig, String context) {
        if (kubeconfig.isPresent() && !java.nio.file.Files.isRegularFile(kubeconfig.get())) {
            return Optional.empty();
        }
        // a context no file lists needs no fabric8 parse: in a new JVM that parse is about 1 s of class loading
        // and initialisation, which a cold run would spend before its first start
        List<Path> files = kubeconfig.map(List::of).orElseGet(() -> Config.getKubeconfigFilenames().stream().map(Path::of).toList());
        if (lacksContext(files, context)) {
            return Optional.empty();
        }
        Config config = kubeconfig.map(path -> Config.fromKubeconfig(context, path.toFile()))
                .orElseGet(() -> Config.autoConfigure(context));
        boolean known = config.getContexts() != null
                && config.getContexts().stream().anyMatch(named -> named.getName().equals(context));
        return known ? Optional.of(config) : Optional.empty();
    }

    /**
     * Whether none of the kubeconfig files fabric8 would read and merge lists the context; false when
     * one does or when a file cannot be read as a kubeconfig (fabric8's own parse then tells why).
     * Only the names of {@code contexts} are read, with Jackson's YAML parser alone (JSON is YAML too).
     */
    static boolean lacksContext(List<Path> files, String context) {
        for (Path file : files) {
            if (java.nio.file.Files.isRegularFile(file)) {
                Optional<java.util.Set<String>> names = contextNames(file);
                if (names.isEmpty() || names.get().contains(context)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The names of the file's {@code contexts} entries; empty when it is not a kubeconfig this reads. */
    static Optional<java.util.Set<String>> contextNames(Path file) {
        java.util.Set<String> names = new java.util.HashSet<>();
        try (tools.jackson.core.JsonParser parser = YAML.createParser(tools.jackson.core.ObjectReadContext.empty(), file.toFile())) {
            if (parser.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) {
                return parser.currentToken() == null ? Optional.of(names) : Optional.empty();
            }
            while (parser.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                String key = parser.currentName();
                tools.jackson.core.JsonToken value = parser.nextToken();
                if (!key.equals("contexts") || value == tools.jackson.core.JsonToken.VALUE_NULL) {
                    parser.skipChildren();
                } else if (value != tools.jackson.core.JsonToken.START_ARRAY) {
                    return Optional.empty();
                } else {
                    while (parser.nextToken() == tools.jackson.core.JsonToken.START_OBJECT) {
                        while (parser.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                            String field = parser.currentName();
                            if (parser.nextToken() == tools.jackson.core.JsonToken.VALUE_STRING && field.equals("name")) {
                                names.add(parser.getString());
                            } else {
                                parser.skipChildren();
                            }
                        }
                    }
                    if (parser.currentToken() != tools.jackson.core.JsonToken.END_ARRAY) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(names);
        } catch (tools.jackson.core.JacksonException e) {
            return Optional.empty();
        }
    }

    /** A client with this configuration. */
    static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(Shared.SERIALIZATION).build();
    }

    /**
     * Starts, on a daemon thread, reading and writing an empty object of each kind once through the clients'
     * serialization: the first read of a kind in a JVM loads its model classes and builds its deserializers
     * (a Pod list: 0.3 s on a quiet machine, 2 s at load 8), which would otherwise fall into the first step
     * reading it after its cluster started; made while the clusters start, the steps find them built. Never
     * fails: a kind it cannot read is read again by the step that needs it.
     */
    public static void prepareReads(List<Class<?>> kinds) {
        WarmUp.start("mcmesh-prepare-reads", () -> kinds.forEach(kind -> {
            try {
                Shared.SERIALIZATION.asJson(Shared.SERIALIZATION.unmarshal("{}", kind));
            } catch (RuntimeException e) {
                LOG.debug("Could not prepare reading {}: {}", kind.getSimpleName(), e.toString());
            }
        }));
    }

    /**
     * Starts, on a daemon thread and once per JVM, what the first client and its first request cost in a
     * new JVM: fabric8's kubeconfig parse and client set-up and the JDK HTTP client's first exchange, about
     * 1.3 s of class loading and initialisation on a quiet 2-core machine. It lists the nodes of a stand-in
     * API server on the loopback interface that only this thread uses (an ephemeral port, closed again at
     * once), through a client built from a kubeconfig naming it. For a cold run while its clusters start:
     * when no kube context existed before them, the connect steps after the starts would pay it. Never
     * fails: what it could not prepare, the first real client does itself.
     */
    public static void prepareClients() {
        if (!CLIENTS_PREPARED.compareAndSet(false, true)) {
            return;
        }
        WarmUp.start("mcmesh-prepare-clients", () -> {
            try {
                com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1);
                server.createContext("/", exchange -> {
                    byte[] body = "{\"apiVersion\":\"v1\",\"kind\":\"NodeList\",\"items\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
                String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: warm-up\n  cluster:\n    server: http://"
                        + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "\ncontexts:\n- name: warm-up\n"
                        + "  context:\n    cluster: warm-up\n    user: warm-up\ncurrent-context: warm-up\nusers:\n- name: warm-up\n"
                        + "  user: {}\n";
                try (KubernetesClient client = client(Config.fromKubeconfig(kubeconfig))) {
                    client.nodes().list();
                } finally {
                    server.stop(0);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("no stand-in API server on the loopback interface", e);
            }
        });
    }

    /** The server URL of the context's cluster in the kubeconfig, as this JVM reaches it. */
    public static String serverUrl(KubernetesClient client) {
        return client.getConfiguration().getMasterUrl();
    }

    /** What mcmesh needs to know about a cluster's (single) node. */
    public record NodeFacts(String name, String internalIp, String bootId, String region, String zone) {

        /** The node's locality as Istio reads it, e.g. {@code mcmesh-east/mcmesh-east-a}; empty parts when unlabelled. */
        public String locality() {
            return region + "/" + zone;
        }
    }

    /**
     * The first node's InternalIP address, {@code status.nodeInfo.bootID} and locality labels.
     *
     * @throws IllegalStateException when the cluster has no node or the node no InternalIP
     */
    public static NodeFacts node(KubernetesClient client) {
        List<Node> nodes = client.nodes().list().getItems();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("the cluster has no node");
        }
        Node node = nodes.get(0);
        String ip = node.getStatus() == null || node.getStatus().getAddresses() == null ? null
                : node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                        .map(NodeAddress::getAddress).findFirst().orElse(null);
        if (ip == null) {
            throw new IllegalStateException("node " + node.getMetadata().getName() + " reports no InternalIP address");
        }
        String bootId = node.getStatus().getNodeInfo() == null ? "" : node.getStatus().getNodeInfo().getBootID();
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        return new NodeFacts(node.getMetadata().getName(), ip, bootId == null ? "" : bootId,
                labels.getOrDefault(Minikube.REGION_LABEL, ""), labels.getOrDefault(Minikube.ZONE_LABEL, ""));
    }

    /** The pod IPs of CoreDNS ({@code kube-system}, {@code k8s-app=kube-dns}): IPs the CNI really assigned. */
    public static List<String> coreDnsPodIps(KubernetesClient client) {
        return client.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").list().getItems().stream()
                .map(Pod::getStatus).filter(status -> status != null && status.getPodIP() != null)
                .map(status -> status.getPodIP()).toList();
    }

    /**
     * Checks that the pods really get IPs from the cluster's pod range (decision: real pod IPs,
     * not {@code node.spec.podCIDR}, which kubeadm sets even when the CNI ignores it).
     *
     * @throws IllegalStateException explaining why the ranges differ and what to change
     */
    public static void requirePodIpsInRange(ClusterSpec cluster, List<String> podIps) {
        if (podIps.isEmpty()) {
            throw new IllegalStateException("no CoreDNS pod (kube-system, k8s-app=kube-dns) has an IP yet, so the pod"
                    + " range cannot be checked; is the cluster's CNI running?");
        }
        List<String> outside = podIps.stream().filter(ip -> !cluster.podCidr().contains(Cidr.parseAddress(ip))).toList();
        if (!outside.isEmpty()) {
            throw new IllegalStateException("pods get IPs " + outside + " outside the cluster's podCidr " + cluster.podCidr()
                    + ". The CNI ignores kubeadm's pod-network-cidr: minikube's bridge CNI (the default for the docker"
                    + " runtime on Kubernetes >= 1.24) always hands out 10.244.0.0/16, so both clusters' pods get the same"
                    + " addresses and cannot be routed to each other. Use cni=kindnet, which assigns pod IPs from each node's podCIDR;"
                    + " an existing cluster must be recreated for that");
        }
    }

    /** Made on first use, not with this class: reading the kube contexts must not build it. */
    private static final class Shared {
        /**
         * The one serialization of every client mcmesh opens. A client built without one makes its own, and
         * its Jackson mapper builds the deserializer of each kind again on its first read of that kind
         * (for a Pod list 0.1-0.3 s of CPU in a fresh JVM, per client); it is thread-safe and shared by design.
         */
        static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    }
}
