package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.internal.spec.Fingerprint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What mcmesh records in every cluster it provisioned: the ConfigMap {@code kube-system/mcmesh-marker}
 * holding the mesh identity, whether mcmesh created the cluster, the spec's fingerprint (one
 * {@code field=value} per line), the node's boot ID when routes were last applied, and times.
 * {@code owned} only reports what mcmesh knew when it wrote the marker: whether mcmesh may delete
 * a cluster is proven by the cluster's creation id matching this machine's record
 * ({@link ClusterProvider#createdHere(String)}), never by the marker.
 *
 * <pre>{@code
 * Optional<ClusterMarker> marker = ClusterMarker.read(client);
 * marker.map(m -> Fingerprint.of(spec).changesFrom(m.fingerprint())); // drift, field by field
 * }</pre>
 *
 * @param identity {@link io.github.mcmesh.spec.MeshSpec#identity()} of the mesh that wrote it
 * @param owned whether mcmesh had created the cluster when it wrote the marker
 * @param fingerprint the spec's fingerprint when it was written
 * @param bootId the node's {@code status.nodeInfo.bootID} when the routes were applied
 * @param createdAt when mcmesh first provisioned the cluster
 * @param provisionedAt when the marker was last written
 */
public record ClusterMarker(String identity, boolean owned, Fingerprint fingerprint, String bootId, Instant createdAt,
        Instant provisionedAt) {

    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "mcmesh-marker";
    /** The label every object mcmesh writes carries, with {@link #MANAGED_BY_MCMESH}; teardown deletes only what has it. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_MCMESH = "mcmesh";

    /** The marker in this cluster, if any. */
    public static Optional<ClusterMarker> read(KubernetesClient client) {
        return Optional.ofNullable(client.configMaps().inNamespace(NAMESPACE).withName(NAME).get()).map(ClusterMarker::from);
    }

    /** Creates or replaces the marker. */
    public void write(KubernetesClient client) {
        client.configMaps().inNamespace(NAMESPACE).resource(toConfigMap()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    /** Removes the marker (teardown of clusters mcmesh does not own). */
    public static void delete(KubernetesClient client) {
        client.configMaps().inNamespace(NAMESPACE).withName(NAME).delete();
    }

    ConfigMap toConfigMap() {
        StringBuilder fields = new StringBuilder();
        fingerprint.fields().forEach((name, value) -> fields.append(name).append('=').append(value).append('\n'));
        return new ConfigMapBuilder()
                .withNewMetadata().withName(NAME).withNamespace(NAMESPACE).addToLabels(MANAGED_BY_LABEL, MANAGED_BY_MCMESH).endMetadata()
                .addToData("identity", identity)
                .addToData("owned", Boolean.toString(owned))
                .addToData("fingerprint", fields.toString())
                .addToData("fingerprintHash", fingerprint.hash())
                .addToData("bootID", bootId)
                .addToData("createdAt", createdAt.toString())
                .addToData("provisionedAt", provisionedAt.toString())
                .build();
    }

    static ClusterMarker from(ConfigMap configMap) {
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        Map<String, String> fields = new LinkedHashMap<>();
        data.getOrDefault("fingerprint", "").lines().filter(line -> line.contains("=")).forEach(line ->
                fields.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return new ClusterMarker(data.getOrDefault("identity", ""), Boolean.parseBoolean(data.get("owned")),
                new Fingerprint(fields), data.getOrDefault("bootID", ""), instant(data.get("createdAt")),
                instant(data.get("provisionedAt")));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
