package io.github.mcmesh.internal.spec;

import static io.github.mcmesh.spec.MeshProperties.*;

import io.github.mcmesh.spec.MeshSpec;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@link MeshSpec} field, as validation names it ({@code memoryMb},
 * {@code timeouts.command}), each {@code mcmesh.*} property sets: how a problem or a drift is
 * reported under the name the user sets, and how a property's origin is recorded for its field.
 *
 * <pre>{@code
 * PropertyFields.propertyOf("memoryMb");         // Optional[mcmesh.memory]
 * PropertyFields.fieldOf("mcmesh.memory");       // Optional[memoryMb]
 * }</pre>
 */
public final class PropertyFields {

    /** The {@link MeshSpec} field (as validation names it) each property sets. */
    private static final Map<String, String> FIELD_BY_PROPERTY = Map.ofEntries(
            Map.entry(PROVIDER, "provider"), Map.entry(KUBERNETES_VERSION, "kubernetesVersion"),
            Map.entry(ISTIO_VERSION, "istioVersion"), Map.entry(DRIVER, "driver"),
            Map.entry(CONTAINER_RUNTIME, "containerRuntime"), Map.entry(CNI, "cni"), Map.entry(MEMORY, "memoryMb"),
            Map.entry(CPUS, "cpus"), Map.entry(NODE_NETWORK, "nodeNetwork"), Map.entry(NODE_SUBNET, "nodeSubnet"),
            Map.entry(MESH_ID, "meshId"), Map.entry(MESH_NETWORK, "networkName"), Map.entry(TRUST, "trust"),
            Map.entry(DNS_PROXYING, "dnsProxying"), Map.entry(REMOTE_SECRETS, "remoteSecrets"),
            Map.entry(ISTIOD_CPU, "istiodCpu"), Map.entry(ISTIOD_MEMORY, "istiodMemory"), Map.entry(REUSE, "reuse"),
            Map.entry(CLEANUP, "cleanup"), Map.entry(NAMESPACE_CLEANUP, "namespaceCleanup"),
            Map.entry(TIMEOUT_CLUSTER_START, "timeouts.clusterStart"), Map.entry(TIMEOUT_ISTIO_INSTALL, "timeouts.istioInstall"),
            Map.entry(TIMEOUT_MESH_READY, "timeouts.meshReady"), Map.entry(TIMEOUT_COMMAND, "timeouts.command"),
            Map.entry(TIMEOUT_WORKLOAD_READY, "timeouts.workloadReady"), Map.entry(TIMEOUT_ASSERTION, "timeouts.assertion"),
            Map.entry(TIMEOUT_NAMESPACE_DELETION, "timeouts.namespaceDeletion"),
            Map.entry(TIMEOUT_COREDNS_READY, "timeouts.coreDnsReady"),
            Map.entry(TOOLS_MINIKUBE, "tools.minikube"), Map.entry(TOOLS_HELM, "tools.helm"),
            Map.entry(TOOLS_ISTIOCTL, "tools.istioctl"), Map.entry(TOOLS_DOCKER, "tools.docker"),
            Map.entry(TOOLS_PATH, "tools.searchPath"), Map.entry(STATE_DIR, "stateDirectory"),
            Map.entry(KUBECONFIG, "kubeconfig"), Map.entry(ALLOW_UNSUPPORTED_VERSIONS, "allowUnsupportedVersions"),
            Map.entry(ADOPT_CLUSTERS, "adoptClusters"),
            Map.entry(REGISTRY_MIRRORS, "sources.registryMirrors"), Map.entry(IMAGE_MIRROR_COUNTRY, "sources.imageMirrorCountry"),
            Map.entry(IMAGE_REPOSITORY, "sources.imageRepository"), Map.entry(ISTIO_CHARTS, "sources.istioCharts"),
            Map.entry(ISTIO_HUB, "sources.istioHub"), Map.entry(SAMPLE_IMAGES, "sources.sampleImages"),
            Map.entry(PRELOAD_IMAGES, "sources.preloadImages"),
            Map.entry(PRELOAD_ISTIO_IMAGES, "sources.preloadIstioImages"), Map.entry(MINIKUBE_ARGS, "passThrough.minikubeStartArgs"),
            Map.entry(HELM_VALUES, "passThrough.helmValues"), Map.entry(HELM_VALUES_FILES, "passThrough.helmValuesFiles"));
    private static final Map<String, String> PROPERTY_BY_FIELD = FIELD_BY_PROPERTY.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private PropertyFields() {
    }

    /** Every property that sets a field of the specification. */
    public static Set<String> properties() {
        return FIELD_BY_PROPERTY.keySet();
    }

    /** The property that sets a {@link MeshSpec} field as validation names it, e.g. {@code memoryMb} to {@code mcmesh.memory}. */
    public static Optional<String> propertyOf(String field) {
        return Optional.ofNullable(PROPERTY_BY_FIELD.get(field));
    }

    /** The {@link MeshSpec} field a property sets, e.g. {@code mcmesh.memory} to {@code memoryMb}. */
    public static Optional<String> fieldOf(String property) {
        return Optional.ofNullable(FIELD_BY_PROPERTY.get(property));
    }
}
