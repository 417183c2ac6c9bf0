package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
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
    void calls_from_west_reach_both_clusters(Mesh mesh) {
        assertThat(mesh).from("mcmesh-west", "sleep")
                .calling("http://helloworld:5000/hello")
                .calls(20)
                .isDistributedAcross(0.2, "mcmesh-east", "mcmesh-west");
    }

    @Test
    void the_injected_client_talks_to_its_own_cluster(Mesh mesh) {
        org.assertj.core.api.Assertions.assertThat(east.apps().deployments().inNamespace(mesh.namespace())
                .withName("helloworld-v1").get()).isNotNull();
        org.assertj.core.api.Assertions.assertThat(east.apps().deployments().inNamespace(mesh.namespace())
                .withName("helloworld-v2").get()).isNull();
    }
}
