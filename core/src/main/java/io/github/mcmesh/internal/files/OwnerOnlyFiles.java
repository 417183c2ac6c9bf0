package io.github.mcmesh.internal.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one way mcmesh creates files that only their owner may read: directories {@code 0700},
 * files {@code 0600}, both created with those modes (a POSIX attribute at creation, so there is
 * no moment with the umask's looser mode) and written through a temporary file moved into place.
 * Everything under the state directory (owned records, locks, CA files) and the diagnostics are
 * written through it.
 *
 * <pre>{@code
 * OwnerOnlyFiles.createDirectories(state.resolve("owned"));
 * OwnerOnlyFiles.writeString(state.resolve("owned/cluster-mcmesh-east"), "creation-id ...\n");
 * }</pre>
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /**
     * Creates the directory and its missing parents, each {@code 0700}; the directory itself is
     * set to {@code 0700} when it existed with a looser mode (e.g. from an older mcmesh). Parents
     * that existed are left as they are: they may be the user's.
     *
     * @return the directory
     * @throws IOException when it cannot be created, or exists and is not a directory
     */
    public static Path createDirectories(Path directory) throws IOException {
        createMissingDirectories(directory);
        if (!Files.getPosixFilePermissions(directory).equals(DIRECTORY_MODE)) {
            Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
        }
        return directory;
    }

    /**
     * Creates the directory and its missing parents, each {@code 0700}, and leaves the mode of one
     * that exists as it is: for a directory the user names ({@code mcmesh.state.dir=/tmp/mesh-state}
     * or even {@code /tmp}), which mcmesh must not tighten; what mcmesh keeps inside it is created
     * through {@link #createDirectories(Path)}.
     *
     * @return the directory
     * @throws IOException when it cannot be created, or exists and is not a directory
     */
    public static Path createMissingDirectories(Path directory) throws IOException {
        try {
            Files.createDirectories(directory, directoryAttribute());
        } catch (FileAlreadyExistsException e) {
            throw new IOException(directory + " exists and is not a directory", e);
        }
        return directory;
    }

    /**
     * Creates an empty {@code 0600} file (and its directory, see {@link #createDirectories(Path)})
     * unless it exists; another process creating it at the same moment is fine.
     *
     * @return whether this call created it
     */
    public static boolean createFileIfMissing(Path file) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, fileAttribute());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Writes UTF-8 text, see {@link #write(Path, byte[])}. */
    public static void writeString(Path file, String content) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the file's content through a {@code 0600} temporary file in the same directory,
     * moved into place atomically: the content is never readable by others, even briefly, and a
     * reader never sees half of it. The directory is created as {@link #createDirectories(Path)} does.
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path directory = createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp", fileAttribute());
        try {
            Files.write(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE_MODE);
    }

    private static FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
        return PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);
    }
}
