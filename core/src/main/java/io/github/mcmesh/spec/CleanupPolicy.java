package io.github.mcmesh.spec;

/**
 * When to delete what mcmesh created: clusters at the end of the JVM, namespaces at the end of
 * their test class.
 *
 * <pre>{@code
 * MeshSpec.builder().cleanup(CleanupPolicy.ON_SUCCESS).build();
 * }</pre>
 */
public enum CleanupPolicy {
    /** Keep it, so the next run reuses it. The default for clusters. */
    NEVER,
    /** Delete it in any case. */
    ALWAYS,
    /** Delete it only if every test that used it passed; keep it for inspection otherwise. The default for namespaces. */
    ON_SUCCESS
}
