package io.github.mcmesh.spec;

/**
 * How the remote secrets that let each istiod read the other clusters are made.
 *
 * <pre>{@code
 * MeshSpec.builder().remoteSecrets(RemoteSecretMode.ISTIOCTL).build();
 * }</pre>
 */
public enum RemoteSecretMode {
    /** Built by mcmesh through the Kubernetes API, exactly as {@code istioctl create-remote-secret} writes them. The default; no istioctl needed. */
    NATIVE,
    /** {@code istioctl create-remote-secret --server https://<node IP>:8443}, applied to the peer clusters. */
    ISTIOCTL
}
