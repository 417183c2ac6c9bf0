package io.github.mcmesh.internal.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.assertions.MeshAssertionError;
import io.github.mcmesh.internal.diagnostics.DiagnosticsCollector;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.spec.CleanupPolicy;
import io.github.mcmesh.spec.MeshSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one annotated test class (and its {@code @Nested} classes) uses: its specification, the
 * shared mesh, its namespace in every cluster and the mesh view over it. A value of the class's
 * store; closing it applies the namespace cleanup policy.
 */
// JUnit closes AutoCloseable store values from 5.13 on, CloseableResource ones before; 5.13+ closes a value
// implementing both once, as AutoCloseable (AbstractExtensionContext.createCloseAction). CloseableResource is
// deprecated from 5.13, hence the suppression.
@SuppressWarnings("deprecation")
public final class ClassScope implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(ClassScope.class);

    private final ExtensionContext classContext;
    /** The class's own settings (its namespace cleanup may differ from the first class's); the mesh keeps its own spec. */
    private final MeshSpec spec;
    private final SharedMesh shared;
    private final ProvisionedMesh provisioned;
    private final Mesh view;
    private final AtomicBoolean testFailed = new AtomicBoolean();

    public ClassScope(ExtensionContext classContext, MeshSpec spec, SharedMesh shared, ProvisionedMesh provisioned, String namespace) {
        this.classContext = classContext;
        this.spec = spec;
        this.shared = shared;
        this.provisioned = provisioned;
        this.view = provisioned.view(namespace);
    }

    MeshSpec spec() {
        return spec;
    }

    Mesh mesh() {
        return view;
    }

    String namespace() {
        return view.namespace();
    }

    /**
     * The cluster's client as provisioned: the shared mesh's, in the namespace its kube context names
     * (the handles of {@link #mesh()} have clients in the class namespace instead).
     */
    KubernetesClient client(String cluster) {
        List<ClusterConnection> clusters = provisioned.connections();
        return clusters.stream().filter(connection -> connection.name().equals(cluster)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No cluster named '" + cluster + "' in this mesh; known"
                        + " clusters: " + ClassNamespaces.names(clusters)))
                .client();
    }

    /**
     * A test of this class failed: namespace cleanup {@code ON_SUCCESS} keeps the namespace, mesh
     * cleanup too; what the mesh looked like goes into {@code directory}.
     *
     * @return the folder the diagnostics were written to
     */
    public Path recordTestFailure(Path directory, Throwable cause) {
        testFailed.set(true);
        shared.recordTestFailure();
        List<String> transcript = cause instanceof MeshAssertionError meshError ? meshError.transcript() : List.of();
        // the mesh's own pod exec, the one it was provisioned with
        return new DiagnosticsCollector(provisioned.podExec(), spec.timeouts().command()).collect(view, directory, transcript);
    }

    @Override
    public void close() {
        boolean failed = testFailed.get() || classContext.getExecutionException().isPresent();
        if (failed) {
            shared.recordTestFailure();
        }
        CleanupPolicy policy = spec.namespaceCleanup();
        List<ClusterConnection> clusters = provisioned.connections();
        if (policy == CleanupPolicy.ALWAYS || policy == CleanupPolicy.ON_SUCCESS && !failed) {
            ClassNamespaces.delete(clusters, namespace(), spec.timeouts().namespaceDeletion());
        } else {
            LOG.info("Kept namespace {} in clusters {} for inspection ({}; namespace cleanup {}). Delete it with: {}",
                    namespace(), ClassNamespaces.names(clusters),
                    failed ? classContext.getRequiredTestClass().getName() + " failed" : "kept by policy", policy,
                    clusters.stream().map(c -> "kubectl --context " + c.name() + " delete namespace " + namespace())
                            .collect(Collectors.joining("; ")));
        }
    }
}
