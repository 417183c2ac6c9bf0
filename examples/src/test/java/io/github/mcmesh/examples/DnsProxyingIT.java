package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With DNS proxying on (the default), a Service that exists only in the other cluster resolves
 * in this one: the sidecar answers the lookup from what istiod knows of every cluster.
 */
@MultiClusterMesh
class DnsProxyingIT {

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.cluster("mcmesh-east").deploy(Samples.sleep());
        mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2")); // Service and pods in west only
    }

    @Test
    void a_service_only_in_the_other_cluster_resolves(Mesh mesh) {
        assertThat(mesh).from("mcmesh-east", "sleep")
                .resolving("helloworld." + mesh.namespace() + ".svc.cluster.local")
                .resolves();
    }

    @Test
    void and_answers_from_the_other_cluster(Mesh mesh) {
        assertThat(mesh).from("mcmesh-east", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("mcmesh-west");
    }
}
