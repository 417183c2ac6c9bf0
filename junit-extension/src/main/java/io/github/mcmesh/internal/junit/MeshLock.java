package io.github.mcmesh.internal.junit;

import io.github.mcmesh.internal.files.OwnerOnlyFiles;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.InvalidMeshSpecException;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps JVMs from provisioning one mesh twice and from deleting a mesh another JVM uses, while
 * letting JVMs that only check a healthy mesh do so at the same time. One lock file per mesh
 * identity under {@code <state directory>/locks/}, with two OS byte-range locks:
 * <ul>
 * <li>the <em>gate</em> (byte 0), held <em>shared</em> while a JVM runs the warm check (reads
 * only), <em>exclusively</em> while a JVM provisions or tears the mesh down; an exclusive holder
 * writes its pid and host into a {@code .holder} file beside the lock, so a waiting JVM can say
 * whom it waits for;</li>
 * <li>the <em>usage</em> lock (byte 1), held shared by every JVM that uses the mesh, taken while
 * the gate is held so no teardown slips in between; teardown needs it exclusively.</li>
 * </ul>
 * The OS releases both when a JVM dies. Within one JVM there is one {@code MeshLock} per identity
 * (Java forbids overlapping locks on one file in one process).
 */
public final class MeshLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshLock.class);
    private static final long GATE = 0;
    private static final long USAGE = 1;
    private static final Duration POLL = Duration.ofMillis(100);

    private final String identity;
    private final Path file;
    private final Path holderFile;
    private final FileChannel channel;
    private FileLock usage;

    private MeshLock(String identity, Path file, FileChannel channel) {
        this.identity = identity;
        this.file = file;
        this.holderFile = file.resolveSibling(file.getFileName() + ".holder");
        this.channel = channel;
    }

    /**
     * Opens (creating owner-only where missing) the lock file of this mesh under its state directory.
     *
     * @throws InvalidMeshSpecException naming {@value MeshProperties#STATE_DIR} when the state directory is unusable
     */
    public static MeshLock open(MeshSpec spec) {
        Path directory = spec.stateDirectory().resolve("locks");
        Path file = directory.resolve(SpecFacts.identityFileName(spec) + ".lock");
        try {
            OwnerOnlyFiles.createFileIfMissing(file);
            return new MeshLock(spec.identity(), file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new InvalidMeshSpecException(List.of(new InvalidMeshSpecException.Problem(MeshProperties.STATE_DIR,
                    spec.stateDirectory().toString(), "mcmesh cannot create its lock " + file + " there (" + e
                            + "); it is " + (spec.stateDirectory().equals(MeshSpec.defaults().stateDirectory())
                                    ? "the default (user.home/.mcmesh)" : "set in the spec or a property")
                            + ". Set " + MeshProperties.STATE_DIR + " (system property, junit-platform.properties or "
                            + ConfigSource.environmentName(MeshProperties.STATE_DIR)
                            + ") to a directory this user can create and write")));
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /**
     * Runs {@code provisioning} holding the gate exclusively, then keeps holding the mesh shared
     * until {@link #close()}. When provisioning throws, this JVM does not use the mesh: nothing stays held.
     *
     * @throws MeshLockTimeoutException when the gate stays taken longer than {@code maxWait}
     */
    public synchronized <T> T provisionThenUse(Duration maxWait, Supplier<T> provisioning) {
        return useOrProvision(maxWait, Optional::empty, provisioning);
    }

    /**
     * Runs the {@code warmCheck} holding the gate shared, so JVMs that find the mesh healthy check
     * it at the same time; when it finds nothing to reuse, runs {@code provisioning} holding the
     * gate exclusively (it checks again: another JVM may have provisioned in between). Either way
     * this JVM then holds the mesh shared until {@link #close()}; when both throw, nothing stays held.
     *
     * @param warmCheck reads only; the mesh when it can be used as it is
     * @throws MeshLockTimeoutException when the gate stays taken longer than {@code maxWait}
     */
    public synchronized <T> T useOrProvision(Duration maxWait, Supplier<Optional<T>> warmCheck, Supplier<T> provisioning) {
        FileLock checking = acquireGate(maxWait, true, "checking");
        try {
            usage = channel.lock(USAGE, 1, true);
            Optional<T> warm = releasingUsageOnFailure(warmCheck);
            if (warm.isPresent()) {
                return warm.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        } finally {
            releaseGate(checking);
        }
        // a shared lock cannot be upgraded in place: let go, then queue for the exclusive gate
        return releasingUsageOnFailure(() -> {
            FileLock provisioningGate = acquireGate(maxWait, false, "provisioning");
            try {
                return provisioning.get();
            } finally {
                releaseGate(provisioningGate);
            }
        });
    }

    private <T> T releasingUsageOnFailure(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            try {
                usage.release();
            } catch (IOException releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            usage = null;
            throw e;
        }
    }

    /**
     * Runs {@code teardown} holding the gate, unless another JVM still uses the mesh.
     *
     * @return whether the teardown ran; {@code false} when another JVM holds the mesh
     */
    public synchronized boolean tearDownUnlessUsedElsewhere(Duration maxWait, Runnable teardown) {
        FileLock gate = acquireGate(maxWait, false, "tearing down");
        try {
            if (usage != null) {
                usage.release();
                usage = null;
            }
            FileLock exclusiveUsage = channel.tryLock(USAGE, 1, false);
            if (exclusiveUsage == null) {
                return false;
            }
            try {
                teardown.run();
                return true;
            } finally {
                exclusiveUsage.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        } finally {
            releaseGate(gate);
        }
    }

    /** Stops using the mesh; the OS lock goes, the lock file stays for the next run. */
    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Could not close the mesh lock {}", file, e);
        }
    }

    private FileLock acquireGate(Duration maxWait, boolean shared, String activity) {
        Instant deadline = Instant.now().plus(maxWait);
        boolean announced = false;
        try {
            while (true) {
                FileLock gate = channel.tryLock(GATE, 1, shared);
                if (gate != null) {
                    if (!shared) {
                        OwnerOnlyFiles.writeString(holderFile, describeThisJvm() + ", " + activity + " since " + Instant.now());
                    }
                    return gate;
                }
                if (!announced) {
                    LOG.info("Waiting for mesh {}: {} (lock {})", identity, blocker(shared), file);
                    announced = true;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new MeshLockTimeoutException("Gave up after " + maxWait + " waiting for mesh " + identity
                            + ": " + blocker(shared) + " still holds " + file
                            + ". If no such process is running, the lock is free again and the next run goes ahead.");
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshLockTimeoutException("Interrupted while waiting for mesh " + identity + " (" + file + ")");
        }
    }

    /**
     * Who keeps the gate: the exclusive holder named in the holder file, or, when a shared lock
     * can be had (only an exclusive request is waiting), other JVMs checking the mesh.
     */
    private String blocker(boolean waitingForShared) throws IOException {
        if (!waitingForShared) {
            FileLock probe = channel.tryLock(GATE, 1, true);
            if (probe != null) {
                probe.release();
                return "other JVMs checking the mesh";
            }
        }
        return holder();
    }

    private void releaseGate(FileLock gate) {
        try {
            gate.release();
        } catch (IOException e) {
            LOG.warn("Could not release the mesh lock {}", file, e);
        }
    }

    private String holder() {
        try {
            return Files.readString(holderFile).trim();
        } catch (IOException e) {
            return "another process";
        }
    }

    private static String describeThisJvm() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "an unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host;
    }

    /**
     * The mesh lock stayed taken longer than a provisioning may take.
     *
     * <pre>{@code
     * Gave up after PT25M waiting for mesh mcmesh-east+mcmesh-west@mesh1: pid 4242 on ci-7, provisioning since ...
     * }</pre>
     */
    static final class MeshLockTimeoutException extends RuntimeException {
        MeshLockTimeoutException(String message) {
            super(message);
        }
    }
}
