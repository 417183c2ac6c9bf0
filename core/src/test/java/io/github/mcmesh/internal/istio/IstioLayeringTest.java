package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.provision.MeshProvisioner;
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
 * The dependency between {@code internal.provision} and {@code internal.istio} runs one way: istio
 * builds on provision's steps and context, provision never names an istio type. Read from the
 * compiled classes' constant pools, where every type a class uses (imports, fully qualified names,
 * lambdas, signatures) appears in its internal form, so comments and Javadoc do not count.
 */
class IstioLayeringTest {

    private static final String PROVISION = "io/github/mcmesh/internal/provision/";
    private static final String ISTIO = "io/github/mcmesh/internal/istio/";

    @Test
    void provision_names_no_istio_type() {
        // given
        List<Path> provisionClasses = classesOf(PROVISION);

        // then
        assertThat(provisionClasses).isNotEmpty();
        assertThat(provisionClasses).filteredOn(file -> references(file, ISTIO))
                .as("classes of internal.provision naming a type of internal.istio (the cycle is back)").isEmpty();
    }

    @Test
    void the_scan_sees_the_dependency_that_is_allowed() {
        // then: istio does name provision's types, so a reference the other way would be seen as well
        assertThat(classesOf(ISTIO)).filteredOn(file -> references(file, PROVISION))
                .extracting(file -> file.getFileName().toString()).contains("IstioLayers.class", "IstioInstaller.class");
    }

    private static List<Path> classesOf(String packagePath) {
        try {
            Path root = Path.of(MeshProvisioner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.list(root.resolve(packagePath))) {
                return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the class file's constant pool holds a name under {@code packagePath} (class names are stored as modified UTF-8, ASCII here). */
    private static boolean references(Path classFile, String packagePath) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(packagePath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
