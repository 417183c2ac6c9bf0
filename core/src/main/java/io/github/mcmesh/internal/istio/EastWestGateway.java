package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.github.mcmesh.internal.provision.ClusterMarker;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The east-west gateway of one cluster of a mesh on several networks, as Istio lays it out (the
 * one owner of these facts; istio/istio at 1.18.2 and 1.30.3):
 * <ul>
 * <li>the label {@value #NETWORK_LABEL} on {@code istio-system}, read by istiod's registry of
 *     every cluster for pods without their own label ({@code controller/network.go
 *     setNetworkFromNamespace});</li>
 * <li>Helm release {@value #RELEASE} of the {@code gateway} chart with {@code networkGateway=<net>},
 *     which labels the Service with the network, sets {@code ISTIO_META_REQUESTED_NETWORK_VIEW} and
 *     opens 15021/15443/15012/15017 ({@code manifests/charts/gateway/templates/service.yaml},
 *     {@code deployment.yaml}); the release name makes the pods' label {@code istio=eastwestgateway};</li>
 * <li>its address: on clusters mcmesh creates {@code service.externalIPs=[<node IP>]} with
 *     {@code service.type=ClusterIP}, because minikube has no load balancer (a LoadBalancer stays
 *     {@code <pending>} and Helm 3's {@code --wait} waits for it until the timeout), istiod takes
 *     {@code spec.externalIPs} as the gateway address for any Service type
 *     ({@code kube/conversion.go ConvertService}), the node IP is what the peers' pods already reach
 *     (the API server at {@code <node IP>:8443}), and the NodePort alternative needs a node
 *     {@code ExternalIP}, which minikube nodes do not have; on clusters mcmesh did not create, the
 *     chart's LoadBalancer and the address its load balancer reports;</li>
 * <li>the Gateway {@value #EXPOSE_SERVICES} ({@code samples/multicluster/expose-services.yaml}):
 *     port 15443, TLS {@code AUTO_PASSTHROUGH}, hosts {@code *.local}, as
 *     {@code networking.istio.io/v1beta1}, which 1.18 serves and 1.30 still does ({@code v1} only from
 *     1.22).</li>
 * </ul>
 *
 * <pre>{@code
 * HelmValues values = EastWestGateway.values(spec, spec.cluster("mcmesh-east").orElseThrow(), "192.168.200.2");
 * // --set networkGateway=network1 --set service.type=ClusterIP --set-json service.externalIPs=["192.168.200.2"]
 * }</pre>
 */
public final class EastWestGateway {

    /** The release, and with it the Service, Deployment and ServiceAccount name ({@code gateway.name}). */
    public static final String RELEASE = "istio-eastwestgateway";
    /** The chart of {@link #RELEASE}, published beside {@code base} and {@code istiod}. */
    public static final String CHART = "gateway";
    /** The gateway pods' label: {@code istio: <release name without "istio-">} ({@code gateway.selectorLabels}). */
    public static final String POD_LABEL = "istio";
    public static final String POD_LABEL_VALUE = "eastwestgateway";
    /** The network label, on the namespace {@code istio-system} and on the gateway Service. */
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    /** {@code DefaultNetworkGatewayPort} (pilot/pkg/serviceregistry/kube/controller/controller.go). */
    public static final int PORT = 15443;
    /** The Gateway exposing every {@code *.local} service on {@link #PORT} by SNI. */
    public static final String EXPOSE_SERVICES = "cross-network-gateway";
    static final ResourceDefinitionContext GATEWAYS = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1beta1").withKind("Gateway").withPlural("gateways")
            .withNamespaced(true).build();

    private EastWestGateway() {
    }

    /** {@code istio=eastwestgateway}, as messages name the selector. */
    public static String selector() {
        return POD_LABEL + "=" + POD_LABEL_VALUE;
    }

    /**
     * The gateway chart's values for this cluster: {@code networkGateway}, and on clusters mcmesh
     * creates the node IP as the Service's only external IP on a ClusterIP Service (see the class
     * comment for why).
     */
    static HelmValues values(MeshSpec spec, ClusterSpec cluster, String nodeIp) {
        HelmValues values = HelmValues.empty().set("networkGateway", cluster.network());
        if (spec.provider() == Provider.MINIKUBE) {
            values = values.set("service.type", "ClusterIP").setJson("service.externalIPs", "[\"" + nodeIp + "\"]");
        }
        return values;
    }

    /** The namespace {@code istio-system} with the cluster's network label. */
    static Namespace labelledNamespace(String network) {
        return new NamespaceBuilder().withNewMetadata().withName(Istiod.NAMESPACE).addToLabels(NETWORK_LABEL, network)
                .endMetadata().build();
    }

    /** Whether {@code istio-system} exists with this network label. */
    static boolean namespaceLabelled(KubernetesClient client, String network) {
        Namespace namespace = client.namespaces().withName(Istiod.NAMESPACE).get();
        return namespace != null && network.equals(labels(namespace.getMetadata().getLabels()).get(NETWORK_LABEL));
    }

    /**
     * Creates {@code istio-system} with the label, or sets the label on the one there by a patch
     * (an update with a new object would drop the labels and annotations others put on it).
     */
    static void labelNamespace(KubernetesClient client, String network) {
        if (client.namespaces().withName(Istiod.NAMESPACE).get() == null) {
            client.namespaces().resource(labelledNamespace(network)).createOr(NonDeletingOperation::update);
        } else {
            client.namespaces().withName(Istiod.NAMESPACE).edit(namespace -> new NamespaceBuilder(namespace).editMetadata()
                    .addToLabels(NETWORK_LABEL, network).endMetadata().build());
        }
    }

    /** The Gateway of {@code samples/multicluster/expose-services.yaml} in {@code istio-system}. */
    static GenericKubernetesResource exposeServices() {
        return new GenericKubernetesResourceBuilder().withApiVersion(GATEWAYS.getGroup() + "/" + GATEWAYS.getVersion())
                .withKind(GATEWAYS.getKind()).withNewMetadata().withName(EXPOSE_SERVICES).withNamespace(Istiod.NAMESPACE)
                .addToLabels(ClusterMarker.MANAGED_BY_LABEL, ClusterMarker.MANAGED_BY_MCMESH).endMetadata()
                .addToAdditionalProperties("spec", exposeServicesSpec()).build();
    }

    private static Map<String, Object> exposeServicesSpec() {
        return Map.of("selector", Map.of(POD_LABEL, POD_LABEL_VALUE), "servers", List.of(Map.of(
                "port", Map.of("number", PORT, "name", "tls", "protocol", "TLS"),
                "tls", Map.of("mode", "AUTO_PASSTHROUGH"),
                "hosts", List.of("*.local"))));
    }

    /** Whether the Gateway {@value #EXPOSE_SERVICES} is there with mcmesh's spec. */
    static boolean exposeServicesHolds(KubernetesClient client) {
        GenericKubernetesResource existing = client.genericKubernetesResources(GATEWAYS).inNamespace(Istiod.NAMESPACE)
                .withName(EXPOSE_SERVICES).get();
        return existing != null && exposeServicesSpec().equals(existing.getAdditionalProperties().get("spec"));
    }

    static void applyExposeServices(KubernetesClient client) {
        client.genericKubernetesResources(GATEWAYS).inNamespace(Istiod.NAMESPACE).resource(exposeServices())
                .createOr(NonDeletingOperation::update);
    }

    /** The gateway Service, if there. */
    public static Optional<Service> service(KubernetesClient client) {
        return Optional.ofNullable(client.services().inNamespace(Istiod.NAMESPACE).withName(RELEASE).get());
    }

    /**
     * The addresses istiod takes for the gateway from its Service, in its order: the load
     * balancer's ingress IPs or host names, then {@code spec.externalIPs} ({@code ConvertService}).
     */
    public static List<String> addresses(Service service) {
        List<String> addresses = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null
                && "LoadBalancer".equals(service.getSpec().getType())) {
            for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
                if (ingress.getIp() != null && !ingress.getIp().isEmpty()) {
                    addresses.add(ingress.getIp());
                } else if (ingress.getHostname() != null && !ingress.getHostname().isEmpty()) {
                    addresses.add(ingress.getHostname());
                }
            }
        }
        if (service.getSpec() != null && service.getSpec().getExternalIPs() != null) {
            addresses.addAll(service.getSpec().getExternalIPs());
        }
        return addresses;
    }

    /**
     * Whether the gateway's objects are as the release made them: the Service with the network
     * label, port {@value #PORT} and, on clusters mcmesh creates, exactly the node IP as external
     * IP; and the Deployment. A {@code helm upgrade} puts back what is missing or changed.
     */
    static boolean liveObjectsHold(KubernetesClient client, MeshSpec spec, ClusterSpec cluster, String nodeIp) {
        return serviceProblem(client, spec, cluster, nodeIp).isEmpty()
                && client.apps().deployments().inNamespace(Istiod.NAMESPACE).withName(RELEASE).get() != null;
    }

    /**
     * What is wrong with one cluster's gateway, each with its effect; empty when istiod in the
     * other clusters can route through it.
     */
    static List<String> problems(KubernetesClient client, MeshSpec spec, ClusterSpec cluster, String nodeIp) {
        List<String> problems = new ArrayList<>();
        if (!namespaceLabelled(client, cluster.network())) {
            Namespace namespace = client.namespaces().withName(Istiod.NAMESPACE).get();
            String label = namespace == null ? null : labels(namespace.getMetadata().getLabels()).get(NETWORK_LABEL);
            problems.add("namespace " + Istiod.NAMESPACE + " has " + (label == null ? "no label " + NETWORK_LABEL
                    : "label " + NETWORK_LABEL + "=" + label) + " (expected " + cluster.network() + "): istiod may put"
                    + " pods without a network of their own on the wrong network and send them another network's"
                    + " pod IPs");
        }
        serviceProblem(client, spec, cluster, nodeIp).ifPresent(problems::add);
        Deployment deployment = client.apps().deployments().inNamespace(Istiod.NAMESPACE).withName(RELEASE).get();
        if (deployment == null) {
            problems.add("no Deployment " + Istiod.NAMESPACE + "/" + RELEASE + ": the east-west gateway is not installed");
        } else if (deployment.getStatus() == null
                || Objects.requireNonNullElse(deployment.getStatus().getAvailableReplicas(), 0) == 0) {
            problems.add("Deployment " + Istiod.NAMESPACE + "/" + RELEASE + " has no available replica: calls from other"
                    + " networks to this cluster fail (the pod is injected by istiod's webhook, so it needs istiod first)");
        }
        if (!exposeServicesHolds(client)) {
            problems.add("no Gateway " + Istiod.NAMESPACE + "/" + EXPOSE_SERVICES + " (port " + PORT + ", TLS AUTO_PASSTHROUGH,"
                    + " hosts *.local): the east-west gateway has no " + PORT + " listener, so calls from other networks"
                    + " reach its address and are reset");
        }
        return problems;
    }

    private static Optional<String> serviceProblem(KubernetesClient client, MeshSpec spec, ClusterSpec cluster,
            String nodeIp) {
        Optional<Service> found = service(client);
        String name = "Service " + Istiod.NAMESPACE + "/" + RELEASE;
        if (found.isEmpty()) {
            return Optional.of("no " + name + ": no other network can reach this cluster's services");
        }
        Service service = found.get();
        String label = labels(service.getMetadata().getLabels()).get(NETWORK_LABEL);
        if (!cluster.network().equals(label)) {
            return Optional.of(name + " has " + (label == null ? "no label " + NETWORK_LABEL : "label " + NETWORK_LABEL + "="
                    + label) + " (expected " + cluster.network() + "): istiod does not take it as the gateway of network "
                    + cluster.network() + ", so the peers get this cluster's pod IPs, which they cannot reach");
        }
        List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null ? List.of()
                : service.getSpec().getPorts();
        if (ports.stream().noneMatch(port -> Objects.equals(port.getPort(), PORT))) {
            return Optional.of(name + " has no port " + PORT + ": istiod sends the peers to " + PORT + ", where nothing listens");
        }
        List<String> addresses = addresses(service);
        if (addresses.isEmpty()) {
            return Optional.of(name + " has no address (type " + service.getSpec().getType() + ", no load balancer ingress,"
                    + " no externalIPs): istiod knows no gateway for network " + cluster.network() + " and sends the peers"
                    + " this cluster's pod IPs, which they cannot reach");
        }
        if (spec.provider() == Provider.MINIKUBE && !addresses.equals(List.of(nodeIp))) {
            return Optional.of(name + " has the addresses " + addresses + ", not the node IP " + nodeIp + " alone: the"
                    + " peers are sent there");
        }
        return Optional.empty();
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }
}
