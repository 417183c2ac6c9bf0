package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The original write-up's DNS problem, and its fix. Without DNS proxying (turned off for this
 * class's client only, so the mesh stays the same) the client's cluster DNS knows nothing of a
 * Service that exists only in the other cluster; deploying the Service (without pods) in the
 * client's cluster fixes the lookup, and Istio then routes to the other cluster's pods.
 */
@MultiClusterMesh
@TestMethodOrder(OrderAnnotation.class)
class DnsProxyingOffIT {

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.cluster("mcmesh-east").deploy(Samples.sleep().withoutDnsProxying());
        mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2"));
    }

    @Test
    @Order(1)
    void a_service_only_in_the_other_cluster_does_not_resolve(Mesh mesh) {
        assertThat(mesh).from("mcmesh-east", "sleep")
                .resolving("helloworld." + mesh.namespace() + ".svc.cluster.local")
                .doesNotResolve();
    }

    @Test
    @Order(2)
    void the_service_in_both_clusters_fixes_it(Mesh mesh) {
        mesh.cluster("mcmesh-east").deploy(Samples.helloworldService());

        assertThat(mesh).from("mcmesh-east", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("mcmesh-west");
    }
}
