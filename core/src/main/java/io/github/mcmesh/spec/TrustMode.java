package io.github.mcmesh.spec;

/**
 * How workloads in different clusters trust each other.
 *
 * <pre>{@code
 * MeshSpec.builder().trust(TrustMode.PLAINTEXT).build();
 * }</pre>
 */
public enum TrustMode {
    /**
     * One root CA, one intermediate per cluster in secret {@code istio-system/cacerts}, so mTLS
     * works across clusters. Istio's recommendation, and the default.
     */
    SHARED_ROOT_CA,
    /**
     * mTLS off mesh-wide (a {@code DestinationRule} for {@code *.local} with {@code DISABLE} and a
     * {@code PeerAuthentication} {@code DISABLE} in every cluster, plus the pod label
     * {@code security.istio.io/tlsMode: disabled} on mcmesh's samples), as in the original
     * write-up. No common CA is needed; traffic is plaintext.
     */
    PLAINTEXT
}
