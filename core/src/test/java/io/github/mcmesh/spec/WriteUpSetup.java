package io.github.mcmesh.spec;

/**
 * The original write-up's setup, with the corrections today's tools need (see README).
 *
 * <pre>{@code
 * MeshSpec spec = WriteUpSetup.builder().stateDirectory(tempDir).build();
 * }</pre>
 */
public final class WriteUpSetup {

    private WriteUpSetup() {
    }

    public static MeshSpec.Builder builder() {
        return MeshSpec.builder()
                .cluster("minikube", c -> c.podCidr("172.17.0.0/16").serviceCidr("10.255.10.0/24").bridge("10.254.17.1/24"))
                .cluster("test", c -> c.podCidr("172.18.0.0/16").serviceCidr("10.255.20.0/24").bridge("10.254.18.1/24"))
                .kubernetesVersion("1.26.8")
                .istioVersion("1.18.2")
                .trust(TrustMode.PLAINTEXT);
    }
}
