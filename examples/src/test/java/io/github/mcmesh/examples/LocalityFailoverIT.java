package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.assertions.CallAssert;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Why a team runs several clusters: traffic stays in the caller's locality while it is healthy and
 * fails over when the local Deployment is gone. mcmesh labels each node with
 * {@code topology.kubernetes.io/region} (default: the cluster name) and {@code .../zone}, so the
 * two clusters are two regions; Istio's locality load balancing puts the other region's endpoints
 * at a lower priority, and, with {@code outlierDetection} (without it Istio applies no failover
 * priorities: pilot cluster.go "Failover should only be applied with outlier detection"), Envoy
 * spills over to them when the local priority has no healthy endpoint.
 */
@MultiClusterMesh
class LocalityFailoverIT {

    static GenericKubernetesResource failoverRule() {
        // networking.istio.io/v1beta1 is served by Istio 1.18 and 1.30 alike (v1 only from 1.22)
        return new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1beta1").withKind("DestinationRule")
                .withNewMetadata().withName("helloworld-failover").endMetadata()
                .addToAdditionalProperties("spec", Map.of("host", "helloworld", "trafficPolicy", Map.of(
                        "loadBalancer", Map.of("simple", "ROUND_ROBIN", "localityLbSetting", Map.of("enabled", true,
                                "failover", List.of(Map.of("from", "mcmesh-east", "to", "mcmesh-west"),
                                        Map.of("from", "mcmesh-west", "to", "mcmesh-east")))),
                        "outlierDetection", Map.of("consecutive5xxErrors", 1, "interval", "1s", "baseEjectionTime", "1m"))))
                .build();
    }

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.cluster("mcmesh-east").deploy(Samples.helloworld("v1"), Samples.sleep());
        mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2"));
        mesh.applyEverywhere(failoverRule());
    }

    @Test
    void stays_local_while_healthy_then_fails_over(Mesh mesh) {
        CallAssert calls = assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").calls(20);
        calls.staysInCluster("mcmesh-east");

        mesh.cluster("mcmesh-east").scale("helloworld-v1", 0); // returns once its pods are gone (Terminating pods still serve)

        calls.within(Duration.ofMinutes(2)).reachesClusters("mcmesh-west");
    }
}
