package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.mcmesh.internal.istio.MeshHealth.ClusterHealth;
import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.PerCluster;
import io.github.mcmesh.internal.provision.ProvisioningContext;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.TrustMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;

/**
 * Reads a mesh's health through the Kubernetes API: Deployment {@code istiod}, istiod's
 * {@code /debug/clusterz} (asked as {@link Istiod} says, in the pod {@link Istiod#pod} picks;
 * entries {@code id}, {@code secretName}, {@code syncStatus} as in Istio's {@code pkg/cluster/debug.go})
 * and the {@code cacerts} roots; on several networks each cluster's east-west gateway
 * ({@link EastWestGateway#problems}: namespace label, Service with label, port and address,
 * Deployment available, Gateway {@value EastWestGateway#EXPOSE_SERVICES}).
 */
public final class MeshHealthCheck {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(15);

    private final ProvisioningContext context;
    private final PodExec podExec;

    MeshHealthCheck(ProvisioningContext context, PodExec podExec) {
        this.context = context;
        this.podExec = podExec;
    }

    MeshHealth check() {
        List<String> clusterNames = context.spec().clusterNames();
        boolean sharedRoot = context.spec().trust() == TrustMode.SHARED_ROOT_CA;
        // each cluster at once, its clusterz exec and its root included; the roots are compared once all are read
        List<Checked> checked = PerCluster.map("health", clusterNames,
                cluster -> new Checked(check(cluster), sharedRoot ? rootCertificate(cluster) : Optional.empty()));
        List<ClusterHealth> clusters = checked.stream().map(Checked::health).toList();
        List<String> meshProblems = new ArrayList<>();
        if (sharedRoot) {
            Map<String, Optional<String>> roots = new LinkedHashMap<>();
            checked.forEach(c -> roots.put(c.health().cluster(), c.root()));
            roots.forEach((cluster, root) -> {
                if (root.isEmpty()) {
                    meshProblems.add("cluster " + cluster + " has no secret " + IstioInstaller.NAMESPACE + "/"
                            + IstioInstaller.CACERTS + " with " + IstioInstaller.ROOT_CERT_KEY
                            + ": its istiod uses a self-signed CA, so mTLS to other clusters fails and retries go local");
                }
            });
            if (roots.values().stream().flatMap(Optional::stream).distinct().count() > 1) {
                meshProblems.add("the clusters' " + IstioInstaller.CACERTS + " have different roots (" + roots.keySet()
                        + "): cross-cluster mTLS fails and Istio's retries quietly send requests to the local cluster");
            }
        }
        return new MeshHealth(clusters, meshProblems);
    }

    /** One cluster's health and, under a shared root, its {@code cacerts} root. */
    private record Checked(ClusterHealth health, Optional<String> root) {
    }

