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
 * Envoy access logging mesh-wide in one cluster: a selector-less {@code Telemetry} in the root
 * namespace {@code istio-system} with the built-in provider {@code envoy} (file {@code /dev/stdout},
 * Istio's default text format, which has {@code "%UPSTREAM_HOST%"} at 1.18.2 and 1.30.3). Every
 * sidecar then logs the endpoint each request went to, which attributes a call to the cluster
 * that served it. istiod pushes it to running sidecars, so neither istiod nor the pods restart,
 * and no Helm value changes. {@code telemetry.istio.io/v1alpha1} is the version both 1.18.2 (its
 * only one) and 1.30.3 serve; {@code v1} exists only from 1.22.
 *
 * <pre>{@code
 * AccessLogTelemetry telemetry = new AccessLogTelemetry(client);
 * if (!telemetry.holds()) {
 *     telemetry.apply();
 * }
 * }</pre>
 */
public final class AccessLogTelemetry {

    /** The resource's name in {@code istio-system}. */
    public static final String NAME = "mcmesh-access-log";
    static final ResourceDefinitionContext TELEMETRIES = new ResourceDefinitionContext.Builder()
            .withGroup("telemetry.istio.io").withVersion("v1alpha1").withKind("Telemetry")
            .withPlural("telemetries").withNamespaced(true).build();

    private final KubernetesClient client;

    public AccessLogTelemetry(KubernetesClient client) {
        this.client = client;
    }

    static GenericKubernetesResource resource() {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(TELEMETRIES.getGroup() + "/" + TELEMETRIES.getVersion()).withKind(TELEMETRIES.getKind())
                .withNewMetadata().withName(NAME).withNamespace(IstioInstaller.NAMESPACE)
                .addToLabels(ClusterMarker.MANAGED_BY_LABEL, ClusterMarker.MANAGED_BY_MCMESH).endMetadata()
                .addToAdditionalProperties("spec", spec()).build();
    }

    private static Map<String, Object> spec() {
        return Map.of("accessLogging", List.of(Map.of("providers", List.of(Map.of("name", "envoy")))));
    }

    /** Whether the resource exists with mcmesh's spec (a changed or deleted one is drift the step repairs). */
    public boolean holds() {
        GenericKubernetesResource existing = client.genericKubernetesResources(TELEMETRIES)
                .inNamespace(IstioInstaller.NAMESPACE).withName(NAME).get();
        return existing != null && spec().equals(existing.getAdditionalProperties().get("spec"));
    }

    /** Creates or replaces the resource. */
    public void apply() {
        client.genericKubernetesResources(TELEMETRIES).inNamespace(IstioInstaller.NAMESPACE).resource(resource())
                .createOr(NonDeletingOperation::update);
    }
}
