package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.junit.MeshBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The extension asks the provisioner which tools and engine a mesh needs; it runs no tool itself.
 * Read from the compiled classes' constant pools, where every type a class uses appears.
 */
class ExtensionLayeringTest {

    @Test
    void the_extension_names_no_tool_runner_and_no_docker_wrapper() {
        // given the extension's compiled classes, from its class directory or its jar (the compat cells use the jar)
        Map<String, String> classes = classesOf("io/github/mcmesh/junit/", "io/github/mcmesh/internal/junit/");

        // then
        assertThat(classes.keySet()).contains("io/github/mcmesh/junit/MultiClusterMeshExtension.class",
                "io/github/mcmesh/internal/junit/MeshBackend.class");
        assertThat(classes.entrySet()).filteredOn(entry -> entry.getValue().contains("io/github/mcmesh/internal/exec/")
                        || entry.getValue().contains("io/github/mcmesh/internal/provision/Docker"))
                .extracting(Map.Entry::getKey)
                .as("extension classes naming internal.exec or provision.Docker").isEmpty();
    }

    /** Each class file directly in these packages, by path, with its bytes as ISO-8859-1 text (the constant pool's names are ASCII). */
    private static Map<String, String> classesOf(String... packagePaths) {
        try {
            Path location = Path.of(MeshBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return classesOf(location, packagePaths);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                return classesOf(jar.getPath("/"), packagePaths);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> classesOf(Path root, String... packagePaths) throws IOException {
        Map<String, String> classes = new TreeMap<>();
        for (String packagePath : packagePaths) {
            try (Stream<Path> files = Files.list(root.resolve(packagePath))) {
                for (Path file : files.filter(file -> file.toString().endsWith(".class")).toList()) {
                    classes.put(packagePath + file.getFileName(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return classes;
    }
}
