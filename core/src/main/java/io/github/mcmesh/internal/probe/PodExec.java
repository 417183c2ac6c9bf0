package io.github.mcmesh.internal.probe;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/**
 * Runs a command in a container of a pod and collects what it printed, through the Kubernetes
 * API (no kubectl subprocess). Probes and health checks take a {@code PodExec}, so tests can
 * stand in a transcript for a real cluster.
 *
 * <pre>{@code
 * ExecResult result = podExec.exec(client, "istio-system", "istiod-5d4f", "discovery", Duration.ofSeconds(10),
 *     List.of("pilot-discovery", "request", "GET", "/debug/clusterz"));
 * }</pre>
 */
@FunctionalInterface
public interface PodExec {

    /**
     * Runs the command and waits for it to end or the timeout to pass.
     *
     * @return the exit code and output; a timeout, a stream closed without an exit status, or an exec the API server
     *         refused (e.g. binary missing) gives exit code -1 and says which in stderr
     */
    ExecResult exec(KubernetesClient client, String namespace, String pod, String container, Duration timeout,
            List<String> command);

    /**
     * What a command in a pod left behind.
     *
     * @param exitCode the command's exit code, -1 when it gave none (did not end in time; see stderr)
     * @param stdout what it wrote to stdout
     * @param stderr what it wrote to stderr
     */
    record ExecResult(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
