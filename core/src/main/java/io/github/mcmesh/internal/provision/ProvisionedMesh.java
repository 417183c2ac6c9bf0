package io.github.mcmesh.internal.provision;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.ExecutesInPods;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;

/**
 * A provisioned mesh: its specification, its clusters' connections, views for test classes, the
 * pod exec everything running commands in its pods goes through, and its teardown. Closing it
 * closes the clients; it never deletes anything by itself. The provisioner's is
 * {@code MeshProvisioner#provision()}'s; the JUnit extension's tests bring their own.
 *
 * <pre>{@code
 * ProvisionedMesh mesh = IstioLayers.provisioner(spec).provision();
 * Mesh view = mesh.view("orders-it");
 * view.cluster("mcmesh-east").client().pods().inNamespace("orders-it").list();
 * if (spec.cleanup() == CleanupPolicy.ALWAYS) {
 *     mesh.teardown();
 * }
 * mesh.close();
 * }</pre>
 */
public interface ProvisionedMesh extends ExecutesInPods, AutoCloseable {

    /** The specification the mesh was provisioned for. */
    MeshSpec spec();

    /** The clusters' connections, in the order of the spec. */
    List<ClusterConnection> connections();

    /** The pod exec the mesh was provisioned with, for probes, health checks and diagnostics. */
    @Override
    PodExec podExec();

    /**
     * How images built on this machine get into the clusters ({@code Mesh.loadImages}); by default
     * none do (a mesh over connections it did not provision knows no provider).
     */
    default ImageLoader imageLoader() {
        return ImageLoader.refusing("this mesh was not provisioned by mcmesh's provisioner, so it knows no way to load images");
    }

    /**
     * The mesh as a test class sees it: every cluster, scoped to this namespace. Deploying
     * through a cluster handle waits for readiness; in a plaintext mesh pods get
     * {@code security.istio.io/tlsMode: disabled}.
     */
    default Mesh view(String namespace) {
        return new MeshView(this, namespace);
    }

    /** Deletes what the cleanup policy allows: owned clusters, the shared network. */
    void teardown();

    /** Closes the clients; deletes nothing. */
    @Override
    void close();
}
