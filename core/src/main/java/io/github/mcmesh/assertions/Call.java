package io.github.mcmesh.assertions;

import io.github.mcmesh.Mesh;
import java.util.Objects;

/**
 * The subject of a {@link CallAssert}: HTTP calls to a URL from the pods of one workload in one
 * cluster of a mesh. Made by {@link SourceAssert#calling(String)}; failure messages render it with
 * the assertion's representation.
 *
 * <pre>{@code
 * // AssertJ's own checks look at the subject and make no call
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello")
 *         .matches(call -> call.url().equals("http://helloworld:5000/hello") && call.workload().equals("sleep"));
 * }</pre>
 */
public final class Call {

    private final Mesh mesh;
    private final String cluster;
    private final String workload;
    private final String url;

    Call(Mesh mesh, String cluster, String workload, String url) {
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.url = Objects.requireNonNull(url, "url");
    }

    /** The mesh the calls are made in, scoped to its namespace. */
    public Mesh mesh() {
        return mesh;
    }

    /** The cluster of the calling pod. */
    public String cluster() {
        return cluster;
    }

    /** The calling pod's {@code app} label. */
    public String workload() {
        return workload;
    }

    /** The URL called. */
    public String url() {
        return url;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Call call && mesh.equals(call.mesh) && cluster.equals(call.cluster)
                && workload.equals(call.workload) && url.equals(call.url);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mesh, cluster, workload, url);
    }

    /** For example {@code calls from sleep in cluster mcmesh-east to http://helloworld:5000/hello}. */
    @Override
    public String toString() {
        return "calls from " + workload + " in cluster " + cluster + " to " + url;
    }
}
