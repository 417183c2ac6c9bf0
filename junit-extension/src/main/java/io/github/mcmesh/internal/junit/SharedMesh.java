package io.github.mcmesh.internal.junit;

import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.junit.MeshUnavailableException;
import io.github.mcmesh.junit.MultiClusterMesh;
import io.github.mcmesh.spec.CleanupPolicy;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh one identity stands for in this JVM, shared by every test class that asks for it; a
 * value of the root store, closed by JUnit at the end of the run. Provisioning happens once: its
 * failure is kept and handed to every later class, without another attempt.
 */
// JUnit closes AutoCloseable store values from 5.13 on, CloseableResource ones before; 5.13+ closes a value
// implementing both once, as AutoCloseable (AbstractExtensionContext.createCloseAction). CloseableResource is
// deprecated from 5.13, hence the suppression.
@SuppressWarnings("deprecation")
public final class SharedMesh implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(SharedMesh.class);

    /** The spec the first class asked for: the provisioned mesh's, and the one to compare with when provisioning failed and there is no mesh. */
    private final MeshSpec spec;
    private final String requestedBy;
    private final MeshLock lock;
    private final ProvisionedMesh provisioned;
    private final RuntimeException failure;
    private final AtomicBoolean testFailed = new AtomicBoolean();

    private SharedMesh(MeshSpec spec, String requestedBy, MeshLock lock, ProvisionedMesh provisioned,
            RuntimeException failure) {
        this.spec = spec;
        this.requestedBy = requestedBy;
        this.lock = lock;
        this.provisioned = provisioned;
        this.failure = failure;
    }

    /**
     * Reuses the mesh after a warm check under the shared cross-JVM lock, or provisions it under
     * the exclusive one, then reaps stale namespaces.
     * Never throws: a failure is kept and rethrown by {@link #provisioned(Class)}.
     */
    public static SharedMesh open(MeshSpec spec, Class<?> requestedBy, MeshBackend backend, String runId) {
        Instant start = Instant.now();
        MeshLock lock = null;
        try {
            lock = MeshLock.open(spec);
            LOG.info("Provisioning mesh {} for {}", spec.identity(), requestedBy.getName());
            ProvisionedMesh provisioned;
            // provisioning takes over what the warm check opened and read; closing releases only what none took
            try (MeshBackend.Attempt attempt = backend.attempt(spec)) {
                provisioned = lock.useOrProvision(longestProvisioning(spec.timeouts()), attempt::reuseIfReady, attempt::provision);
            }
            LOG.info("Mesh {} ready after {} ms", spec.identity(), Duration.between(start, Instant.now()).toMillis());
            reapStaleNamespaces(provisioned, runId);
            return new SharedMesh(spec, requestedBy.getName(), lock, provisioned, null);
        } catch (RuntimeException e) {
            LOG.error("Mesh {} could not be provisioned; every class using it in this JVM fails", spec.identity(), e);
            if (lock != null) {
                lock.close();
            }
            return new SharedMesh(spec, requestedBy.getName(), null, null, e);
        }
    }

    /** Housekeeping: a failure here is logged and never fails the tests. */
    private static void reapStaleNamespaces(ProvisionedMesh provisioned, String runId) {
        try {
            ClassNamespaces.reapStale(provisioned.connections(), runId, Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the namespaces earlier runs kept; continuing", e);
        }
    }

    /**
     * The provisioned mesh, checked against what the asking class requested.
     *
     * @throws ExtensionConfigurationException when the class asks for another shape under the same identity
     * @throws MeshUnavailableException with the provisioning failure as cause
     */
    public ProvisionedMesh provisioned(Class<?> testClass, MeshSpec requested) {
        List<Fingerprint.Change> drift = Fingerprint.of(requested).changesFrom(Fingerprint.of(spec));
        if (!drift.isEmpty()) {
            throw new ExtensionConfigurationException(String.format(
                    "@MultiClusterMesh on %s asks for mesh %s with other settings than %s, which already uses it in this JVM:%n"
                            + "%s%n"
                            + "A mesh is identified by its cluster names: give %s other cluster names, or align the settings.",
                    testClass.getName(), spec.identity(), requestedBy,
                    drift.stream().map(change -> "  " + change).collect(Collectors.joining(System.lineSeparator())),
                    testClass.getSimpleName()));
        }
        warnAboutIgnoredSettings(testClass, requested);
        if (failure != null) {
            String message = testClass.getName().equals(requestedBy)
                    ? "Mesh " + spec.identity() + " could not be provisioned: " + describe(failure)
                    : "Mesh " + spec.identity() + " could not be provisioned for " + requestedBy
                            + " earlier in this JVM; not trying again: " + describe(failure);
            throw new MeshUnavailableException(message, failure);
        }
        return provisioned;
    }

    /** The failure's message, or its type when it has none (a bare {@code NullPointerException}), so the reason is never "null". */
    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank()
                ? failure.getClass().getName() + " without a message (its stack trace is the cause below)"
                : message;
    }

    /**
     * Settings outside the fingerprint (reuse, cleanup, timeouts, tools) belong to the mesh, so the
     * first class's win; a later class asking for others is told, not failed.
     */
    private void warnAboutIgnoredSettings(Class<?> testClass, MeshSpec requested) {
        List<String> ignored = new java.util.ArrayList<>();
        if (requested.reuse() != spec.reuse()) {
            ignored.add("reuse " + requested.reuse() + " (the mesh has " + spec.reuse() + ")");
        }
        if (requested.cleanup() != spec.cleanup()) {
            ignored.add("cleanup " + requested.cleanup() + " (the mesh has " + spec.cleanup() + ")");
        }
        if (!requested.timeouts().equals(spec.timeouts())) {
            ignored.add("timeouts " + requested.timeouts() + " (the mesh has " + spec.timeouts() + ")");
        }
        if (!requested.tools().equals(spec.tools())) {
            ignored.add("tools " + requested.tools() + " (the mesh has " + spec.tools() + ")");
        }
        if (!ignored.isEmpty()) {
            LOG.warn("{} asks for {} on mesh {}, which {} set up first in this JVM; these settings belong to the mesh"
                    + " and stay as they are", testClass.getName(), String.join(", ", ignored), spec.identity(), requestedBy);
        }
    }

    /** A test using this mesh failed: cleanup {@code ON_SUCCESS} keeps the clusters. */
    void recordTestFailure() {
        testFailed.set(true);
    }

    /** Applies the cleanup policy, closes the clients and stops using the mesh. */
    @Override
    public void close() {
        if (failure != null) {
            return;
        }
        try {
            if (shouldTearDown()) {
                boolean tornDown = lock.tearDownUnlessUsedElsewhere(longestProvisioning(spec.timeouts()), provisioned::teardown);
                if (tornDown) {
                    LOG.info("Deleted mesh {} (cleanup {})", spec.identity(), spec.cleanup());
                } else {
                    LOG.info("Kept mesh {}: another JVM still uses it (lock {})", spec.identity(), lock.file());
                }
            } else {
                LOG.info("Kept mesh {} (cleanup {}{})", spec.identity(), spec.cleanup(),
                        testFailed.get() ? ", a test failed" : "");
            }
        } finally {
            provisioned.close();
            lock.close();
        }
    }

    private boolean shouldTearDown() {
        return spec.cleanup() == CleanupPolicy.ALWAYS || spec.cleanup() == CleanupPolicy.ON_SUCCESS && !testFailed.get();
    }

    /** How long a JVM may wait for another to provision or tear down: as long as a provisioning may take. */
    private static Duration longestProvisioning(Timeouts timeouts) {
        return timeouts.clusterStart().plus(timeouts.istioInstall()).plus(timeouts.meshReady());
    }
}
