package io.github.mcmesh.internal.exec;

import static io.github.mcmesh.internal.exec.Scripts.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mcmesh.spec.ToolPaths;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsTest {

    @TempDir
    Path temp;

    @Test
    void prefers_the_explicit_path_over_the_search_path_and_the_search_path_over_the_process_path() throws IOException {
        // given a helm in three places
        Path explicit = script(Files.createDirectory(temp.resolve("explicit")), "helm", "echo explicit");
        Path searched = script(Files.createDirectory(temp.resolve("searched")), "helm", "echo searched");
        Path onProcessPath = script(Files.createDirectory(temp.resolve("process")), "helm", "echo process");
        String processPath = onProcessPath.getParent().toString();
        ToolPaths searchOnly = ToolPaths.onPath().withSearchPath(searched.getParent().toString());

        // when / then
        assertThat(new Tools(searchOnly.withHelm(explicit), processPath).path(Tool.HELM)).isEqualTo(explicit);
        assertThat(new Tools(searchOnly, processPath).path(Tool.HELM)).isEqualTo(searched);
        assertThat(new Tools(ToolPaths.onPath(), processPath).path(Tool.HELM)).isEqualTo(onProcessPath);
    }

    @Test
    void takes_the_first_directory_of_the_search_path_that_has_the_tool() throws IOException {
        // given
        Path empty = Files.createDirectory(temp.resolve("empty"));
        Path first = script(Files.createDirectory(temp.resolve("first")), "minikube", "true");
        Path second = script(Files.createDirectory(temp.resolve("second")), "minikube", "true");
        String searchPath = String.join(File.pathSeparator, empty.toString(), first.getParent().toString(),
                second.getParent().toString());
        // when
        Path found = new Tools(ToolPaths.onPath().withSearchPath(searchPath), "").path(Tool.MINIKUBE);
        // then
        assertThat(found).isEqualTo(first);
    }

    @Test
    void skips_a_file_that_is_not_executable() throws IOException {
        // given
        Path notExecutable = Files.createDirectory(temp.resolve("plain"));
        Files.writeString(notExecutable.resolve("istioctl"), "not a program");
        Path executable = script(Files.createDirectory(temp.resolve("bin")), "istioctl", "true");
        String searchPath = notExecutable + File.pathSeparator + executable.getParent();
        // when
        Path found = new Tools(ToolPaths.onPath().withSearchPath(searchPath), "").path(Tool.ISTIOCTL);
        // then
        assertThat(found).isEqualTo(executable);
    }

    @Test
    void a_missing_tool_says_which_where_mcmesh_looked_which_version_and_where_to_get_it() {
        // given
        Tools tools = new Tools(ToolPaths.onPath().withSearchPath(temp.toString()), "/usr/bin");
        // when
        ToolNotFoundException error = catchThrowableOfType(ToolNotFoundException.class, () -> tools.path(Tool.MINIKUBE));
        // then
        assertThat(error.tool()).isEqualTo(Tool.MINIKUBE);
        assertThat(error).hasMessageContainingAll(
                "minikube was not found in the search path mcmesh.tools.path: " + temp,
                "minimum version: 1.37.0",
                "https://minikube.sigs.k8s.io/docs/start/",
                "set mcmesh.tools.minikube");
        assertThat(tools.isAvailable(Tool.MINIKUBE)).isFalse();
    }

    @Test
    void a_missing_tool_on_the_process_path_names_that_path() {
        // given
        Tools tools = new Tools(ToolPaths.onPath(), temp.toString());
        // when
        ToolNotFoundException error = catchThrowableOfType(ToolNotFoundException.class, () -> tools.path(Tool.HELM));
        // then
        assertThat(error).hasMessageContainingAll("helm was not found in the PATH of this process: " + temp,
                "minimum version: 3.12.0", "https://helm.sh/docs/intro/install/");
    }

    @Test
    void an_explicit_path_to_nothing_names_the_property_and_the_path() {
        // given
        Path nowhere = temp.resolve("opt/helm");
        Tools tools = new Tools(ToolPaths.onPath().withHelm(nowhere), "/usr/bin:/bin");
        // when
        ToolNotFoundException error = catchThrowableOfType(ToolNotFoundException.class, () -> tools.path(Tool.HELM));
        // then
        assertThat(error).hasMessageContaining("mcmesh.tools.helm is set to " + nowhere + ", but there is no file there");
        assertThat(tools.isAvailable(Tool.HELM)).isFalse();
    }

    @Test
    void an_explicit_path_to_nothing_says_that_the_search_path_holds_the_tool() throws IOException {
        // given helm in mcmesh.tools.path, and mcmesh.tools.helm pointing nowhere
        Path searched = script(Files.createDirectory(temp.resolve("bin")), "helm", "true");
        Path nowhere = temp.resolve("opt/helm");
        Tools tools = new Tools(ToolPaths.onPath().withSearchPath(searched.getParent().toString()).withHelm(nowhere), "");

        // when
        ToolNotFoundException error = catchThrowableOfType(ToolNotFoundException.class, () -> tools.path(Tool.HELM));

        // then the reason is the explicit path, not the search path
        assertThat(error.reason()).isEqualTo("mcmesh.tools.helm is set to " + nowhere + ", but there is no file there"
                + " (the search path mcmesh.tools.path holds " + searched + "; unset mcmesh.tools.helm to use it)");
        assertThat(error).hasMessageStartingWith(error.reason() + ".");
    }

    @Test
    void a_tool_on_the_search_path_that_is_not_executable_says_so() throws IOException {
        // given
        Path plain = Files.writeString(Files.createDirectory(temp.resolve("bin")).resolve("minikube"), "#!/bin/sh");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        Tools tools = new Tools(ToolPaths.onPath().withSearchPath(plain.getParent().toString()), "");

        // when
        ToolNotFoundException error = catchThrowableOfType(ToolNotFoundException.class, () -> tools.path(Tool.MINIKUBE));

        // then
        assertThat(error.reason()).isEqualTo("minikube was not found in the search path mcmesh.tools.path: "
                + plain.getParent() + " (" + plain + " is there, but not executable; chmod +x it)");
    }

    @Test
    void an_explicit_path_to_a_file_that_is_not_executable_says_so() throws IOException {
        // given
        Path plain = Files.writeString(temp.resolve("docker"), "#!/bin/sh");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        Tools tools = new Tools(ToolPaths.onPath().withDocker(plain), "");
        // when
        ToolNotFoundException error = catchThrowableOfType(ToolNotFoundException.class, () -> tools.path(Tool.DOCKER));
        // then
        assertThat(error).hasMessageContaining("mcmesh.tools.docker is set to " + plain + ", but that file is not executable");
    }

    @Test
    void the_child_search_path_puts_directories_of_configured_tools_before_the_search_path() throws IOException {
        // given
        Path docker = script(Files.createDirectory(temp.resolve("docker-bin")), "docker", "true");
        ToolPaths paths = ToolPaths.onPath().withDocker(docker).withSearchPath("/opt/tools" + File.pathSeparator + docker.getParent());
        // when
        String searchPath = new Tools(paths, "/usr/bin").searchPath();
        // then
        assertThat(searchPath).isEqualTo(docker.getParent() + File.pathSeparator + "/opt/tools");
    }
}
