package io.github.mcmesh.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.testing.MeetingServers;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The housekeeping before a class's first test reaches every cluster at once. */
class ClassNamespacesHousekeepingTest {

    private static final List<String> CLUSTERS = List.of("mcmesh-east", "mcmesh-west");
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private MeetingServers servers;
    private List<ClusterConnection> connections = List.of();

    @AfterEach
    void close() {
        connections.forEach(connection -> connection.client().close());
        servers.close();
    }

    @Test
    void creates_the_class_namespace_in_every_cluster_at_once() {
        // given clusters that answer the namespace creation only while both are asked
        connect("POST /api/v1/namespaces"::equals);

        // when
        ClassNamespaces.create(connections, "cross-cluster-it-0a1b2c3d", "run-1", NOW);

        // then
        assertThat(servers.met()).isTrue();
        for (ClusterConnection connection : connections) {
            assertThat(connection.client().namespaces().withName("cross-cluster-it-0a1b2c3d").get()).as(connection.name()).isNotNull();
        }
    }

    @Test
    void reaps_stale_namespaces_of_every_cluster_at_once_naming_them_in_the_clusters_order() {
        // given in each cluster a namespace an earlier run kept two days ago, listed only while both are asked
        connect(line -> line.startsWith("GET /api/v1/namespaces?labelSelector="));
        for (ClusterConnection connection : connections) {
            connection.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("old-it-12345678")
                    .addToLabels(ClassNamespaces.RUN_LABEL, "run-0")
                    .addToLabels(ClassNamespaces.CREATED_LABEL, Long.toString(NOW.minusSeconds(2 * 86_400).getEpochSecond()))
                    .endMetadata().build()).create();
        }

        // when
        List<String> reaped = ClassNamespaces.reapStale(connections, "run-1", NOW);

        // then
        assertThat(servers.met()).isTrue();
        assertThat(reaped).containsExactly("mcmesh-east/old-it-12345678", "mcmesh-west/old-it-12345678");
    }

    private void connect(java.util.function.Predicate<String> meets) {
        servers = MeetingServers.start(CLUSTERS, meets);
        connections = CLUSTERS.stream().map(name -> {
            KubernetesClient client = servers.client(name);
            return new ClusterConnection(name, client, "192.168.200.2", "https://192.168.200.2:8443");
        }).toList();
    }
}
