package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.junit.MeshBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The extension asks the provisioner which tools and engine a mesh needs; it runs no tool itself.
 * Read from the compiled classes' constant pools, where every type a class uses appears.
 */
class ExtensionLayeringTest {

    @Test
    void the_extension_names_no_tool_runner_and_no_docker_wrapper() {
        // given
        List<Path> classes = Stream.of("io/github/mcmesh/junit/", "io/github/mcmesh/internal/junit/")
                .flatMap(packagePath -> classesOf(packagePath).stream()).toList();

        // then
        assertThat(classes).extracting(file -> file.getFileName().toString())
                .contains("MultiClusterMeshExtension.class", "MeshBackend.class");
        assertThat(classes).filteredOn(file -> references(file, "io/github/mcmesh/internal/exec/")
                        || references(file, "io/github/mcmesh/internal/provision/Docker"))
                .as("extension classes naming internal.exec or provision.Docker").isEmpty();
    }

    private static List<Path> classesOf(String packagePath) {
        try {
            Path root = Path.of(MeshBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.list(root.resolve(packagePath))) {
                return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean references(Path classFile, String name) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
