package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How mcmesh and the other clusters reach one cluster.
 *
 * <pre>{@code
 * ClusterConnection east = context.connection("mcmesh-east");
 * east.client().nodes().list();
 * }</pre>
 *
 * @param name the cluster name (kube context, Istio cluster ID)
 * @param client a client for this JVM, through the cluster's kube context
 * @param nodeIp the node IP other clusters reach this one at
 * @param apiServerUrl the API server URL other clusters use, {@code https://<node IP>:8443} for minikube (never 127.0.0.1)
 */
public record ClusterConnection(String name, KubernetesClient client, String nodeIp, String apiServerUrl) {
}
