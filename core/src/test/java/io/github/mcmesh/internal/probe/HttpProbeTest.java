package io.github.mcmesh.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpProbeTest {

    @Test
    void builds_one_fresh_curl_per_call_with_a_parseable_report() {
        assertThat(new HttpProbe((c, n, p, ct, t, cmd) -> null, Duration.ofMillis(2500)).command("http://helloworld:5000/hello"))
                .containsExactly("curl", "-sS", "--max-time", "2.5", "-w",
                        "\n--mcmesh-probe--%{http_code} %{time_total}\n%{header_json}", "http://helloworld:5000/hello");
    }

    @Test
    void parses_status_body_time_and_headers() {
        HttpObservation seen = HttpProbe.parse("u", new ExecResult(0,
                "Hello version: v1, instance: hw-1\n\n--mcmesh-probe--200 0.031250\n{\"Server\":[\"envoy\"],\"x-envoy-upstream-service-time\":[\"28\"]}",
                ""));

        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.body()).isEqualTo("Hello version: v1, instance: hw-1\n");
        assertThat(seen.time()).isEqualTo(Duration.ofNanos(31_250_000));
        assertThat(seen.header("server")).contains("envoy");
        assertThat(seen.succeeded()).isTrue();
        assertThat(seen).hasToString("200 in 31 ms unattributed: Hello version: v1, instance: hw-1");
    }

    @Test
    void keeps_curls_error_when_the_name_does_not_resolve() {
        HttpObservation seen = HttpProbe.parse("u", new ExecResult(6, "\n--mcmesh-probe--000 0.002\n{}",
                "curl: (6) Could not resolve host: helloworld\n"));

        assertThat(seen.succeeded()).isFalse();
        assertThat(seen.status()).isZero();
        assertThat(seen).hasToString("curl exit 6 (could not resolve host) after 2 ms: curl: (6) Could not resolve host: helloworld");
    }

    @Test
    void an_exec_timeout_is_a_failed_observation() {
        HttpObservation seen = HttpProbe.parse("u", new ExecResult(-1, "", "[mcmesh] no exit within PT10S: curl"));

        assertThat(seen).hasToString("curl exit -1 (exec did not complete) after 0 ms: [mcmesh] no exit within PT10S: curl");
    }

    @Test
    void dns_probe_reads_getent_addresses() {
        PodExec exec = (client, namespace, pod, container, timeout, command) -> {
            assertThat(command).isEqualTo(List.of("getent", "hosts", "helloworld"));
            return new ExecResult(0, "10.255.20.17    helloworld.demo.svc.cluster.local\n", "");
        };
        SourcePod pod = new SourcePod("east", new io.fabric8.kubernetes.client.KubernetesClientBuilder().build(), "demo",
                "sleep-1", "sleep");

        DnsObservation seen = new DnsProbe(exec, Duration.ofSeconds(1)).resolve(pod, "helloworld");

        assertThat(seen.resolved()).isTrue();
        assertThat(seen).hasToString("helloworld resolved to [10.255.20.17]");
        pod.client().close();
    }
}
