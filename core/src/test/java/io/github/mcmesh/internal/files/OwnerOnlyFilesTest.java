package io.github.mcmesh.internal.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path temp;

    @Test
    void creates_every_missing_directory_0700_and_leaves_existing_parents_alone() throws IOException {
        // given
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));

        // when
        OwnerOnlyFiles.createDirectories(temp.resolve("state/owned"));

        // then
        assertThat(mode(temp.resolve("state"))).isEqualTo("rwx------");
        assertThat(mode(temp.resolve("state/owned"))).isEqualTo("rwx------");
        assertThat(mode(temp)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void tightens_a_directory_an_older_version_left_0755() throws IOException {
        // given
        Path owned = Files.createDirectories(temp.resolve("owned"));
        Files.setPosixFilePermissions(owned, PosixFilePermissions.fromString("rwxr-xr-x"));

        // when
        OwnerOnlyFiles.createDirectories(owned);

        // then
        assertThat(mode(owned)).isEqualTo("rwx------");
    }

    @Test
    void writes_files_0600_also_over_a_file_that_was_0644_and_leaves_no_temporary_file() throws IOException {
        // given
        Path file = temp.resolve("owned/cluster-mcmesh-east");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        // when
        OwnerOnlyFiles.writeString(file, "creation-id=abc\n");
        OwnerOnlyFiles.writeString(temp.resolve("new/file"), "x");

        // then
        assertThat(file).hasContent("creation-id=abc");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(temp.resolve("new/file"))).isEqualTo("rw-------");
        assertThat(mode(temp.resolve("new"))).isEqualTo("rwx------");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void creates_a_missing_file_0600_once() throws IOException {
        // given
        Path lock = temp.resolve("locks/mesh.lock");

        // when
        boolean first = OwnerOnlyFiles.createFileIfMissing(lock);
        boolean second = OwnerOnlyFiles.createFileIfMissing(lock);

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(mode(lock)).isEqualTo("rw-------");
        assertThat(mode(lock.getParent())).isEqualTo("rwx------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
