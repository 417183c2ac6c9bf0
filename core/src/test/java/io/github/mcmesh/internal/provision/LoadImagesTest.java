package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Mesh.loadImages}: images built on this machine into every minikube cluster, through the fake tools. */
class LoadImagesTest {

    private static final String CHECKOUT = "registry.local/checkout:dev";
    private static final String BUILD_1 = "sha256:" + "1".repeat(64);
    private static final String BUILD_2 = "sha256:" + "2".repeat(64);

    @TempDir
    Path tmp;

    private MeshFixture fixture;
    private ProvisionedMesh provisioned;
    private Mesh mesh;

    @BeforeEach
    void provision() {
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        provisioned = fixture.provisioner().provision();
        mesh = provisioned.view("demo");
    }

    @AfterEach
    void close() {
        provisioned.close();
        fixture.close();
    }

    /** The images this machine's docker daemon holds, {@code <ref> <id>} a line, as the fake docker reads them. */
    private void hostImages(String... lines) throws IOException {
        Path file = fixture.fakes().stateDirectory().resolve("docker/images");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines));
    }

    private List<String> nodeImages(String cluster) throws IOException {
        return Files.readAllLines(fixture.fakes().stateDirectory().resolve("minikube/profiles/" + cluster + "/images"));
    }

    private List<String> imageCommandsSince(int from) {
        List<String> all = fixture.fakes().invocations();
        return all.subList(from, all.size()).stream()
                .filter(line -> line.startsWith("minikube image") || line.startsWith("docker image")).toList();
    }

    @Test
    void loads_a_local_image_into_every_cluster_from_the_docker_daemon() throws IOException {
        // given
        hostImages(CHECKOUT + " " + BUILD_1);
        int before = fixture.fakes().invocations().size();

        // when
        try (LogCapture logs = new LogCapture()) {
            mesh.loadImages(CHECKOUT);

            // then progress is logged per cluster, with the elapsed time
            for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
                assertThat(logs.lines()).anySatisfy(line -> assertThat(line)
                        .matches("INFO \\[" + cluster + "\\] images in \\d+ ms: loaded \\[" + CHECKOUT + "\\], skipped \\[\\]"
                                + " \\(the node has the same image id\\)"));
            }
        }

        // and the daemon is asked once, each cluster lists, loads from the daemon only, and lists again
        assertThat(imageCommandsSince(before)).containsExactlyInAnyOrder(
                "docker image inspect --format {{.Id}} " + CHECKOUT,
                "minikube image ls --format json -p mcmesh-east", "minikube image load -p mcmesh-east --daemon " + CHECKOUT,
                "minikube image ls --format json -p mcmesh-east",
                "minikube image ls --format json -p mcmesh-west", "minikube image load -p mcmesh-west --daemon " + CHECKOUT,
                "minikube image ls --format json -p mcmesh-west");
        assertThat(nodeImages("mcmesh-east")).contains(CHECKOUT + " " + "1".repeat(64));
        assertThat(nodeImages("mcmesh-west")).contains(CHECKOUT + " " + "1".repeat(64));
    }

    @Test
    void skips_clusters_whose_node_has_the_same_image_id_and_reloads_a_rebuilt_image_with_the_same_tag() throws IOException {
        // given the image loaded once
        hostImages(CHECKOUT + " " + BUILD_1);
        mesh.loadImages(CHECKOUT);
        int before = fixture.fakes().invocations().size();

        // when loaded again unchanged
        mesh.loadImages(CHECKOUT);

        // then nothing is loaded
        assertThat(imageCommandsSince(before)).filteredOn(line -> line.contains(" load ")).isEmpty();

        // when rebuilt under the same tag
        hostImages(CHECKOUT + " " + BUILD_2);
        before = fixture.fakes().invocations().size();
        mesh.loadImages(CHECKOUT);

        // then it is loaded again everywhere, replacing the old build
        assertThat(imageCommandsSince(before)).filteredOn(line -> line.contains(" load ")).containsExactlyInAnyOrder(
                "minikube image load -p mcmesh-east --daemon " + CHECKOUT, "minikube image load -p mcmesh-west --daemon " + CHECKOUT);
        assertThat(nodeImages("mcmesh-east")).contains(CHECKOUT + " " + "2".repeat(64)).doesNotContain(CHECKOUT + " " + "1".repeat(64));
    }

    @Test
    void an_image_the_docker_daemon_lacks_fails_naming_it_before_any_load() throws IOException {
        // given checkout is there, frontend is not; the nodes hold an older frontend
        hostImages(CHECKOUT + " " + BUILD_1);
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            Files.writeString(fixture.fakes().stateDirectory().resolve("minikube/profiles/" + cluster + "/images"),
                    "registry.local/frontend:dev " + "3".repeat(64) + "\n", StandardOpenOption.APPEND);
        }
        int before = fixture.fakes().invocations().size();

        // when / then
        assertThatThrownBy(() -> mesh.loadImages(CHECKOUT, "registry.local/frontend:dev"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Mesh.loadImages: this machine's docker daemon has no image registry.local/frontend:dev"
                        + " ('docker image inspect' found none), so nothing was loaded; build it (docker build -t"
                        + " registry.local/frontend:dev .) or pull it first, and pass the name 'docker images' shows");
        assertThat(imageCommandsSince(before)).noneMatch(line -> line.startsWith("minikube"));
        // a load would have removed the node's copy (machine/cache_images.go transferAndLoadImage) and exited 0
        assertThat(nodeImages("mcmesh-east")).contains("registry.local/frontend:dev " + "3".repeat(64));
    }

    @Test
    void an_image_minikube_does_not_replace_because_a_container_uses_it_fails_naming_the_cluster() throws IOException {
        // given build 1 in both nodes, in use by a running container in west, and build 2 on this machine
        hostImages(CHECKOUT + " " + BUILD_1);
        mesh.loadImages(CHECKOUT);
        Files.writeString(fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-west/in-use"), CHECKOUT + "\n");
        hostImages(CHECKOUT + " " + BUILD_2);

        // when / then
        assertThatThrownBy(() -> mesh.loadImages(CHECKOUT))
                .isInstanceOf(ProvisioningException.class)
                .hasMessage("[mcmesh-west] load images [" + CHECKOUT + "] failed: after 'minikube image load' the node still"
                        + " has [" + CHECKOUT + " with its old id " + "1".repeat(64) + "], not this machine's build: minikube"
                        + " keeps the node's image, without an error, when a running container uses it"
                        + " (kubernetes/minikube#23023); delete the pods using it, or build the new image under a new tag");
        assertThat(nodeImages("mcmesh-east")).contains(CHECKOUT + " " + "2".repeat(64));
    }

    @Test
    void no_image_named_is_rejected() {
        assertThatThrownBy(() -> mesh.loadImages())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Mesh.loadImages: name every image as 'docker images' shows it, e.g."
                        + " loadImages(\"registry.local/checkout:dev\"); got []");
    }

    @Test
    void the_existing_provider_says_to_push_to_a_registry() {
        // given
        ImageLoader existing = new ExistingProvider(new ProvisioningContext(fixture.spec(), fixture.fakes().runner())).imageLoader();

        // when / then
        assertThatThrownBy(() -> existing.load(List.of("mcmesh-east"), List.of(CHECKOUT)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot load [" + CHECKOUT + "] into [mcmesh-east]: provider EXISTING loads no images into"
                        + " clusters mcmesh did not create (they need not be minikube profiles); push the images to a registry"
                        + " the clusters can pull from (docker tag <image> <registry>/<name>:<tag>, then docker push"
                        + " <registry>/<name>:<tag>) and deploy them by that name");
    }

    @Test
    void the_fake_minikube_rejects_flags_image_load_and_image_ls_do_not_have() {
        // when
        CommandResult load = fixture.fakes().runner().runAllowingFailure(
                Command.of(Tool.MINIKUBE, "image", "load", "-p", "mcmesh-east", "--all", CHECKOUT));
        CommandResult list = fixture.fakes().runner().runAllowingFailure(
                Command.of(Tool.MINIKUBE, "image", "ls", "-p", "mcmesh-east", "-o", "json"));

        // then cobra's wording, reason.ExProgramUsage
        assertThat(load.exitCode()).isEqualTo(14);
        assertThat(load.stderr()).startsWith("Error: unknown flag: --all\nSee 'minikube image load --help' for usage.");
        assertThat(list.exitCode()).isEqualTo(14);
        assertThat(list.stderr()).startsWith("Error: unknown shorthand flag: 'o' in -o");
    }

    @Test
    void the_fake_minikube_image_load_of_an_image_found_nowhere_warns_removes_the_node_copy_and_exits_0() throws IOException {
        // given the node holds checkout, this machine does not
        Files.writeString(fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-east/images"),
                CHECKOUT + " " + "1".repeat(64) + "\n", StandardOpenOption.APPEND);

        // when
        CommandResult load = fixture.fakes().runner().runAllowingFailure(
                Command.of(Tool.MINIKUBE, "image", "load", "-p", "mcmesh-east", CHECKOUT));

        // then
        assertThat(load.exitCode()).isZero();
        assertThat(load.stderr()).contains("! The image '" + CHECKOUT + "' was not found; unable to add it to cache.");
        assertThat(nodeImages("mcmesh-east")).noneMatch(line -> line.startsWith(CHECKOUT));
    }
}
