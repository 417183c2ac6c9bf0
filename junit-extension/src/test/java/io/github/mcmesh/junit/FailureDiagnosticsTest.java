package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.assertions.MeshAssertionError;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class FailureDiagnosticsTest {

    private static final Path REPORT = Path.of("target", "mcmesh-reports", FailsWithTranscript.class.getName())
            .toAbsolutePath();

    @TempDir
    Path state;

    @BeforeEach
    void remove_earlier_reports() throws IOException {
        if (Files.exists(REPORT)) {
            try (Stream<Path> files = Files.walk(REPORT)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @AfterEach
    void stop_api_servers() {
        RecordingBackend.stopServers();
    }

    @Test
    void writes_the_mesh_diagnostics_of_a_failed_test_and_names_the_folder_in_a_report_entry() throws IOException {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FailsWithTranscript.class);

        // then
        Path folder = REPORT.resolve("reaches_both_clusters");
        assertThat(results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs()))
                .contains(java.util.Map.of("mcmesh.diagnostics", folder.toString())).hasSize(3);
        assertThat(Files.readString(folder.resolve("transcript.txt")))
                .isEqualTo("sleep-abc@mcmesh-east: curl -s http://helloworld:5000/hello -> exit 7");
        assertThat(folder.resolve("mcmesh-east")).isDirectory();
        assertThat(folder.resolve("mcmesh-west")).isDirectory();
    }

    @Test
    void collects_through_the_pod_exec_the_mesh_was_provisioned_with() throws IOException {
        // when a test fails with an istiod pod running in mcmesh-east
        MeshTestKit.in(state).run(FailsWithIstiod.class);

        // then istiod's clusterz was read through the mesh's own pod exec, not one made for the diagnostics
        Path clusterz = Path.of("target", "mcmesh-reports", FailsWithIstiod.class.getName()).toAbsolutePath()
                .resolve("fails").resolve("mcmesh-east").resolve("clusterz.json");
        assertThat(Files.readString(clusterz)).isEqualTo(RecordingBackend.POD_EXEC_ANSWER
                + "istio-system/istiod-1/discovery: pilot-discovery request GET /debug/clusterz");
    }

    @Test
    void gives_each_failed_repetition_a_folder_of_its_own() {
        // when
        MeshTestKit.in(state).run(FailsWithTranscript.class);

        // then
        assertThat(REPORT.resolve("fails_twice-repetition_1_of_2")).isDirectory();
        assertThat(REPORT.resolve("fails_twice-repetition_2_of_2")).isDirectory();
    }

    @Test
    void collects_nothing_for_passing_tests() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(Passes.class);

        // then
        assertThat(results.allEvents().reportingEntryPublished().count()).isZero();
        assertThat(REPORT).doesNotExist();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FailsWithTranscript {
        @Test
        void reaches_both_clusters() {
            throw new MeshAssertionError("only mcmesh-west answered", null,
                    List.of("sleep-abc@mcmesh-east: curl -s http://helloworld:5000/hello -> exit 7"));
        }

        @RepeatedTest(2)
        void fails_twice() {
            throw new AssertionError("on purpose");
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FailsWithIstiod {
        @MeshCluster("mcmesh-east")
        KubernetesClient east;

        @Test
        void fails() {
            east.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata().withName("istiod-1")
                    .withNamespace("istio-system").addToLabels("app", "istiod").endMetadata().withNewStatus().withPhase("Running")
                    .endStatus().build()).create();
            throw new AssertionError("on purpose");
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class Passes {
        @Test
        void passes() {
        }
    }
}
