package io.github.mcmesh.assertions;

import static io.github.mcmesh.testing.RecordedPodExec.curl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcmesh.testing.MockMesh;
import io.github.mcmesh.testing.RecordedPodExec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which cluster answered a call to a service that does not say so itself: the caller's sidecar access log. */
class UpstreamAttributionCallTest {

    static final String URL = "http://checkout:8080/health";
    static final String LOG_PATH = "/api/v1/namespaces/demo/pods/sleep-1/log?pretty=false&container=istio-proxy&sinceSeconds=300";

    MockMesh mesh;
    RecordedPodExec exec = new RecordedPodExec();
    final AtomicInteger logReads = new AtomicInteger();

    @BeforeEach
    void mesh() {
        mesh = MockMesh.start("demo", "east", "west");   // pod ranges 10.10.0.0/16 and 10.20.0.0/16
        mesh.runningPod("east", "sleep-1", "sleep", "sleep", "istio-proxy");
        mesh.executingInPodsWith(exec.answer("sleep-1", List.of("curl"), curl(200, "{\"status\":\"UP\"}")));
    }

    @AfterEach
    void close() {
        mesh.close();
    }

    /** The caller's sidecar log as Envoy writes it: one outbound line per probe call made so far, upstream by call number. */
    private void sidecarLogs(IntFunction<String> upstreamOfCall) {
        mesh.server("east").expect().get().withPath(LOG_PATH).andReply(200, request -> {
            logReads.incrementAndGet();
            List<String> agents = exec.userAgents();
            return IntStream.range(0, agents.size()).mapToObj(i -> "[2026-12-01T12:00:00.123Z] \"GET /health HTTP/1.1\" 200"
                    + " - via_upstream - \"-\" 0 15 3 2 \"-\" \"" + agents.get(i) + "\" \"id-" + i + "\" \"checkout:8080\" \""
                    + upstreamOfCall.apply(i) + "\" outbound|8080||checkout.demo.svc.cluster.local 10.10.0.9:41234"
                    + " 10.255.10.40:8080 10.10.0.9:41232 - default").collect(Collectors.joining("\n", "", "\n"));
        }).always();
    }

    private CallAssert calling() {
        return MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker()).within(Duration.ofMillis(600))
                .pollingEvery(Duration.ofMillis(10)).converging(2)
                .from("east", "sleep").calling(URL).calls(4);
    }

    @Test
    void calls_to_any_http_service_are_attributed_by_the_upstream_pod_ip_in_the_callers_access_log() {
        // given the sidecar sends every other call to a west pod
        sidecarLogs(i -> i % 2 == 0 ? "10.10.0.7:8080" : "10.20.0.7:8080");

        // when
        calling().reachesClusters("east", "west");

        // then each call was sent with its own user agent, and the log was read once per round
        assertThat(exec.invocations()).hasSize(8).allMatch(line -> line.matches(
                "(?s)sleep-1/sleep: curl -sS --max-time 5 -w .* -A mcmesh-probe/[0-9a-f-]{36} http://checkout:8080/health"));
        assertThat(exec.userAgents()).doesNotHaveDuplicates();
        assertThat(logReads).hasValue(2);
    }

    @Test
    void calls_served_through_an_address_in_no_pod_range_are_reported_unattributable() {
        // given every call leaves through a gateway on a node address
        sidecarLogs(i -> "192.168.49.3:15443");

        // when
        Throwable error = catchThrowable(() -> calling().calls(1).within(Duration.ofMillis(100)).staysInCluster("east"));

        // then
        assertThat(CallAssertTest.normalized(error)).contains("""
                In round <n> (after <t>) the 1 calls were answered by:
                  east: 0
                  west: 0
                  unattributed: 1, failed: 0
                Last calls:
                  200 in 12 ms unattributed (upstream 192.168.49.3:15443 is in no cluster's pod range (east 10.10.0.0/16, \
                west 10.20.0.0/16): a gateway or a host outside the mesh): {"status":"UP"}""")
                .contains("1 answers could not be attributed to a cluster");
    }

    @Test
    void a_call_the_log_never_shows_is_unattributable_after_the_flush_wait() {
        // given access logging is off: the sidecar log has no lines
        mesh.server("east").expect().get().withPath(LOG_PATH).andReply(200, request -> {
            logReads.incrementAndGet();
            return "2026-12-01T12:00:00.000Z info Envoy proxy is ready\n";
        }).always();

        // when
        Throwable error = catchThrowable(() -> calling().calls(1).converging(1).within(Duration.ofMillis(1))
                .staysInCluster("east"));

        // then read five times, 500 ms apart by the ticker, then reported with the reason
        assertThat(logReads).hasValue(5);
        assertThat(error).hasMessageContaining("200 in 12 ms unattributed (no outbound line with user agent mcmesh-probe/")
                .hasMessageContaining(" in the istio-proxy log of sleep-1 (mcmesh turns the access log on with Telemetry"
                        + " istio-system/mcmesh-access-log)): {\"status\":\"UP\"}");
    }

    @Test
    void a_caller_without_a_sidecar_is_unattributable_and_no_log_is_read() {
        // given
        mesh.runningPod("east", "plain-1", "plain", "plain");
        exec.answer("plain-1", List.of("curl"), curl(200, "ok"));
        sidecarLogs(i -> "10.20.0.7:8080");

        // when
        Throwable error = catchThrowable(() -> MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker())
                .within(Duration.ofMillis(1)).converging(1).from("east", "plain").calling(URL).calls(1).staysInCluster("east"));

        // then
        assertThat(error).hasMessageContaining("200 in 12 ms unattributed (the calling pod plain-1 has no istio-proxy sidecar,"
                + " whose access log names the endpoint that answered): ok");
        assertThat(logReads).hasValue(0);
    }

    @Test
    void helloworlds_instance_line_still_attributes_the_sample_without_reading_the_log() {
        // given
        mesh.runningPod("west", "helloworld-v2-bbb", "helloworld", "helloworld");
        exec.answer("sleep-1", List.of("curl", "-sS"), curl(200, "Hello version: v2, instance: helloworld-v2-bbb\n"));
        RecordedPodExec helloworld = new RecordedPodExec()
                .answer("sleep-1", List.of("curl"), curl(200, "Hello version: v2, instance: helloworld-v2-bbb\n"));
        mesh.executingInPodsWith(helloworld);
        sidecarLogs(i -> "10.10.0.7:8080");

        // when
        MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker()).within(Duration.ofMillis(600))
                .from("east", "sleep").calling("http://helloworld:5000/hello").calls(2).converging(1).staysInCluster("west");

        // then
        assertThat(logReads).hasValue(0);
    }
}
