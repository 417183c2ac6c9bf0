package io.github.mcmesh.spec;

/**
 * What to do with clusters that already exist under the requested names.
 *
 * <pre class="not-java">{@code
 * -Dmcmesh.reuse=never   // start from fresh clusters
 * }</pre>
 */
public enum ReusePolicy {
    /**
     * Healthy and same fingerprint: reuse. Missing: create. Drift on a cluster mcmesh owns:
     * repair in place where possible, delete and recreate for node-level drift. Drift on a
     * cluster mcmesh did not create: refuse with the difference. The default.
     */
    IF_HEALTHY,
    /** Delete the clusters mcmesh owns and create them afresh. */
    NEVER,
    /** The mesh must already exist and match: create and change nothing, fail with the difference. */
    REQUIRED
}
