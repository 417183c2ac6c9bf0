package io.github.mcmesh.spec;

import java.time.Duration;

/**
 * How long each kind of step may take. Not part of a mesh's fingerprint: changing a timeout
 * never rebuilds a mesh.
 *
 * <pre>{@code
 * Timeouts.defaults().withIstioInstall(Duration.ofMinutes(15));
 * }</pre>
 *
 * @param clusterStart one {@code minikube start}
 * @param istioInstall one {@code helm upgrade --install ... --wait}
 * @param meshReady until every istiod reports every peer cluster synced
 * @param command any other single command (status, ip, ssh, docker network)
 * @param workloadReady until deployed workloads are ready
 * @param assertion how long an assertion polls before it fails
 */
public record Timeouts(Duration clusterStart, Duration istioInstall, Duration meshReady, Duration command,
        Duration workloadReady, Duration assertion) {

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(60));
    }

    public Timeouts withClusterStart(Duration value) {
        return new Timeouts(value, istioInstall, meshReady, command, workloadReady, assertion);
    }

    public Timeouts withIstioInstall(Duration value) {
        return new Timeouts(clusterStart, value, meshReady, command, workloadReady, assertion);
    }

    public Timeouts withMeshReady(Duration value) {
        return new Timeouts(clusterStart, istioInstall, value, command, workloadReady, assertion);
    }

    public Timeouts withCommand(Duration value) {
        return new Timeouts(clusterStart, istioInstall, meshReady, value, workloadReady, assertion);
    }

    public Timeouts withWorkloadReady(Duration value) {
        return new Timeouts(clusterStart, istioInstall, meshReady, command, value, assertion);
    }

    public Timeouts withAssertion(Duration value) {
        return new Timeouts(clusterStart, istioInstall, meshReady, command, workloadReady, value);
    }
}
