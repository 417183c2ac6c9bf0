package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.provision.JacksonClasspath;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * On the classpath a Spring Boot BOM makes: a mesh class is either run normally or, where the BOM
 * pins jackson-annotations too old for Jackson 3, failed at once with the dependency to set, before
 * any tool runs and without a {@code NoClassDefFoundError}. compat/run-matrix says which to expect
 * through the system property {@value #EXPECTATION}.
 */
class BootBomJacksonTest {

    private static final String EXPECTATION = "mcmesh.compat.expectJacksonProblem";

    @TempDir
    Path state;

    @Test
    void a_mesh_class_is_told_at_once_which_jackson_annotations_to_set_or_runs_as_usual() {
        // given no tools at all, so nothing could run
        Optional<String> problem = JacksonClasspath.problem();
        assertThat(problem.isPresent()).as("Jackson problem on this classpath").isEqualTo(Boolean.getBoolean(EXPECTATION));

        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, state.resolve("no-tools").toString())
                .run(NeedsTheMesh.class);

        // then
        if (problem.isPresent()) {
            assertThat(failureOf(results, NeedsTheMesh.class)).cause().isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage(problem.get());
            assertThat(problem.get()).contains("Set com.fasterxml.jackson.core:jackson-annotations to 2.22");
        } else {
            assertThat(results.containerEvents().skipped().count()).isEqualTo(1);
        }
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class NeedsTheMesh {
        @Test
        void runs() {
        }
    }
}
