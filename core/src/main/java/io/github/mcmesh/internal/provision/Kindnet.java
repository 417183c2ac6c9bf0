package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * minikube's kindnet CNI, as its manifest deploys it (kubernetes/minikube v1.37.0-v1.38.1
 * {@code pkg/minikube/cni/kindnet.go}): DaemonSet {@code kindnet} in {@code kube-system}, container
 * {@code kindnet-cni}, env {@code POD_SUBNET} always {@code 10.244.0.0/16} ({@code DefaultPodCIDR},
 * whatever {@code pod-network-cidr} says; kubernetes/minikube#7936). kindnetd hands out pod IPs
 * from the node's {@code spec.podCIDR}, but takes {@code POD_SUBNET}, split on commas, as the
 * destinations it does not masquerade (kubernetes-sigs/kind {@code images/kindnetd/cmd/kindnetd/main.go},
 * {@code masq.go}): with minikube's value every packet to another cluster's pods leaves with the
 * node's address instead of the pod's.
 *
 * <pre>{@code
 * String noMasquerade = Kindnet.podSubnets(MeshSpec.defaults()); // "10.10.0.0/16,10.20.0.0/16"
 * Step step = Kindnet.keepPodSourceIpsStep("mcmesh-east", context, spec);
 * }</pre>
 */
public final class Kindnet {

    static final String NAMESPACE = "kube-system";
    static final String DAEMON_SET = "kindnet";
    static final String CONTAINER = "kindnet-cni";
    static final String POD_SUBNET = "POD_SUBNET";

    private Kindnet() {
    }

    /** Every cluster's pod range, comma-separated, as kindnetd reads {@code POD_SUBNET}. */
    static String podSubnets(MeshSpec spec) {
        return spec.clusters().stream().map(ClusterSpec::podCidr).map(Object::toString).collect(Collectors.joining(","));
    }

    /**
     * Sets the cluster's kindnet {@code POD_SUBNET} to every cluster's pod range, so source pod IPs
     * survive across clusters; holds when it already has that value. {@code minikube start}
     * re-applies its manifest, which is why this runs after every start.
     */
    static Step keepPodSourceIpsStep(String cluster, ProvisioningContext context, MeshSpec spec) {
        String wanted = podSubnets(spec);
        return Step.of("exempt peer pod ranges from kindnet's masquerade", cluster,
                () -> podSubnet(client(context, cluster)).filter(wanted::equals).isPresent(),
                () -> {
                    KubernetesClient client = client(context, cluster);
                    if (podSubnet(client).isEmpty()) {
                        throw new IllegalStateException("cni is kindnet, but the cluster has no DaemonSet " + NAMESPACE + "/"
                                + DAEMON_SET + " with container " + CONTAINER + " and env " + POD_SUBNET
                                + " (as minikube's kindnet manifest deploys it), so its masquerade list cannot be set to "
                                + wanted);
                    }
                    client.apps().daemonSets().inNamespace(NAMESPACE).withName(DAEMON_SET).edit(daemonSet -> {
                        kindnetContainer(daemonSet).orElseThrow().getEnv().stream().filter(env -> env.getName().equals(POD_SUBNET))
                                .forEach(env -> {
                                    env.setValueFrom(null);
                                    env.setValue(wanted);
                                });
                        return daemonSet;
                    });
                });
    }

    private static KubernetesClient client(ProvisioningContext context, String cluster) {
        return context.connection(cluster).client();
    }

    /** The {@code POD_SUBNET} of kindnet's container, or empty when there is no such DaemonSet, container or env. */
    static Optional<String> podSubnet(KubernetesClient client) {
        DaemonSet daemonSet = client.apps().daemonSets().inNamespace(NAMESPACE).withName(DAEMON_SET).get();
        return Optional.ofNullable(daemonSet).flatMap(Kindnet::kindnetContainer).flatMap(container ->
                Optional.ofNullable(container.getEnv()).orElse(java.util.List.of()).stream()
                        .filter(env -> env.getName().equals(POD_SUBNET)).map(EnvVar::getValue)
                        .map(value -> value == null ? "" : value).findFirst());
    }

    private static Optional<Container> kindnetContainer(DaemonSet daemonSet) {
        if (daemonSet.getSpec() == null || daemonSet.getSpec().getTemplate() == null
                || daemonSet.getSpec().getTemplate().getSpec() == null) {
            return Optional.empty();
        }
        return daemonSet.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(container -> container.getName().equals(CONTAINER)).findFirst();
    }
}
