package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.assertAllPassed;
import static io.github.mcmesh.junit.MeshTestKit.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class RequiredToolsConditionTest {

    private static final String MINIKUBE_MISSING =
            "mcmesh needs minikube (1.37.0 or newer; install: https://minikube.sigs.k8s.io/docs/start/), not found in ";

    @TempDir
    Path state;

    @TempDir
    Path tools;

    @AfterEach
    void stop_api_servers() {
        RecordingBackend.stopServers();
    }

    @Test
    void skips_the_class_naming_the_missing_tool_and_where_to_get_it() {
        // given
        MeshTestKit.toolStandIns(tools, "helm", "docker");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .run(NeedsTheMesh.class);

        // then
        assertThat(results.containerEvents().skipped().stream().map(event -> event.getRequiredPayload(String.class)))
                .containsExactly(MINIKUBE_MISSING + tools + "; set mcmesh.requireTools=true to fail instead of skipping");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void prints_the_skip_reason_with_the_class_name_on_standard_error() {
        // given
        MeshTestKit.toolStandIns(tools, "helm", "docker");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream standardError = System.err;

        // when
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString()).run(NeedsTheMesh.class);
        } finally {
            System.setErr(standardError);
        }

        // then
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("mcmesh: skipped " + NeedsTheMesh.class.getName() + ": "
                + MINIKUBE_MISSING + tools + "; set mcmesh.requireTools=true to fail instead of skipping" + System.lineSeparator());
    }

    @Test
    void fails_the_class_instead_when_tools_are_required() {
        // given
        MeshTestKit.toolStandIns(tools, "helm", "docker");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.REQUIRE_TOOLS, "true").run(NeedsTheMesh.class);

        // then
        assertThat(failureOf(results, NeedsTheMesh.class)).cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(MINIKUBE_MISSING + tools + " (mcmesh.requireTools=true)");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void lists_every_missing_tool() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .run(NeedsTheMesh.class);

        // then
        assertThat(results.containerEvents().skipped().stream().map(event -> event.getRequiredPayload(String.class)))
                .singleElement().asString().contains("minikube (", "helm (3.12.0 or newer; install: https://helm.sh/docs/intro/install/)",
                        "docker (20.10 or newer; install: https://docs.docker.com/engine/install/)");
    }

    @Test
    void needs_only_helm_for_existing_clusters() {
        // given
        MeshTestKit.toolStandIns(tools, "helm");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.PROVIDER, "existing").run(NeedsTheMesh.class);

        // then
        assertAllPassed(results);
    }

    @Test
    void needs_docker_only_for_the_docker_driver() {
        // given
        MeshTestKit.toolStandIns(tools, "minikube", "helm");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.DRIVER, "kvm2").run(NeedsTheMesh.class);

        // then
        assertAllPassed(results);
    }

    @Test
    void skips_the_class_when_docker_is_installed_but_its_engine_does_not_run() {
        // given the docker client alone, as on a machine without a Docker engine
        MeshTestKit.toolStandIns(tools, "minikube", "helm");
        MeshTestKit.dockerWithoutEngine(tools);

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .run(NeedsTheMesh.class);

        // then
        assertThat(results.containerEvents().skipped().stream().map(event -> event.getRequiredPayload(String.class)))
                .containsExactly("mcmesh needs a running Docker engine for the docker driver, but " + tools.resolve("docker")
                        + " says: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon"
                        + " running? (start Docker; install: https://docs.docker.com/engine/install/); set"
                        + " mcmesh.requireTools=true to fail instead of skipping");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void rejects_a_require_tools_value_that_is_not_a_boolean() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.REQUIRE_TOOLS, "yes").run(NeedsTheMesh.class);

        // then
        assertThat(failureOf(results, NeedsTheMesh.class)).cause()
                .hasMessageContainingAll("mcmesh.requireTools", "'yes'", "configuration parameter", "true, false");
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class NeedsTheMesh {
        @Test
        void runs() {
        }
    }
}
