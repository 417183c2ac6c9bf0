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
        try (MockMesh mesh = MockMesh.start("demo", "east", "west")) {
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
    void given_two_networks_then_the_gateway_service_pods_log_and_networkz_are_written() throws IOException {
        // given
        io.github.mcmesh.spec.MeshSpec spec = io.github.mcmesh.spec.MeshSpec.builder()
                .cluster("east", c -> c.network("net-east")).cluster("west", c -> c.network("net-west")).build();
        try (MockMesh mesh = MockMesh.start(spec, "demo")) {
            var east = mesh.cluster("east").client();
            io.github.mcmesh.testing.GatewayChart.render(east, List.of("upgrade", "--install", "istio-eastwestgateway",
                    "gateway", "--set", "networkGateway=net-east", "--set", "service.type=ClusterIP", "--set-json",
                    "service.externalIPs=[\"192.168.200.2\"]"));
            east.pods().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("istiod-1").withLabels(Map.of("app", "istiod")).endMetadata()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
            mesh.server("east").expect().get()
                    .withPath("/api/v1/namespaces/istio-system/pods/istio-eastwestgateway-7d9c/log?pretty=false"
                            + "&container=istio-proxy&tailLines=300")
                    .andReturn(200, "info Envoy proxy is ready\n").always();
            RecordedPodExec exec = new RecordedPodExec()
                    .answer("istiod-1", List.of("pilot-discovery", "request", "GET", "/debug/clusterz"), new ExecResult(0, "[]", ""))
                    .answer("istiod-1", List.of("pilot-discovery", "request", "GET", "/debug/networkz"), new ExecResult(0,
                            "[{\"Network\":\"net-west\",\"Addr\":\"192.168.200.3\",\"Port\":15443}]", ""));

            // when
            Path folder = new DiagnosticsCollector(exec, Duration.ofSeconds(1)).collect(mesh, reports.resolve("net"), List.of());

            // then
            Path eastFolder = folder.resolve("east");
            assertThat(eastFolder.resolve("eastwestgateway-service.txt")).content()
                    .startsWith("istio-eastwestgateway type=ClusterIP labels=")
                    .contains("topology.istio.io/network=net-east", "tls:15443", "externalIPs=[192.168.200.2]",
                            "addresses istiod takes=[192.168.200.2]");
            assertThat(eastFolder.resolve("eastwestgateway-pods.txt")).content().startsWith("istio-eastwestgateway-7d9c phase=Running");
            assertThat(eastFolder.resolve("eastwestgateway.log")).hasContent("info Envoy proxy is ready");
            assertThat(eastFolder.resolve("networkz.json")).content().contains("\"Addr\":\"192.168.200.3\"");
            assertThat(folder.resolve("west/eastwestgateway-service.txt")).hasContent("no Service istio-system/istio-eastwestgateway");
            assertThat(folder.resolve("west/eastwestgateway-pods.txt"))
                    .hasContent("no pod labelled istio=eastwestgateway in istio-system");
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
