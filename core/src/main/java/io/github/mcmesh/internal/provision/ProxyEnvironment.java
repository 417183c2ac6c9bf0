package io.github.mcmesh.internal.provision;

import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxy variables for minikube behind an HTTP proxy. minikube hands {@code HTTP_PROXY},
 * {@code HTTPS_PROXY} and {@code NO_PROXY} (either case, pkg/minikube/proxy/proxy.go
 * {@code EnvVars}) to the node's container runtime, and its handbook
 * (site/content/en/docs/handbook/vpn_and_proxy.md) asks for the node and service ranges in
 * {@code NO_PROXY}, or minikube "may not be able to access resources within the VM". So with a
 * proxy set, {@code NO_PROXY} and {@code no_proxy} become the user's entries plus, for every
 * cluster, its pod range, its service range and, with a container driver, the node subnet and
 * its static IP; the clusters must reach each other directly. A VM driver's node IP is only known
 * once it runs: minikube adds it itself (pkg/minikube/node/start.go, {@code proxy.ExcludeIP}).
 *
 * <pre>{@code
 * Map<String, String> env = ProxyEnvironment.forMinikube(spec, System.getenv());
 * // {HTTPS_PROXY=http://proxy:3128, NO_PROXY=localhost,10.10.0.0/16,10.255.10.0/24,...}
 * }</pre>
 */
public final class ProxyEnvironment {

    /** The proxy variables minikube passes on (proxy.go {@code EnvVars}). */
    public static final List<String> VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy",
            "https_proxy", "no_proxy");
    private static final List<String> PROXIES = List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy");

    private ProxyEnvironment() {
    }

    /**
     * The variables to set on every minikube command: empty without a proxy, else the proxy
     * variables of {@code processEnvironment} with the mesh's ranges and node addresses added to
     * both {@code NO_PROXY} and {@code no_proxy}.
     */
    public static Map<String, String> forMinikube(MeshSpec spec, Map<String, String> processEnvironment) {
        if (PROXIES.stream().noneMatch(name -> !processEnvironment.getOrDefault(name, "").isBlank())) {
            return Map.of();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        PROXIES.stream().filter(processEnvironment::containsKey).forEach(name -> variables.put(name, processEnvironment.get(name)));
        Set<String> noProxy = new LinkedHashSet<>();
        for (String name : List.of("NO_PROXY", "no_proxy")) {
            Arrays.stream(processEnvironment.getOrDefault(name, "").split(",")).map(String::strip)
                    .filter(entry -> !entry.isEmpty()).forEach(noProxy::add);
        }
        noProxy.addAll(meshAddresses(spec));
        String value = String.join(",", noProxy);
        variables.put("NO_PROXY", value);
        variables.put("no_proxy", value);
        return variables;
    }

    private static List<String> meshAddresses(MeshSpec spec) {
        List<String> addresses = new ArrayList<>();
        if (SpecFacts.usesContainerDriver(spec)) {
            addresses.add(spec.nodeSubnet().toString());
        }
        for (ClusterSpec cluster : spec.clusters()) {
            addresses.add(cluster.podCidr().toString());
            addresses.add(cluster.serviceCidr().toString());
            if (SpecFacts.usesContainerDriver(spec)) {
                addresses.add(cluster.staticIp());
            }
        }
        return addresses;
    }
}
