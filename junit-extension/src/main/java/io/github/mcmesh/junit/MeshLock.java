package io.github.mcmesh.junit;

import io.github.mcmesh.spec.MeshSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps JVMs from provisioning one mesh twice and from deleting a mesh another JVM uses. One lock
 * file per mesh identity under {@code <state directory>/locks/}, with two OS byte-range locks:
 * <ul>
 * <li>the <em>gate</em> (byte 0), held exclusively while a JVM provisions or tears the mesh down;
 * its holder writes its pid and host into a {@code .holder} file beside the lock, so a waiting JVM
 * can say whom it waits for;</li>
 * <li>the <em>usage</em> lock (byte 1), held shared by every JVM that uses the mesh, taken while
 * the gate is held so no teardown slips in between; teardown needs it exclusively.</li>
 * </ul>
 * The OS releases both when a JVM dies. Within one JVM there is one {@code MeshLock} per identity
 * (Java forbids overlapping locks on one file in one process).
 */
final class MeshLock implements AutoCloseable {

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

    /** Opens (creating owner-only where missing) the lock file of this mesh under its state directory. */
    static MeshLock open(MeshSpec spec) {
        Path directory = spec.stateDirectory().resolve("locks");
        Path file = directory.resolve(spec.identityFileName() + ".lock");
        try {
            createOwnerOnlyDirectories(directory);
            createOwnerOnlyFile(file);
            return new MeshLock(spec.identity(), file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the mesh lock " + file, e);
        }
    }

    /** The lock file. */
    Path file() {
        return file;
    }

    /**
     * Runs {@code provisioning} holding the gate, then keeps holding the mesh shared until
     * {@link #close()}. When provisioning throws, this JVM does not use the mesh: nothing stays held.
     *
     * @throws MeshLockTimeoutException when the gate stays taken longer than {@code maxWait}
     */
    synchronized <T> T provisionThenUse(Duration maxWait, Supplier<T> provisioning) {
        FileLock gate = acquireGate(maxWait, "provisioning");
        try {
            usage = channel.lock(USAGE, 1, true);
            try {
                return provisioning.get();
            } catch (RuntimeException | Error e) {
                usage.release();
                usage = null;
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        } finally {
            releaseGate(gate);
        }
    }

    /**
     * Runs {@code teardown} holding the gate, unless another JVM still uses the mesh.
     *
     * @return whether the teardown ran; {@code false} when another JVM holds the mesh
     */
    synchronized boolean tearDownUnlessUsedElsewhere(Duration maxWait, Runnable teardown) {
        FileLock gate = acquireGate(maxWait, "tearing down");
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

    private FileLock acquireGate(Duration maxWait, String activity) {
        Instant deadline = Instant.now().plus(maxWait);
        boolean announced = false;
        try {
            while (true) {
                FileLock gate = channel.tryLock(GATE, 1, false);
                if (gate != null) {
                    createOwnerOnlyFile(holderFile);
                    Files.writeString(holderFile, describeThisJvm() + ", " + activity + " since " + Instant.now());
                    return gate;
                }
                if (!announced) {
                    LOG.info("Waiting for mesh {}: {} (lock {})", identity, holder(), file);
                    announced = true;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new MeshLockTimeoutException("Gave up after " + maxWait + " waiting for mesh " + identity
                            + ": " + holder() + " still holds " + file
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

    private static void createOwnerOnlyDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void createOwnerOnlyFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // another JVM made it first; fine
        }
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
