package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.assertAllPassed;
import static io.github.mcmesh.junit.MeshTestKit.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ProgrammaticRegistrationTest {

    @TempDir
    Path state;

    @AfterEach
    void stop_api_servers() {
        RecordingBackend.stopServers();
    }

    @Test
    void provisions_the_mesh_given_in_code_and_injects_it() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(ConfiguredInCode.class);

        // then
        assertAllPassed(results);
        assertThat(events()).containsExactly("created alpha+beta@mesh1 1.29.0", "closed alpha+beta@mesh1 1.29.0");
    }

    @Test
    void configuration_parameters_override_the_settings_given_in_code_but_not_its_clusters() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.ISTIO_VERSION, "1.30.2")
                .run(ConfiguredInCode.class);

        // then
        assertAllPassed(results);
        assertThat(events()).first().isEqualTo("created alpha+beta@mesh1 1.30.2");
    }

    @Test
    void rejects_a_class_that_also_carries_the_annotation() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(AlsoAnnotated.class);

        // then
        assertThat(failureOf(results, AlsoAnnotated.class)).cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(AlsoAnnotated.class.getName() + " has both @MultiClusterMesh and MultiClusterMeshExtension.of(...):"
                        + " keep one of them");
        assertThat(events()).isEmpty();
    }

    @Test
    void rejects_registration_in_an_instance_field() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(InstanceField.class);

        // then
        assertThat(results.testEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement().isInstanceOf(ExtensionConfigurationException.class)
                .hasFieldOrPropertyWithValue("message", "MultiClusterMeshExtension.of(...) in " + InstanceField.class.getName()
                        + " must be registered in a static @RegisterExtension field");
        assertThat(events()).isEmpty();
    }

    private List<String> events() {
        // drop the pid: every event here happens in this JVM
        return RecordingBackend.events(state).stream().map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
    }

    private static MeshSpec alphaAndBeta() {
        return MeshSpec.builder().clusters("alpha", "beta").istioVersion("1.29.0").build();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    static class ConfiguredInCode {
        @RegisterExtension
        static MultiClusterMeshExtension mesh = MultiClusterMeshExtension.of(alphaAndBeta());

        @MeshCluster("alpha")
        KubernetesClient alpha;

        @Test
        void sees_the_clusters_given_in_code(Mesh injected) {
            assertThat(injected.cluster("beta").name()).isEqualTo("beta");
            assertThat(alpha.getMasterUrl()).hasToString(RecordingBackend.server("alpha").url("/"));
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class AlsoAnnotated {
        @RegisterExtension
        static MultiClusterMeshExtension mesh = MultiClusterMeshExtension.of(alphaAndBeta());

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    static class InstanceField {
        @RegisterExtension
        MultiClusterMeshExtension mesh = MultiClusterMeshExtension.of(alphaAndBeta());

        @Test
        void runs() {
        }
    }
}
