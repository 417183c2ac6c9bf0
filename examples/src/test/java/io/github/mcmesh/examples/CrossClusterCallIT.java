package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.CallExpectation.distributedAcross;
import static io.github.mcmesh.assertions.CallExpectation.reaching;
import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MeshCluster;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Istio's "verify multicluster installation": helloworld v1 in one cluster, v2 in the other,
 * sleep in both; calls from either side are answered by both clusters.
 */
@MultiClusterMesh
class CrossClusterCallIT {

    @MeshCluster("mcmesh-east")
    static KubernetesClient east;

    @MeshCluster("mcmesh-west")
    ClusterHandle west;

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.cluster("mcmesh-east").deploy(Samples.helloworld("v1"), Samples.sleep());
        mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2"), Samples.sleep());
    }

    @Test
    void calls_from_east_reach_both_clusters(Mesh mesh) {
        assertThat(mesh).from("mcmesh-east", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("mcmesh-east", "mcmesh-west");
    }

    @Test
    void calls_from_west_reach_both_clusters_with_a_share_each(Mesh mesh) {
        // one poll: each round of 20 calls must reach both clusters and give each at least 20%
        assertThat(mesh).from(west, "sleep")
                .calling("http://helloworld:5000/hello")
                .calls(20)
                .satisfies(reaching("mcmesh-east", "mcmesh-west"), distributedAcross(0.2, "mcmesh-east", "mcmesh-west"));
    }

    @Test
    void the_injected_client_talks_to_its_own_cluster(Mesh mesh) {
        org.assertj.core.api.Assertions.assertThat(east.apps().deployments().inNamespace(mesh.namespace())
                .withName("helloworld-v1").get()).isNotNull();
        org.assertj.core.api.Assertions.assertThat(east.apps().deployments().inNamespace(mesh.namespace())
                .withName("helloworld-v2").get()).isNull();
    }

    @Test
    void the_injected_handle_client_is_in_the_class_namespace(Mesh mesh) {
        org.assertj.core.api.Assertions.assertThat(west.client().getNamespace()).isEqualTo(mesh.namespace());
        org.assertj.core.api.Assertions.assertThat(west.client().apps().deployments().withName("helloworld-v2").get())
                .isNotNull();
    }
}
