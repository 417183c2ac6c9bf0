package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.InvalidMeshSpecException;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.testing.LogCapture;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class SharedMeshLifecycleTest {

    private static final String DEFAULT_MESH = "mcmesh-east+mcmesh-west@mesh1";

    @TempDir
    Path state;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stop_api_servers() {
        RecordingBackend.stopServers();
    }

    @Test
    void provisions_once_for_three_classes_with_the_same_spec() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FirstClass.class, SecondClass.class, ThirdClass.class);

        // then
        results.testEvents().assertStatistics(stats -> stats.succeeded(3).failed(0));
        assertThat(events()).containsExactly(
                "created " + DEFAULT_MESH + " 1.30.3",
                "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void provisions_once_per_spec_for_two_specs() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FirstClass.class, OtherClusters.class, SecondClass.class);

        // then
        results.testEvents().assertStatistics(stats -> stats.succeeded(3).failed(0));
        assertThat(events()).filteredOn(event -> event.startsWith("created")).containsExactlyInAnyOrder(
                "created " + DEFAULT_MESH + " 1.30.3",
                "created alpha+beta@mesh1 1.30.3");
    }

    @Test
    void reuses_the_mesh_a_previous_run_kept() {
        // given
        MeshTestKit.in(state).run(FirstClass.class);

        // when
        MeshTestKit.in(state).run(SecondClass.class);

        // then
        assertThat(events()).containsExactly(
                "created " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3",
                "reused " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void rejects_a_second_class_asking_for_other_settings_under_the_same_cluster_names() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FirstClass.class, OtherIstioVersion.class);

        // then
        assertThat(failureOf(results, OtherIstioVersion.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(String.format("@MultiClusterMesh on %s asks for mesh %s with other settings than %s, which"
                                + " already uses it in this JVM:%n  mcmesh.istio.version: 1.30.3 -> 1.29.0%n"
                                + "A mesh is identified by its cluster names: give OtherIstioVersion other cluster names,"
                                + " or align the settings.",
                        OtherIstioVersion.class.getName(), DEFAULT_MESH, FirstClass.class.getName()));
        assertThat(events()).filteredOn(event -> event.startsWith("created")).hasSize(1);
    }

    @Test
    void tells_a_later_class_that_its_timeouts_belong_to_the_mesh_already_set_up() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FirstClass.class, OtherTimeout.class);

        // then both run on the one mesh, and the second class is told its timeout is not the mesh's
        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
        assertThat(logs.lines()).anyMatch(line -> line.startsWith("WARN " + OtherTimeout.class.getName() + " asks for timeouts Timeouts[clusterStart=PT20M")
                && line.endsWith("on mesh " + DEFAULT_MESH + ", which " + FirstClass.class.getName()
                        + " set up first in this JVM; these settings belong to the mesh and stay as they are"));
    }

    @Test
    void fails_the_first_class_with_the_provisioning_error_and_later_ones_fast_without_retrying() {
        // given
        RecordingBackend.steer(state, "fail", "minikube start -p mcmesh-east exited with 80");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FirstClass.class, SecondClass.class, ThirdClass.class);

        // then
        Throwable first = failureOf(results, FirstClass.class);
        assertThat(first).isInstanceOf(MeshUnavailableException.class)
                .hasMessage("Mesh " + DEFAULT_MESH + " could not be provisioned: minikube start -p mcmesh-east exited with 80")
                .cause().isInstanceOf(IllegalStateException.class);
        for (Class<?> later : List.of(SecondClass.class, ThirdClass.class)) {
            assertThat(failureOf(results, later)).isInstanceOf(MeshUnavailableException.class)
                    .hasMessage("Mesh " + DEFAULT_MESH + " could not be provisioned for " + FirstClass.class.getName()
                            + " earlier in this JVM; not trying again: minikube start -p mcmesh-east exited with 80")
                    .cause().isSameAs(first.getCause());
        }
        assertThat(events()).containsExactly("failed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void names_the_type_of_a_provisioning_error_that_has_no_message() {
        // given provisioning fails with a bare NullPointerException
        RecordingBackend.steer(state, "fail", "");

        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FirstClass.class, SecondClass.class);

        // then
        assertThat(failureOf(results, FirstClass.class)).isInstanceOf(MeshUnavailableException.class)
                .hasMessage("Mesh " + DEFAULT_MESH + " could not be provisioned: java.lang.NullPointerException without a"
                        + " message (its stack trace is the cause below)")
                .cause().isInstanceOf(NullPointerException.class);
        assertThat(failureOf(results, SecondClass.class)).hasMessage("Mesh " + DEFAULT_MESH + " could not be provisioned for "
                + FirstClass.class.getName() + " earlier in this JVM; not trying again: java.lang.NullPointerException"
                + " without a message (its stack trace is the cause below)");
    }

    @Test
    void cleanup_never_keeps_the_mesh_and_closes_the_clients() {
        // when
        MeshTestKit.in(state).with(MeshProperties.CLEANUP, "never").run(FirstClass.class);

        // then
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void cleanup_always_tears_the_mesh_down_even_after_a_failure() {
        // when
        MeshTestKit.in(state).with(MeshProperties.CLEANUP, "always").run(FirstClass.class, FailingClass.class);

        // then
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3",
                "teardown " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void cleanup_always_tears_the_mesh_down_once_where_junit_closes_only_closeable_resources() {
        // given JUnit 5.13+ told to close stored values as JUnit 5.10-5.12 do: CloseableResource only
        MeshTestKit kit = MeshTestKit.in(state).with(MeshProperties.CLEANUP, "always")
                .with("junit.jupiter.extensions.store.close.autocloseable.enabled", "false");

        // when
        kit.run(FirstClass.class);

        // then
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3",
                "teardown " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void cleanup_on_success_tears_the_mesh_down_when_every_test_passed() {
        // when
        MeshTestKit.in(state).with(MeshProperties.CLEANUP, "on_success").run(FirstClass.class, SecondClass.class);

        // then
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3",
                "teardown " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void cleanup_on_success_keeps_the_mesh_when_a_test_failed() {
        // when
        MeshTestKit.in(state).with(MeshProperties.CLEANUP, "on_success").run(FirstClass.class, FailingClass.class);

        // then
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void cleanup_on_success_keeps_the_mesh_when_a_class_failed_outside_its_tests() {
        // when
        MeshTestKit.in(state).with(MeshProperties.CLEANUP, "on_success").run(FirstClass.class, FailingAfterAll.class);

        // then
        assertThat(events()).containsExactly("created " + DEFAULT_MESH + " 1.30.3", "closed " + DEFAULT_MESH + " 1.30.3");
    }

    @Test
    void configuration_parameters_override_the_annotation() {
        // when
        MeshTestKit.in(state).with(MeshProperties.ISTIO_VERSION, "1.30.2").run(OtherIstioVersion.class);

        // then
        assertThat(events()).first().isEqualTo("created " + DEFAULT_MESH + " 1.30.2");
    }

    @Test
    void reads_the_settings_of_a_team_meta_annotation() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(UsesTeamAnnotation.class);

        // then
        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(events()).first().isEqualTo("created alpha+beta@mesh1 1.29.0");
    }

    @Test
    void fails_the_class_naming_a_bad_property_where_it_was_set_and_the_accepted_values() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).with(MeshProperties.REUSE, "sometimes").run(FirstClass.class);

        // then
        assertThat(failureOf(results, FirstClass.class)).cause().isInstanceOf(InvalidMeshSpecException.class)
                .hasMessageContainingAll("mcmesh.reuse", "sometimes", "configuration parameter mcmesh.reuse",
                        "if_healthy, never, required");
        assertThat(events()).isEmpty();
    }

    @Test
    void names_the_annotation_attribute_of_a_bad_annotation_value() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(BadTimeout.class);

        // then
        assertThat(failureOf(results, BadTimeout.class)).cause().isInstanceOf(InvalidMeshSpecException.class)
                .hasMessageContaining("mcmesh.timeout.cluster.start = 'soon' (set by annotation attribute"
                        + " @MultiClusterMesh(timeout=...) on " + BadTimeout.class.getName() + "): accepted: a positive"
                        + " duration such as 500ms, 90s, 5m, 1h or PT5M");
    }

    private List<String> events() {
        // drop the pid: every event here happens in this JVM
        return RecordingBackend.events(state).stream().map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FirstClass {
        @Test
        void sees_the_default_clusters(Mesh mesh) {
            assertThat(mesh.clusterNames()).containsExactly("mcmesh-east", "mcmesh-west");
        }
    }

    static class SecondClass extends FirstClass {
    }

    static class ThirdClass extends FirstClass {
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FailingClass {
        @Test
        void fails() {
            fail("on purpose");
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FailingAfterAll {
        @org.junit.jupiter.api.AfterAll
        static void fails() {
            fail("on purpose, after all tests");
        }

        @Test
        void passes() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh(clusters = {@Cluster(name = "alpha"), @Cluster(name = "beta")})
    static class OtherClusters {
        @Test
        void sees_its_clusters(Mesh mesh) {
            assertThat(mesh.clusterNames()).containsExactly("alpha", "beta");
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh(timeout = "20m")
    static class OtherTimeout {
        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh(istioVersion = "1.29.0")
    static class OtherIstioVersion {
        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh(timeout = "soon")
    static class BadTimeout {
        @Test
        void runs() {
        }
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @MultiClusterMesh(clusters = {@Cluster(name = "alpha"), @Cluster(name = "beta")}, istioVersion = "1.29.0")
    @interface TeamMesh {
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @TeamMesh
    static class UsesTeamAnnotation {
        @Test
        void sees_the_team_clusters(Mesh mesh) {
            assertThat(mesh.clusterNames()).containsExactly("alpha", "beta");
        }
    }
}
