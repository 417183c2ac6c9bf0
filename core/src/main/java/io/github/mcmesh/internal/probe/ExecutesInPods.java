package io.github.mcmesh.internal.probe;

/**
 * A mesh that carries the {@link PodExec} its probes, health checks and diagnostics run through, so
 * the pod exec is made once, by whoever provisions the mesh, and asked for everywhere else.
 *
 * <pre>{@code
 * PodExec exec = mesh instanceof ExecutesInPods carrier ? carrier.podExec() : new Fabric8PodExec();
 * }</pre>
 */
public interface ExecutesInPods {

    /** The pod exec of this mesh. */
    PodExec podExec();
}
