package io.github.mcmesh.workload;

/**
 * A deployed workload that did not become ready, or cannot: the message carries the pods'
 * container states and recent events, and names the image to override when it cannot be pulled.
 *
 * <pre>{@code
 * try {
 *     mesh.cluster("mcmesh-east").deploy(Samples.sleep());
 * } catch (WorkloadNotReadyException e) {
 *     // "Workload 'sleep' in cluster mcmesh-east, namespace demo cannot become ready: ..."
 * }
 * }</pre>
 */
public class WorkloadNotReadyException extends RuntimeException {
    public WorkloadNotReadyException(String message) {
        super(message);
    }

    public WorkloadNotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}
