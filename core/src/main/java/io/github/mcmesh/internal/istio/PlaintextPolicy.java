package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.github.mcmesh.internal.provision.ClusterMarker;
import java.util.List;
import java.util.Map;

/**
 * Mesh-wide plaintext in one cluster (decision 9): in the root namespace {@code istio-system}, a
 * {@code DestinationRule} for {@code *.local} with {@code tls.mode: DISABLE} (clients send
 * plaintext) and a {@code PeerAuthentication} with {@code mtls.mode: DISABLE} (servers accept it).
 * {@code v1beta1} of both is served by Istio 1.18 and 1.30 alike.
 */
public final class PlaintextPolicy {

    static final String DESTINATION_RULE_NAME = "mcmesh-plaintext";
    /** The mesh-wide PeerAuthentication is the one named {@code default} in the root namespace. */
    static final String PEER_AUTHENTICATION_NAME = "default";
    static final ResourceDefinitionContext DESTINATION_RULES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1beta1").withKind("DestinationRule")
            .withPlural("destinationrules").withNamespaced(true).build();
    static final ResourceDefinitionContext PEER_AUTHENTICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("security.istio.io").withVersion("v1beta1").withKind("PeerAuthentication")
            .withPlural("peerauthentications").withNamespaced(true).build();

    private final KubernetesClient client;

    PlaintextPolicy(KubernetesClient client) {
        this.client = client;
    }

    static GenericKubernetesResource destinationRule() {
        return resource(DESTINATION_RULES, DESTINATION_RULE_NAME,
                Map.of("host", "*.local", "trafficPolicy", Map.of("tls", Map.of("mode", "DISABLE"))));
    }

    static GenericKubernetesResource peerAuthentication() {
        return resource(PEER_AUTHENTICATIONS, PEER_AUTHENTICATION_NAME, Map.of("mtls", Map.of("mode", "DISABLE")));
    }

    boolean holds() {
        return sameSpec(DESTINATION_RULES, destinationRule()) && sameSpec(PEER_AUTHENTICATIONS, peerAuthentication());
    }

    void apply() {
        for (GenericKubernetesResource resource : List.of(destinationRule(), peerAuthentication())) {
            ResourceDefinitionContext definition = resource.getKind().equals("DestinationRule") ? DESTINATION_RULES
                    : PEER_AUTHENTICATIONS;
            client.genericKubernetesResources(definition).inNamespace(IstioInstaller.NAMESPACE).resource(resource)
                    .createOr(NonDeletingOperation::update);
        }
    }

    private boolean sameSpec(ResourceDefinitionContext definition, GenericKubernetesResource wanted) {
        GenericKubernetesResource existing = client.genericKubernetesResources(definition)
                .inNamespace(IstioInstaller.NAMESPACE).withName(wanted.getMetadata().getName()).get();
        return existing != null && wanted.getAdditionalProperties().get("spec")
                .equals(existing.getAdditionalProperties().get("spec"));
    }

    private static GenericKubernetesResource resource(ResourceDefinitionContext definition, String name,
            Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(definition.getGroup() + "/" + definition.getVersion()).withKind(definition.getKind())
                .withNewMetadata().withName(name).withNamespace(IstioInstaller.NAMESPACE)
                .addToLabels(ClusterMarker.MANAGED_BY_LABEL, ClusterMarker.MANAGED_BY_MCMESH).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
    }
}
