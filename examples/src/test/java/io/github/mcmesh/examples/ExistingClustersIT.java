package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.Cluster;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Clusters mcmesh did not create: kube contexts {@code kind-east} and {@code kind-west} (kind, k3d,
 * or cloud clusters), whose pod networks the user has already routed to each other. mcmesh creates
 * and deletes no cluster; it installs Istio, exchanges remote secrets, and uninstalls nothing it
 * did not install. Opt-in (tag {@code existing}): it needs those contexts.
 */
@Tag("existing")
@MultiClusterMesh(
        provider = MultiClusterMesh.Provider.EXISTING,
        clusters = {
            @Cluster(name = "kind-east", podCidr = "10.10.0.0/16", serviceCidr = "10.255.10.0/24"),
            @Cluster(name = "kind-west", podCidr = "10.20.0.0/16", serviceCidr = "10.255.20.0/24")})
class ExistingClustersIT {

    @Test
    void calls_cross_the_users_own_clusters(Mesh mesh) {
        mesh.cluster("kind-east").deploy(Samples.helloworld("v1"), Samples.sleep());
        mesh.cluster("kind-west").deploy(Samples.helloworld("v2"));

        assertThat(mesh).from("kind-east", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("kind-east", "kind-west");
    }
}
