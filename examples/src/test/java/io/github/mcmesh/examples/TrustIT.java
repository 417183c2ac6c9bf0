package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the shared root CA (the default trust), strict mTLS traffic crosses clusters. With one
 * self-signed CA per cluster the same calls would only ever be answered locally.
 */
@MultiClusterMesh(trust = MultiClusterMesh.Trust.SHARED_ROOT_CA)
class TrustIT {

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.applyEverywhere(strictMtls(mesh.namespace()));
        mesh.cluster("mcmesh-east").deploy(Samples.helloworld("v1"), Samples.sleep());
        mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2"));
    }

    @Test
    void strict_mtls_traffic_reaches_both_clusters(Mesh mesh) {
        assertThat(mesh).from("mcmesh-east", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("mcmesh-east", "mcmesh-west");
    }

    private static GenericKubernetesResource strictMtls(String namespace) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("security.istio.io/v1beta1").withKind("PeerAuthentication")
                .withNewMetadata().withName("strict").withNamespace(namespace).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("mtls", Map.of("mode", "STRICT"))))
                .build();
    }
}
