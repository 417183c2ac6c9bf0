package io.github.mcmesh.testing;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Istio's {@code gateway} chart leaves in a mock API server once {@code helm upgrade --install
 * istio-eastwestgateway gateway ...} returned: the Service and Deployment named after the release,
 * labelled {@code app=istio-eastwestgateway}, {@code istio=eastwestgateway}, and with
 * {@code networkGateway} the network label and the four ports 15021/15443/15012/15017
 * (istio/istio {@code manifests/charts/gateway/templates/service.yaml} at 1.18.2 and 1.30.3),
 * {@code service.type} (default LoadBalancer) and {@code service.externalIPs} as given; plus a
 * running, ready gateway pod.
 *
 * <pre>{@code
 * GatewayChart.render(client, List.of("upgrade", "--install", "istio-eastwestgateway", "gateway", "--set", "networkGateway=n1"));
 * }</pre>
 */
public final class GatewayChart {

    private GatewayChart() {
    }

    /** Renders the release for these {@code helm upgrade} arguments, when they install the east-west gateway. */
    public static void render(KubernetesClient client, List<String> helmArguments) {
        String release = helmArguments.stream().skip(1).filter(arg -> !arg.startsWith("-")).findFirst().orElse("");
        if (!release.equals("istio-eastwestgateway")) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < helmArguments.size() - 1; i++) {
            String flag = helmArguments.get(i);
            if (flag.equals("--set") || flag.equals("--set-json")) {
                String pair = helmArguments.get(i + 1);
                String key = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                values.put(key, flag.equals("--set-json") ? Serialization.unmarshal(value, Object.class) : value);
            }
        }
        String network = (String) values.get("networkGateway");
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", release, "istio", "eastwestgateway"));
        ServiceBuilder service = new ServiceBuilder().withNewMetadata().withName(release).withNamespace("istio-system")
                .addToLabels(labels).endMetadata().withNewSpec().withType((String) values.getOrDefault("service.type",
                        "LoadBalancer")).withSelector(labels).endSpec();
        if (network != null) {
            service.editMetadata().addToLabels("topology.istio.io/network", network).endMetadata();
            for (Object[] port : new Object[][] {{"status-port", 15021}, {"tls", 15443}, {"tls-istiod", 15012},
                    {"tls-webhook", 15017}}) {
                service.editSpec().addToPorts(new ServicePortBuilder().withName((String) port[0]).withPort((Integer) port[1])
                        .withNewTargetPort((Integer) port[1]).build()).endSpec();
            }
        } else {
            service.editSpec().addToPorts(new ServicePortBuilder().withName("http2").withPort(80).build()).endSpec();
        }
        Object externalIps = values.get("service.externalIPs");
        if (externalIps instanceof List<?> list) {
            List<String> ips = new ArrayList<>();
            list.forEach(ip -> ips.add(String.valueOf(ip)));
            service.editSpec().withExternalIPs(ips).endSpec();
        }
        client.services().inNamespace("istio-system").resource(service.build()).createOr(NonDeletingOperation::update);
        client.apps().deployments().inNamespace("istio-system").resource(new DeploymentBuilder().withNewMetadata()
                .withName(release).withNamespace("istio-system").addToLabels(labels).endMetadata().withNewSpec()
                .withNewSelector().addToMatchLabels(labels).endSelector().endSpec().withNewStatus().withReplicas(1)
                .withReadyReplicas(1).withAvailableReplicas(1).endStatus().build()).createOr(NonDeletingOperation::update);
        client.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata().withName(release + "-7d9c")
                .withNamespace("istio-system").addToLabels(labels).endMetadata().withNewSpec().addNewContainer()
                .withName("istio-proxy").endContainer().endSpec().withNewStatus().withPhase("Running").addNewCondition()
                .withType("Ready").withStatus("True").endCondition().endStatus().build()).createOr(NonDeletingOperation::update);
    }
}