    private ClusterHealth check(String cluster) {
        KubernetesClient client = context.connection(cluster).client();
        List<String> problems = new ArrayList<>();
        Deployment istiod = client.apps().deployments().inNamespace(IstioInstaller.NAMESPACE)
                .withName(IstioInstaller.ISTIOD_RELEASE).get();
        boolean available = istiod != null && istiod.getStatus() != null
                && Objects.requireNonNullElse(istiod.getStatus().getAvailableReplicas(), 0) > 0;
        if (!available) {
            if (istiod == null) {
                problems.add("no Deployment istio-system/istiod: Istio is not installed");
            } else if (istiod.getSpec() != null && Objects.equals(istiod.getSpec().getReplicas(), 0)) {
                problems.add("Deployment istio-system/istiod is scaled to 0 replicas");
            } else {
                problems.add("Deployment istio-system/istiod has no available replica (image pull, or too little CPU/memory"
                        + " for its requests?)");
            }
        }
        if (SpecFacts.multiNetwork(context.spec())) {
            context.spec().cluster(cluster).ifPresent(spec -> problems.addAll(EastWestGateway.problems(client, context.spec(),
                    spec, context.connection(cluster).nodeIp())));
        }
        Map<String, String> peers = new TreeMap<>();
        Optional<Pod> pod = Istiod.pod(client);
        if (pod.isEmpty()) {
            problems.add("no running istiod pod (label " + Istiod.selector() + ") to ask for /debug/clusterz");
            return new ClusterHealth(cluster, available, peers, problems);
        }
        String podName = pod.get().getMetadata().getName();
        ExecResult result = podExec.exec(client, Istiod.NAMESPACE, podName, Istiod.CONTAINER, EXEC_TIMEOUT,
                Istiod.CLUSTERZ_COMMAND);
        if (!result.succeeded()) {
            problems.add("cannot read /debug/clusterz in pod " + podName + " (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
            return new ClusterHealth(cluster, available, peers, problems);
        }
        try {
            List<Map<String, Object>> entries = Serialization.unmarshal(result.stdout(),
                    new TypeReference<List<Map<String, Object>>>() {
                    });
            // Istio 1.22+ lists the local cluster too (with no secret); only peers matter here.
            Objects.requireNonNullElse(entries, List.<Map<String, Object>>of()).stream()
                    .filter(entry -> !cluster.equals(entry.get("id")))
                    .forEach(entry -> peers.put(String.valueOf(entry.get("id")), String.valueOf(entry.get("syncStatus"))));
        } catch (RuntimeException e) {
            problems.add("/debug/clusterz in pod " + podName + " is not the expected JSON list: " + e.getMessage());
            return new ClusterHealth(cluster, available, peers, problems);
        }
        for (String peer : context.spec().clusterNames()) {
            if (!peer.equals(cluster)) {
                peerProblem(cluster, peer, peers.get(peer)).ifPresent(problems::add);
            }
        }
        if (SpecFacts.multiNetwork(context.spec())) {
            problems.addAll(networkzProblems(cluster, client, podName));
        }
        return new ClusterHealth(cluster, available, peers, problems);
    }

    /**
     * Whether this istiod knows the east-west gateway of every peer on another network at the
     * address the peer's gateway has ({@code /debug/networkz}): without it istiod sends the peer's
     * pod IPs, which are not routed between networks.
     */
    private List<String> networkzProblems(String cluster, KubernetesClient client, String podName) {
        ExecResult result = podExec.exec(client, Istiod.NAMESPACE, podName, Istiod.CONTAINER, EXEC_TIMEOUT,
                Istiod.NETWORKZ_COMMAND);
        if (!result.succeeded()) {
            return List.of("cannot read /debug/networkz in pod " + podName + " (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        List<Map<String, Object>> gateways;
        try {
            gateways = Objects.requireNonNullElse(Serialization.unmarshal(result.stdout(),
                    new TypeReference<List<Map<String, Object>>>() {
                    }), List.of());
        } catch (RuntimeException e) {
            return List.of("/debug/networkz in pod " + podName + " is not the expected JSON list: " + e.getMessage());
        }
        List<String> known = gateways.stream().map(g -> g.get("Network") + "=" + g.get("Addr") + ":" + g.get("Port")).toList();
        String own = context.spec().cluster(cluster).map(ClusterSpec::network).orElse("");
        List<String> problems = new ArrayList<>();
        for (ClusterSpec peer : context.spec().clusters()) {
            if (peer.network().equals(own)) {
                continue;
            }
            Optional<String> address = expectedGatewayAddress(peer);
            if (address.isEmpty()) {
                continue; // the peer's own health names its gateway without an address
            }
            String wanted = peer.network() + "=" + address.get() + ":" + EastWestGateway.PORT;
            // istiod resolves a load balancer's host name (RESOLVE_HOSTNAME_GATEWAYS, default true) and lists the IPs
            boolean hostName = !address.get().matches("[0-9.]+|.*:.*");
            boolean listed = hostName ? gateways.stream().anyMatch(g -> peer.network().equals(g.get("Network")))
                    : known.contains(wanted);
            if (!listed) {
                problems.add("istiod does not know the east-west gateway of network " + peer.network() + " (cluster "
                        + peer.name() + ") at " + address.get() + ":" + EastWestGateway.PORT + " (/debug/networkz lists "
                        + known + "): it sends " + peer.name() + "'s pod IPs instead, which are not routed between networks");
            }
        }
        return problems;
    }

    /** Where a peer's gateway should be: its node IP on clusters mcmesh creates, else what its Service reports. */
    private Optional<String> expectedGatewayAddress(ClusterSpec peer) {
        if (context.spec().provider() == Provider.MINIKUBE) {
            return Optional.of(context.connection(peer.name()).nodeIp());
        }
        return EastWestGateway.service(context.connection(peer.name()).client())
                .flatMap(service -> EastWestGateway.addresses(service).stream().findFirst());
    }

    private Optional<String> peerProblem(String cluster, String peer, String status) {
        String secret = IstioInstaller.NAMESPACE + "/" + RemoteSecrets.secretName(peer);
        if (status == null) {
            return Optional.of("istiod does not know cluster " + peer + ": remote secret " + secret + " is missing in "
                    + cluster + ", or istiod rejected it (see its log: 'create remote cluster failed')");
        }
        return switch (status) {
            case "synced" -> Optional.empty();
            case "timeout" -> Optional.of("cluster " + peer + " is in 'timeout': istiod could not sync it within"
                    + " PILOT_REMOTE_CLUSTER_TIMEOUT; likely " + peer + "'s API server ("
                    + context.connection(peer).apiServerUrl() + ") is unreachable from " + cluster
                    + "'s pods, or the token in " + secret + " is wrong");
            case "syncing" -> Optional.of("cluster " + peer + " is still syncing");
            case "closed" -> Optional.of("cluster " + peer + " is closed: its remote secret " + secret
                    + " was removed or replaced");
            default -> Optional.of("cluster " + peer + " has unknown sync status '" + status + "'");
        };
    }

    private Optional<String> rootCertificate(String cluster) {
        Secret cacerts = context.connection(cluster).client().secrets().inNamespace(IstioInstaller.NAMESPACE)
                .withName(IstioInstaller.CACERTS).get();
        return Optional.ofNullable(cacerts).map(Secret::getData).map(data -> data.get(IstioInstaller.ROOT_CERT_KEY));
    }
}
