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

    private static final String MINIKUBE_MISSING = "mcmesh needs minikube (1.37.0 or newer; install:"
            + " https://minikube.sigs.k8s.io/docs/start/): minikube was not found in the search path mcmesh.tools.path: ";

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
                .containsExactly(MINIKUBE_MISSING + tools + "; set mcmesh.require.tools=true to fail instead of skipping");
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
                + MINIKUBE_MISSING + tools + "; set mcmesh.require.tools=true to fail instead of skipping" + System.lineSeparator());
    }

    @Test
    void fails_the_class_instead_when_tools_are_required() {
        // given
        MeshTestKit.toolStandIns(tools, "helm", "docker");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.REQUIRE_TOOLS, "true").run(NeedsTheMesh.class);

        // then
        assertThat(failureOf(results, NeedsTheMesh.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(MINIKUBE_MISSING + tools + " (mcmesh.require.tools=true, set by JUnit launcher configuration"
                        + " parameter mcmesh.require.tools)");
        assertThat(failureOf(results, NeedsTheMesh.class).getStackTrace()).isEmpty();
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation")
    void the_former_require_tools_name_still_fails_the_class() {
        // given
        MeshTestKit.toolStandIns(tools, "helm", "docker");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.REQUIRE_TOOLS_DEPRECATED_NAME, "true").run(NeedsTheMesh.class);

        // then
        assertThat(failureOf(results, NeedsTheMesh.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(MINIKUBE_MISSING + tools + " (mcmesh.requireTools=true, set by JUnit launcher configuration"
                        + " parameter mcmesh.requireTools)");
    }

    @Test
    void reports_every_missing_prerequisite_at_once_a_stopped_docker_engine_included() {
        // given minikube missing and a docker client whose engine does not run
        MeshTestKit.toolStandIns(tools, "helm");
        MeshTestKit.dockerWithoutEngine(tools);

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.REQUIRE_TOOLS, "true").run(NeedsTheMesh.class);

        // then
        assertThat(failureOf(results, NeedsTheMesh.class)).hasMessage(MINIKUBE_MISSING + tools
                + "; a running Docker engine for the docker driver, but " + tools.resolve("docker") + " says: Cannot"
                + " connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running? (start"
                + " Docker; install: https://docs.docker.com/engine/install/) (mcmesh.require.tools=true, set by JUnit"
                + " launcher configuration parameter mcmesh.require.tools)");
    }

    @Test
    void an_explicit_tool_path_to_nothing_is_named_rather_than_the_search_path_that_holds_the_tool() {
        // given helm in mcmesh.tools.path, and mcmesh.tools.helm pointing nowhere
        MeshTestKit.toolStandIns(tools, "minikube", "helm", "docker");
        Path nowhere = tools.resolve("opt/helm");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.TOOLS_HELM, nowhere.toString()).run(NeedsTheMesh.class);

        // then
        assertThat(results.containerEvents().skipped().stream().map(event -> event.getRequiredPayload(String.class)))
                .containsExactly("mcmesh needs helm (3.12.0 or newer; install: https://helm.sh/docs/intro/install/):"
                        + " mcmesh.tools.helm is set to " + nowhere + ", but there is no file there (the search path"
                        + " mcmesh.tools.path holds " + tools.resolve("helm") + "; unset mcmesh.tools.helm to use it);"
                        + " set mcmesh.require.tools=true to fail instead of skipping");
    }

    @Test
    void a_misspelled_system_property_fails_the_class_before_any_tool_is_looked_for() {
        // given
        System.setProperty("mcmesh.istio.verison", "1.29.0");
        try {
            // when
            EngineExecutionResults results = MeshTestKit.in(state).run(NeedsTheMesh.class);

            // then
            assertThat(failureOf(results, NeedsTheMesh.class)).isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage(String.join(System.lineSeparator(),
                            "mcmesh does not know this setting and would ignore it; nothing has run yet:",
                            "  - system property -Dmcmesh.istio.verison: did you mean mcmesh.istio.version?",
                            "Every setting is listed in io.github.mcmesh.spec.MeshProperties and in the extension's"
                                    + " README (Settings)."));
            assertThat(failureOf(results, NeedsTheMesh.class).getStackTrace()).isEmpty();
            assertThat(RecordingBackend.events(state)).isEmpty();
        } finally {
            System.clearProperty("mcmesh.istio.verison");
        }
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
                        + " mcmesh.require.tools=true to fail instead of skipping");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void rejects_a_require_tools_value_that_is_not_a_boolean() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, tools.toString())
                .with(MeshProperties.REQUIRE_TOOLS, "yes").run(NeedsTheMesh.class);

        // then
        assertThat(failureOf(results, NeedsTheMesh.class)).cause()
                .hasMessage("Invalid mesh specification: mcmesh.require.tools = 'yes' (set by JUnit launcher configuration"
                        + " parameter mcmesh.require.tools): accepted: true, false");
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class NeedsTheMesh {
        @Test
        void runs() {
        }
    }
}
