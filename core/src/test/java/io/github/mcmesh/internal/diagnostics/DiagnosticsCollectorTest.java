package io.github.mcmesh.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import io.github.mcmesh.testing.MockMesh;
import io.github.mcmesh.testing.RecordedPodExec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsCollectorTest {

    @TempDir
    Path reports;

    @Test
    void reads_istiod_in_the_ready_pod_when_another_runs_without_being_ready() throws IOException {
        // given two running istiod pods, the first by name not ready (its readiness probe fails)
        try (MockMesh mesh = MockMesh.start("demo", "east")) {
            for (String[] pod : List.of(new String[] {"istiod-a", "False"}, new String[] {"istiod-b", "True"})) {
                mesh.cluster("east").client().pods().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata().withName(pod[0]).withLabels(Map.of("app", "istiod")).endMetadata()
                        .withNewSpec().addNewContainer().withName("discovery").endContainer().endSpec()
                        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(pod[1]).endCondition()
                        .endStatus().build()).create();
            }
            RecordedPodExec exec = new RecordedPodExec()
                    .answer("istiod-b", List.of("pilot-discovery", "request", "GET", "/debug/clusterz"), new ExecResult(0, "[]", ""));

            // when
            Path folder = new DiagnosticsCollector(exec, Duration.ofSeconds(1)).collect(mesh, reports.resolve("ready"), List.of());

            // then the pod the health check asks too (Istiod.pod): the ready one
            assertThat(folder.resolve("east/clusterz.json")).hasContent("[]");
        }
    }

    @Test
    void writes_per_cluster_state_clusterz_sidecar_endpoints_and_the_transcript_but_no_secrets() throws IOException {
        // given
        try (MockMesh mesh = MockMesh.start("demo", "east", "west")) {
            mesh.runningPod("east", "sleep-1", "sleep", "sleep", "istio-proxy");
            mesh.cluster("east").client().pods().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("istiod-1").withLabels(Map.of("app", "istiod")).endMetadata()
                    .withNewSpec().addNewContainer().withName("discovery").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
            mesh.cluster("east").client().secrets().inNamespace("demo").resource(new SecretBuilder().withNewMetadata()
                    .withName("token").endMetadata().withStringData(Map.of("token", "s3cr3t-value")).build()).create();
            mesh.server("east").expect().get()
                    .withPath("/api/v1/namespaces/istio-system/pods/istiod-1/log?pretty=false&container=discovery&tailLines=300")
                    .andReturn(200, "2026-01-01T00:00:00Z info ads Push debounce stable\n").always();
            RecordedPodExec exec = new RecordedPodExec()
                    .answer("istiod-1", List.of("pilot-discovery", "request", "GET", "/debug/clusterz"), new ExecResult(0,
                            "[{\"id\":\"west\",\"secretName\":\"istio-system/istio-remote-secret-west\",\"syncStatus\":\"synced\"}]", ""))
                    .answer("sleep-1", List.of("pilot-agent", "request", "GET", "clusters"), new ExecResult(0, """
                            outbound|5000||helloworld.demo.svc.cluster.local::10.10.0.7:5000::health_flags::healthy
                            outbound|5000||helloworld.demo.svc.cluster.local::10.20.0.9:5000::cx_connect_fail::3
                            outbound|5000||helloworld.demo.svc.cluster.local::10.20.0.9:5000::cx_active::0
                            outbound|15010||istiod.istio-system.svc.cluster.local::10.10.0.3:15010::health_flags::healthy
                            """, ""));

            // when
            Path folder = new DiagnosticsCollector(exec, Duration.ofSeconds(1))
                    .collect(mesh, reports.resolve("CrossClusterIT/reaches_both"), List.of("round 1 call 1 -> 200"));

            // then
            assertThat(folder).isEqualTo(reports.resolve("CrossClusterIT/reaches_both"));
            assertThat(folder.resolve("transcript.txt")).hasContent("round 1 call 1 -> 200");
            Path east = folder.resolve("east");
            assertThat(east.resolve("pods-demo.txt")).content().contains("sleep-1 phase=Running podIP=10.0.0.1");
            assertThat(east.resolve("pods-istio-system.txt")).content().startsWith("istiod-1 phase=Running");
            assertThat(east.resolve("istiod.log")).hasContent("2026-01-01T00:00:00Z info ads Push debounce stable");
            assertThat(east.resolve("clusterz.json")).content().contains("\"syncStatus\":\"synced\"");
            assertThat(east.resolve("endpoints-sleep-1.txt")).hasContent("""
                    outbound|5000||helloworld.demo.svc.cluster.local::10.10.0.7:5000::health_flags::healthy
                    outbound|5000||helloworld.demo.svc.cluster.local::10.20.0.9:5000::cx_connect_fail::3""");
            assertThat(folder.resolve("west/errors.txt")).content()
                    .contains("istiod: no running pod labelled app=istiod in istio-system");
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(file).content().doesNotContain("s3cr3t-value").doesNotContain("czNjcjN0");
                }
            }
            // owner-only, from the report folder down
            try (Stream<Path> paths = Files.walk(reports.resolve("CrossClusterIT"))) {
                for (Path path : paths.toList()) {
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                            .as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
                }
            }
        }
    }

    @Test
    void files_are_bounded_keeping_the_end() throws IOException {
        Path file = reports.resolve("big.log");

        DiagnosticsCollector.write(file, "x".repeat(DiagnosticsCollector.MAX_FILE_BYTES + 10) + "END");

        assertThat(Files.size(file)).isLessThan(DiagnosticsCollector.MAX_FILE_BYTES + 100L);
        assertThat(file).content().startsWith("[truncated: first 13 bytes left out]").endsWith("END");
    }
}
