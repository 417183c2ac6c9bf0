package io.github.mcmesh;

import java.util.Optional;

/**
 * Provisioning failed: names the cluster and the step, and carries the cause (for a failed
 * command: its command line, exit code and the tail of stderr).
 *
 * <pre>{@code
 * if (failure.getCause() instanceof ProvisioningException e) { // what a mesh that could not be made failed with
 *     e.cluster(); // Optional[mcmesh-west]
 *     e.step();    // start cluster
 * }
 * }</pre>
 */
public class ProvisioningException extends RuntimeException {

    private final String cluster;
    private final String step;

    public ProvisioningException(Optional<String> cluster, String step, String message, Throwable cause) {
        super(cluster.map(c -> "[" + c + "] ").orElse("") + step + " failed: " + message, cause);
        this.cluster = cluster.orElse(null);
        this.step = step;
    }

    /** A failure outside any step, e.g. a drift the reuse policy refuses. */
    public ProvisioningException(String message) {
        super(message);
        this.cluster = null;
        this.step = null;
    }

    /** The failing step's cluster; empty for mesh-wide steps. */
    public Optional<String> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** The failing step's name; empty when no step failed. */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }
}
