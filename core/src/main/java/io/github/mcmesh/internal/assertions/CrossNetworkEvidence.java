package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.istio.EastWestGateway;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.probe.SourcePod;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the caller's sidecar makes of the called service on a mesh with several networks: its
 * endpoints as Envoy lists them ({@code pilot-agent request GET clusters}, the admin text
 * {@code <cluster>::<host>::<stat>::<value>}), each told as a local pod, a peer's east-west gateway
 * ({@code <gateway address>:15443}, what istiod puts in place of a reachable network's endpoints,
 * pilot/pkg/xds ep_filters.go {@code EndpointsByNetworkFilter}) or a peer's pod IP (istiod knew no
 * gateway for that network); then the hints for the multi-network traps that fit.
 *
 * <pre>{@code
 * CrossNetworkEvidence.of(mesh, caller, "http://helloworld:5000/hello", podExec).ifPresent(System.out::println);
 * }</pre>
 */
public final class CrossNetworkEvidence {

    /** Envoy's clusters and endpoints, asked through the sidecar's agent (admin port 15000). */
    static final List<String> CLUSTERS_COMMAND = List.of("pilot-agent", "request", "GET", "clusters");
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(15);

    private CrossNetworkEvidence() {
    }

    /**
     * The evidence and hints for a failed call from {@code caller} to {@code url}; empty on a mesh
     * with one network. Reading the sidecar is best effort: a failed read is reported as such.
     */
    public static Optional<String> of(Mesh mesh, SourcePod caller, String url, PodExec exec) {
        MeshSpec spec = mesh.spec();
        if (!SpecFacts.multiNetwork(spec)) {
            return Optional.empty();
        }
        PodExec.ExecResult result;
        try {
            result = exec.exec(caller.client(), caller.namespace(), caller.name(), SourcePod.SIDECAR, EXEC_TIMEOUT,
                    CLUSTERS_COMMAND);
        } catch (RuntimeException e) {
            return Optional.of("Could not read the endpoints of the caller's sidecar (" + String.join(" ", CLUSTERS_COMMAND)
                    + " in " + caller.name() + "/" + SourcePod.SIDECAR + "): " + e.getMessage());
        }
        if (!result.succeeded()) {
            return Optional.of("Could not read the endpoints of the caller's sidecar (" + String.join(" ", CLUSTERS_COMMAND)
                    + " in " + caller.name() + "/" + SourcePod.SIDECAR + ", exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return Optional.of(describe(spec, caller.cluster(), caller.namespace(), url, result.stdout(), gatewayAddresses(mesh)));
    }

    /** Each peer cluster's gateway address: its node IP on clusters mcmesh creates, else what its Service reports. */
    private static Map<String, String> gatewayAddresses(Mesh mesh) {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (ClusterHandle cluster : mesh.clusters()) {
            if (mesh.spec().provider() == Provider.MINIKUBE) {
                addresses.put(cluster.name(), cluster.nodeIp());
            } else {
                try {
                    EastWestGateway.service(cluster.client()).flatMap(s -> EastWestGateway.addresses(s).stream().findFirst())
                            .ifPresent(address -> addresses.put(cluster.name(), address));
                } catch (RuntimeException e) {
                    // the evidence then cannot tell this peer's gateway; the other lines still stand
                }
            }
        }
        return addresses;
    }

    /** One endpoint of the Envoy cluster: its address, health and failed connections. */
    private record Endpoint(String address, String health, long connectFailures) {
    }

    /**
     * The evidence from Envoy's clusters text.
     *
     * @param gateways each cluster's east-west gateway address (without port), by cluster name
     */
    static String describe(MeshSpec spec, String callerCluster, String callerNamespace, String url, String clustersText,
            Map<String, String> gateways) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String envoyCluster = "outbound|" + port + "||" + serviceHost(host, callerNamespace);
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (String line : clustersText.split("\\R")) {
            String[] parts = line.split("::");
            if (parts.length < 4 || !parts[0].equals(envoyCluster)) {
                continue;
            }
            Endpoint known = endpoints.getOrDefault(parts[1], new Endpoint(parts[1], "", 0));
            if (parts[2].equals("health_flags")) {
                known = new Endpoint(known.address(), parts[3], known.connectFailures());
            } else if (parts[2].equals("cx_connect_fail")) {
                known = new Endpoint(known.address(), known.health(), parseLong(parts[3]));
            }
            endpoints.put(parts[1], known);
        }
        StringBuilder text = new StringBuilder("Endpoints of " + envoyCluster + " in the caller's sidecar ("
                + String.join(" ", CLUSTERS_COMMAND) + "):");
        if (endpoints.isEmpty()) {
            text.append(Evidence.NL).append("  none");
        }
        ClusterSpec caller = spec.cluster(callerCluster).orElseThrow();
        List<String> peersViaGateway = new ArrayList<>();
        List<String> peersByPodIp = new ArrayList<>();
        long gatewayFailures = 0;
        for (Endpoint endpoint : endpoints.values()) {
            String address = endpoint.address();
            String ip = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
            String endpointPort = address.contains(":") ? address.substring(address.lastIndexOf(':') + 1) : "";
            String what = "not in any cluster's pod range, nor a gateway";
            for (ClusterSpec cluster : spec.clusters()) {
                if (!cluster.name().equals(callerCluster) && ip.equals(gateways.get(cluster.name()))
                        && endpointPort.equals(Integer.toString(EastWestGateway.PORT))) {
                    what = "the east-west gateway of " + cluster.name() + " (network " + cluster.network() + ")";
                    peersViaGateway.add(cluster.name());
                    gatewayFailures += endpoint.connectFailures();
                    break;
                }
                if (inRange(cluster.podCidr(), ip)) {
                    what = cluster.name().equals(callerCluster) ? "a pod of " + cluster.name() + " (the caller's cluster)"
                            : "a pod IP of " + cluster.name() + " (network " + cluster.network() + "), not its gateway";
                    if (!cluster.name().equals(callerCluster) && !cluster.network().equals(caller.network())) {
                        peersByPodIp.add(cluster.name());
                    }
                    break;
                }
            }
            text.append(Evidence.NL).append("  ").append(address).append(": ").append(what)
                    .append(endpoint.health().isEmpty() ? "" : ", " + endpoint.health())
                    .append(endpoint.connectFailures() > 0 ? ", cx_connect_fail " + endpoint.connectFailures() : "");
        }
        List<String> remote = SpecFacts.onOtherNetworks(spec, callerCluster);
        text.append(Evidence.NL).append("Remote endpoints point at the peer's gateway: ")
                .append(peersViaGateway.containsAll(remote) ? "yes" : peersViaGateway.isEmpty() ? "no" : "only for "
                        + peersViaGateway);
        text.append(Hints.forCrossNetwork(callerCluster, remote, peersViaGateway, peersByPodIp, gatewayFailures));
        return text.toString();
    }

    /** The Service's cluster-local name as Envoy's outbound clusters carry it: {@code name.namespace.svc.cluster.local}. */
    static String serviceHost(String host, String callerNamespace) {
        if (host.endsWith(".cluster.local")) {
            return host;
        }
        if (host.endsWith(".svc")) {
            return host + ".cluster.local";
        }
        return (host.contains(".") ? host : host + "." + callerNamespace) + ".svc.cluster.local";
    }

    private static boolean inRange(Cidr range, String ip) {
        try {
            return range.contains(Cidr.parseAddress(ip));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
