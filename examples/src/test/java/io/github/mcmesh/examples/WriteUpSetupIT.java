package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.Cluster;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The original write-up's setup: clusters {@code minikube} and {@code test}, pods in 172.17.0.0/16
 * and 172.18.0.0/16, Kubernetes 1.26.8, Istio 1.18.2, mTLS off. With the corrections today's tools
 * need (README, "The original write-up's setup"): distinct service ranges, kindnet, docker0 moved
 * out of the pod ranges, and {@code --force} (minikube 1.37+ refuses Kubernetes before 1.28
 * without it). Opt-in (tag {@code write-up}): it uses the {@code minikube} profile, which may be
 * the user's own.
 */
@Tag("write-up")
@MultiClusterMesh(
        clusters = {
            @Cluster(name = "minikube", podCidr = "172.17.0.0/16", serviceCidr = "10.255.10.0/24", bridge = "10.254.17.1/24"),
            @Cluster(name = "test", podCidr = "172.18.0.0/16", serviceCidr = "10.255.20.0/24", bridge = "10.254.18.1/24")},
        kubernetesVersion = "1.26.8",
        istioVersion = "1.18.2",
        trust = MultiClusterMesh.Trust.PLAINTEXT)
class WriteUpSetupIT {

    @BeforeAll
    static void deploy(Mesh mesh) {
        mesh.cluster("minikube").deploy(Samples.helloworld("v1"), Samples.sleep());
        mesh.cluster("test").deploy(Samples.helloworld("v2"));
    }

    @Test
    void curl_from_a_pod_sees_both_clusters_answer(Mesh mesh) {
        assertThat(mesh).from("minikube", "sleep")
                .calling("http://helloworld:5000/hello")
                .reachesClusters("minikube", "test");
    }
}
