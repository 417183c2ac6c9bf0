package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.Cluster;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clusters on different networks: no routes between their pod networks; each cluster's services
 * are reached through its east-west gateway (Service {@code istio-system/istio-eastwestgateway}
 * at the node IP, port 15443, mTLS passed through by SNI). Its own cluster names, node IPs and
 * ranges, so it runs beside the one-network mesh of the other examples on the same node network.
 */
@MultiClusterMesh(clusters = {
    @Cluster(name = "mcmesh-neteast", network = "net-east", podCidr = "10.30.0.0/16", serviceCidr = "10.255.30.0/24",
            staticIp = "192.168.200.12"),
    @Cluster(name = "mcmesh-netwest", network = "net-west", podCidr = "10.40.0.0/16", serviceCidr = "10.255.40.0/24",
            staticIp = "192.168.200.13")})
class MultiNetworkIT {

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.cluster("mcmesh-neteast").deploy(Samples.helloworld("v1"), Samples.sleep());
        mesh.cluster("mcmesh-netwest").deploy(Samples.helloworld("v2"), Samples.sleep());
    }

    @Test
    void calls_reach_the_other_network_through_its_east_west_gateway(Mesh mesh) {
        assertThat(mesh).from("mcmesh-neteast", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("mcmesh-neteast", "mcmesh-netwest");
        assertThat(mesh).from("mcmesh-netwest", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("mcmesh-neteast", "mcmesh-netwest");
    }

    @Test
    void each_gateway_is_addressed_by_its_node_ip_and_labelled_with_its_network(Mesh mesh) {
        Service west = mesh.cluster("mcmesh-netwest").client().services().inNamespace("istio-system")
                .withName("istio-eastwestgateway").get();
        assertThat(west.getSpec().getExternalIPs()).containsExactly("192.168.200.13");
        assertThat(west.getMetadata().getLabels()).containsEntry("topology.istio.io/network", "net-west");
    }
}
