package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.testing.LogCapture;
import io.github.mcmesh.testing.MockMesh;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nodes of existing clusters keep their own locality labels; mcmesh reads and reports them. */
class ExistingNodeLocalityTest {

    static KubeAccess.NodeFacts node(Map<String, String> labels) {
        KubernetesMockServer server = MockMesh.crudServer();
        server.init();
        try (KubernetesClient client = server.createClient()) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("kind-east-control-plane").withLabels(labels)
                    .endMetadata().withNewStatus().addNewAddress().withType("InternalIP").withAddress("172.18.0.2").endAddress()
                    .endStatus().build()).create();
            return KubeAccess.node(client);
        } finally {
            server.destroy();
        }
    }

    @Test
    void the_nodes_own_region_and_zone_are_read_and_logged_and_a_missing_region_is_warned_about() {
        // given
        MeshSpec spec = MeshSpec.builder().provider(Provider.EXISTING).clusters("east", "west").build();
        ExistingProvider provider = new ExistingProvider(new ProvisioningContext(spec, null));
        KubeAccess.NodeFacts labelled = node(Map.of("topology.kubernetes.io/region", "eu-west",
                "topology.kubernetes.io/zone", "eu-west-1b"));
        KubeAccess.NodeFacts unlabelled = node(Map.of());

        try (LogCapture logs = new LogCapture()) {
            // when
            provider.checkNode(spec.cluster("east").orElseThrow(), labelled);
            provider.checkNode(spec.cluster("west").orElseThrow(), unlabelled);

            // then
            assertThat(labelled.locality()).isEqualTo("eu-west/eu-west-1b");
            assertThat(logs.lines()).contains(
                    "INFO [east] node kind-east-control-plane is in locality eu-west/eu-west-1b (its own labels; mcmesh does"
                            + " not change them)",
                    "WARN [west] node kind-east-control-plane has no topology.kubernetes.io/region label: Istio sees no"
                            + " locality there, so locality load balancing and failover between regions cannot be tested with it");
        }
    }
}
