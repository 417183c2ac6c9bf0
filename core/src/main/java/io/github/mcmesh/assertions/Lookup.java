package io.github.mcmesh.assertions;

import io.github.mcmesh.Mesh;
import java.util.Objects;

/**
 * The subject of a {@link ResolveAssert}: name lookups of a host in the pods of one workload in
 * one cluster of a mesh. Made by {@link SourceAssert#resolving(String)}; failure messages render it
 * with the assertion's representation.
 *
 * <pre>{@code
 * // AssertJ's own checks look at the subject and make no lookup
 * assertThat(mesh).from("mcmesh-east", "sleep").resolving("helloworld")
 *         .matches(lookup -> lookup.host().equals("helloworld") && lookup.cluster().equals("mcmesh-east"));
 * }</pre>
 */
public final class Lookup {

    private final Mesh mesh;
    private final String cluster;
    private final String workload;
    private final String host;

    Lookup(Mesh mesh, String cluster, String workload, String host) {
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.host = Objects.requireNonNull(host, "host");
    }

    /** The mesh the lookups are made in, scoped to its namespace. */
    public Mesh mesh() {
        return mesh;
    }

    /** The cluster of the pod the lookups run in. */
    public String cluster() {
        return cluster;
    }

    /** That pod's {@code app} label. */
    public String workload() {
        return workload;
    }

    /** The name looked up. */
    public String host() {
        return host;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Lookup lookup && mesh.equals(lookup.mesh) && cluster.equals(lookup.cluster)
                && workload.equals(lookup.workload) && host.equals(lookup.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mesh, cluster, workload, host);
    }

    /** For example {@code lookups of helloworld from sleep in cluster mcmesh-east}. */
    @Override
    public String toString() {
        return "lookups of " + host + " from " + workload + " in cluster " + cluster;
    }
}
