package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.junit.ClassNamespaces;
import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.internal.provision.MeshFixture;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.workload.Samples;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension with core's real {@code MeshProvisioner} and {@code IstioInstaller} provisioning
 * successfully: fake minikube, docker and helm, a mock API server per cluster behind a kubeconfig
 * ({@link MeshFixture}), and an in-memory pod exec for istiod's clusterz ({@link FixtureBackend}).
 */
class FixtureProvisioningTest {

    private static final String EAST = "mcmesh-east";
    private static final String WEST = "mcmesh-west";
    /** What the execution condition asks docker once per run; the only tool call a warm run makes. */
    private static final String ENGINE_CHECK = "docker version --format {{.Server.Version}}";

    /** Read by the sample classes, which check from inside their tests what the extension gave them. */
    private static MeshFixture fixture;

    @TempDir
    Path root;

    @BeforeEach
    void start_fixture() {
        fixture = MeshFixture.create(root.resolve("fixture"), MeshSpec.defaults());
    }

    @AfterEach
    void stop_fixture() {
        fixture.close();
        fixture = null;
    }

    @Test
    void provisions_once_for_three_classes_and_a_new_run_reuses_the_mesh_without_provisioning() {
        // when
        EngineExecutionResults first = kit().run(FirstSample.class, SecondSample.class, ThirdSample.class);

        // then
        assertAllPassed(first);
        first.testEvents().assertStatistics(stats -> stats.succeeded(3));
        assertThat(starts(EAST)).hasSize(1);
        assertThat(starts(WEST)).hasSize(1);
        assertThat(fixture.fakes().invocations()).doesNotContain("minikube delete -p " + EAST, "minikube delete -p " + WEST);

        // when a new run (a new root store, as in a new JVM) asks for the same mesh
        int toolCalls = fixture.fakes().invocations().size();
        EngineExecutionResults second = kit().run(SecondSample.class);

        // then it reuses the mesh through the API: no tool runs but the execution condition's engine check and one
        // routing table read per node (a route removed without a reboot leaves the boot ID alone)
        assertAllPassed(second);
        List<String> all = fixture.fakes().invocations();
        assertThat(all.subList(toolCalls, all.size())).containsExactlyInAnyOrder(ENGINE_CHECK,
                "docker exec " + EAST + " ip route show", "docker exec " + WEST + " ip route show");
    }

    @Test
    void a_cold_run_reads_no_cluster_before_its_start_and_lists_each_node_once_after_it() throws Exception {
        // when: no cluster yet, so the kubeconfig has no context of the mesh: the warm check under the shared gate
        // finds nothing to read, and provisioning follows
        EngineExecutionResults results = kit().run(FirstSample.class);

        // then: the node lists are the connect step's after the start and the sample's own
        assertAllPassed(results);
        for (String cluster : List.of(EAST, WEST)) {
            List<String> requests = new java.util.ArrayList<>();
            for (io.fabric8.mockwebserver.http.RecordedRequest request; (request = fixture.server(cluster).takeRequest(50,
                    TimeUnit.MILLISECONDS)) != null;) {
                requests.add(request.getMethod() + " " + request.getPath());
            }
            assertThat(requests).as("requests to %s", cluster).filteredOn("GET /api/v1/nodes"::equals).hasSize(2);
        }
    }

    @Test
    void cleanup_always_deletes_both_clusters_and_the_network_after_the_last_class() {
        // when
        EngineExecutionResults results = kit().with(MeshProperties.CLEANUP, "ALWAYS")
                .run(FirstSample.class, SecondSample.class, ThirdSample.class);

        // then
        assertAllPassed(results);
        assertThat(starts(EAST)).hasSize(1);
        assertThat(starts(WEST)).hasSize(1);
        List<String> invocations = fixture.fakes().invocations();
        assertThat(invocations.subList(invocations.indexOf("minikube delete -p " + EAST), invocations.size()))
                .as("the last tool calls").containsExactly(
                        "minikube delete -p " + EAST, "minikube profile list -o json", "minikube delete -p " + WEST,
                        "docker network inspect mcmesh", "docker network rm mcmesh");
    }

    private MeshTestKit kit() {
        return MeshTestKit.in(root.resolve("state"))
                .with(MeshBackend.PROPERTY_NAME, FixtureBackend.class.getName())
                .with(MeshProperties.TOOLS_PATH, fixture.fakes().binDirectory().toString())
                .with(MeshProperties.KUBECONFIG, fixture.kubeconfig().toString());
    }

    private static List<String> starts(String cluster) {
        return fixture.fakes().invocationsOf("minikube").stream().filter(line -> line.startsWith("minikube start -p " + cluster + " "))
                .toList();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FirstSample {

        @MeshCluster(EAST)
        KubernetesClient east;

        @MeshCluster(WEST)
        KubernetesClient west;

        @MeshNamespace
        String namespace;

        Mesh mesh;

        @Test
        void gets_the_clusters_their_namespace_and_deploys_into_it() throws Exception {
            // the clients talk to their own cluster's API server: each holds one node, named after its cluster
            assertThat(east.nodes().list().getItems()).extracting(node -> node.getMetadata().getName()).containsExactly(EAST);
            assertThat(west.nodes().list().getItems()).extracting(node -> node.getMetadata().getName()).containsExactly(WEST);
            for (String cluster : List.of(EAST, WEST)) {
                try (KubernetesClient client = fixture.client(cluster)) {
                    assertThat(client.namespaces().withName(namespace).get().getMetadata().getLabels()).as("labels in %s", cluster)
                            .containsEntry(ClassNamespaces.INJECTION_LABEL, "enabled")
                            .containsKeys(ClassNamespaces.RUN_LABEL, ClassNamespaces.CREATED_LABEL);
                }
            }

            CompletableFuture<Void> available = fixture.markAvailableWhenCreated(EAST, namespace, "sleep");
            mesh.cluster(EAST).deploy(Samples.sleep());
            available.get(10, TimeUnit.SECONDS);

            assertThat(east.apps().deployments().inNamespace(namespace).withName("sleep").get().getStatus().getAvailableReplicas())
                    .isEqualTo(1);
            assertThat(west.apps().deployments().inNamespace(namespace).list().getItems()).isEmpty();
        }
    }

    static class SecondSample extends FirstSample {
    }

    static class ThirdSample extends FirstSample {
    }
}
