package io.github.mcmesh.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.spec.MeshSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamAttributionTest {

    static final UpstreamAttribution ATTRIBUTION = new UpstreamAttribution(MeshSpec.builder().clusters("east", "west").build()
            .clusters());   // pods 10.10.0.0/16 and 10.20.0.0/16

    static HttpObservation call(String probeId) {
        return new HttpObservation("http://checkout:8080/health", 0, 200, "ok", Duration.ofMillis(3), Map.of(), "", null,
                probeId, null);
    }

    /** A line in Istio 1.30.3's default text format (%UPSTREAM_CLUSTER_RAW%; 1.18.2 differs only there). */
    static String outbound(String userAgent, String upstreamHost) {
        return "[2026-12-01T12:00:00.123Z] \"GET /health HTTP/1.1\" 200 - via_upstream - \"-\" 0 2 3 2 \"-\" \"" + userAgent
                + "\" \"5f8e0c7e-1111-4a4a-9d9d-000000000001\" \"checkout:8080\" \"" + upstreamHost
                + "\" outbound|8080||checkout.demo.svc.cluster.local 10.10.0.9:41234 10.255.20.40:8080 10.10.0.9:41232 - default";
    }

    @Test
    void a_call_is_attributed_to_the_cluster_whose_pod_range_holds_the_upstream_ip() {
        // given the caller's sidecar log with another pod's call and this one's
        String log = outbound("curl/8.16.0", "10.10.0.5:8080") + "\n" + outbound("mcmesh-probe/p1", "10.20.0.7:8080") + "\n";

        // when
        HttpObservation attributed = ATTRIBUTION.attribute(call("p1"), log).orElseThrow();

        // then
        assertThat(attributed.respondingCluster()).contains("west");
        assertThat(attributed.attributionNote()).isEqualTo("upstream 10.20.0.7:8080");
        assertThat(attributed).hasToString("200 in 3 ms from west (upstream 10.20.0.7:8080): ok");
    }

    @Test
    void the_json_encoding_is_read_too() {
        String log = "{\"authority\":\"checkout:8080\",\"response_flags\":\"-\",\"upstream_cluster\":"
                + "\"outbound|8080||checkout.demo.svc.cluster.local\",\"upstream_host\":\"10.10.0.7:8080\","
                + "\"user_agent\":\"mcmesh-probe/p1\"}\n";

        assertThat(ATTRIBUTION.attribute(call("p1"), log).orElseThrow().respondingCluster()).contains("east");
    }

    @Test
    void an_upstream_outside_every_pod_range_is_unattributable_never_guessed() {
        // given the endpoint is an east-west gateway on a node IP (another network)
        String log = outbound("mcmesh-probe/p1", "192.168.49.3:15443");

        // when
        HttpObservation seen = ATTRIBUTION.attribute(call("p1"), log).orElseThrow();

        // then
        assertThat(seen.respondingCluster()).isEmpty();
        assertThat(seen).hasToString("200 in 3 ms unattributed (upstream 192.168.49.3:15443 is in no cluster's pod range"
                + " (east 10.10.0.0/16, west 10.20.0.0/16): a gateway or a host outside the mesh): ok");
    }

    @Test
    void a_line_without_an_upstream_host_is_unattributable_with_the_response_flags() {
        String log = outbound("mcmesh-probe/p1", "-").replace("200 - via_upstream", "200 DC downstream_remote_disconnect");

        assertThat(ATTRIBUTION.attribute(call("p1"), log).orElseThrow().attributionNote())
                .isEqualTo("the access log names no upstream host (response flags DC)");
    }

    @Test
    void inbound_lines_and_other_calls_are_not_taken_for_the_call() {
        // given the sidecar logged only the inbound side of the request (a caller calling its own pod) and another probe
        String log = outbound("mcmesh-probe/p1", "10.10.0.9:8080").replace("outbound|8080||checkout", "inbound|8080||checkout")
                + "\n" + outbound("mcmesh-probe/p10", "10.20.0.7:8080");

        // then: no line for this call yet
        assertThat(ATTRIBUTION.attribute(call("p1"), log)).isEmpty();
    }

    @Test
    void the_user_agent_field_is_the_fourth_quoted_field_of_istios_default_format() {
        // 1.18.2's EnvoyTextLogFormat: "%REQ(:METHOD)% ..." "%UPSTREAM_TRANSPORT_FAILURE_REASON%" "%REQ(X-FORWARDED-FOR)%"
        // "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER% ...
        UpstreamAttribution.Line line = UpstreamAttribution.parse(outbound("mcmesh-probe/p1", "10.20.0.7:8080")).orElseThrow();

        assertThat(line).isEqualTo(new UpstreamAttribution.Line("mcmesh-probe/p1", "10.20.0.7:8080",
                "outbound|8080||checkout.demo.svc.cluster.local", "-"));
        assertThat(UpstreamAttribution.parse("2026-12-01T12:00:00.000Z info Envoy proxy is ready")).isEmpty();
    }
}
