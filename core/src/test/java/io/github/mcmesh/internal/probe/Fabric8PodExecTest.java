package io.github.mcmesh.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Fabric8PodExec} against fabric8's mock API server in expectation mode, speaking the exec
 * subresource's channel protocol: channel 1 stdout, 2 stderr, 3 the closing {@code Status}.
 */
class Fabric8PodExecTest {

    private static final String EXEC = "/api/v1/namespaces/demo/pods/sleep-1/exec";

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final Fabric8PodExec podExec = new Fabric8PodExec();
    private KubernetesClient client;

    @BeforeEach
    void start_api_server_with_a_running_sleep_pod() {
        server.init();
        client = server.createClient();
        Pod pod = runningPod("demo", "sleep-1", "sleep", "istio-proxy");
        // fabric8 reads the pod (ready wait, container check) before it opens the exec stream
        server.expect().get().withPath("/api/v1/namespaces/demo/pods/sleep-1").andReturn(200, pod).always();
        server.expect().get().withPath("/api/v1/namespaces/demo/pods?fieldSelector=metadata.name%3Dsleep-1")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("7").endMetadata().addToItems(pod)
                        .build())
                .always();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void collects_stdout_and_stderr_separately_and_gives_exit_code_zero_on_success() {
        // given
        server.expect().get().withPath(EXEC + "?command=sh&command=-c&command=work&container=sleep&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("line 1\n"), new ErrorStreamMessage("warning: slow\n"),
                        new OutputStreamMessage("line 2\n"), new StatusStreamMessage(0))
                .done().once();

        // when
        ExecResult result = exec(Duration.ofSeconds(10), "sh", "-c", "work");

        // then
        assertThat(result).isEqualTo(new ExecResult(0, "line 1\nline 2\n", "warning: slow\n"));
        assertThat(result.succeeded()).isTrue();
    }

    @Test
    void gives_the_commands_own_exit_code_when_it_fails() {
        // given: what the API server sends for curl exiting 6, {"status":"Failure","reason":"NonZeroExitCode",
        // "details":{"causes":[{"reason":"ExitCode","message":"6"}]}}
        server.expect().get().withPath(EXEC + "?command=curl&command=http%3A%2F%2Fhelloworld%3A5000%2Fhello"
                + "&container=sleep&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new ErrorStreamMessage("curl: (6) Could not resolve host: helloworld\n"), new StatusStreamMessage(6))
                .done().once();

        // when
        ExecResult result = exec(Duration.ofSeconds(10), "curl", "http://helloworld:5000/hello");

        // then
        assertThat(result).isEqualTo(new ExecResult(6, "", "curl: (6) Could not resolve host: helloworld\n"));
    }

    @Test
    void sends_each_argument_as_a_command_parameter_with_the_container_and_both_output_streams() {
        // given: the HTTP probe's curl command, answered with helloworld's reply and curl's report
        List<String> curl = new HttpProbe(podExec, Duration.ofSeconds(5)).command("http://helloworld:5000/hello");
        String reply = "Hello version: v1, instance: helloworld-v1-6bb5b589d6-xwz2m\n" + HttpProbe.SEPARATOR
                + "200 0.004512\n{\"server\":[\"envoy\"]}\n";
        String expectedPath = EXEC + "?command=curl&command=-sS&command=--max-time&command=5&command=-w"
                + "&command=%0A--mcmesh-probe--%25%7Bhttp_code%7D%20%25%7Btime_total%7D%0A%25%7Bheader_json%7D"
                + "&command=http%3A%2F%2Fhelloworld%3A5000%2Fhello&container=sleep&stdout=true&stderr=true";
        server.expect().get().withPath(expectedPath).andUpgradeToWebSocket()
                .open(new OutputStreamMessage(reply), new StatusStreamMessage(0)).done().once();

        // when
        ExecResult result = podExec.exec(client, "demo", "sleep-1", "sleep", Duration.ofSeconds(10), curl);

        // then
        assertThat(execRequests()).containsExactly("GET " + expectedPath);
        assertThat(result).isEqualTo(new ExecResult(0, reply, ""));
    }

    @Test
    void gives_minus_one_and_says_so_on_stderr_when_the_command_does_not_end_in_time() {
        // given: the command prints, then hangs past the timeout
        server.expect().get().withPath(EXEC + "?command=sleep&command=3600&container=sleep&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("started\n"), delayed(Duration.ofSeconds(3), new StatusStreamMessage(0)))
                .done().once();

        // when
        long start = System.nanoTime();
        ExecResult result = exec(Duration.ofMillis(300), "sleep", "3600");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(result.stderr()).isEqualTo("\n[mcmesh] no exit within PT0.3S: sleep 3600");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void keeps_the_api_servers_message_when_the_exec_fails_without_an_exit_code() {
        // given: what the API server sends when the binary is missing from the image
        String message = "Internal error occurred: error executing command in container: failed to exec in container: "
                + "OCI runtime exec failed: exec failed: unable to start container process: exec: \"curl\": "
                + "executable file not found in $PATH: unknown";
        server.expect().get().withPath(EXEC + "?command=curl&command=-sS&container=sleep&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new StatusMessage(new StatusBuilder().withStatus("Failure").withReason("InternalError").withCode(500)
                        .withMessage(message).build()))
                .done().once();

        // when
        ExecResult result = exec(Duration.ofSeconds(10), "curl", "-sS");

        // then
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("\n[mcmesh] exec failed (InternalError): " + message);
    }

    @Test
    void gives_minus_one_and_says_so_when_the_stream_closes_without_an_exit_status() {
        // given: the connection ends after some output but before the status channel spoke
        server.expect().get().withPath(EXEC + "?command=cat&command=big.log&container=sleep&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("partial"))
                .done().once();

        // when
        ExecResult result = exec(Duration.ofSeconds(10), "cat", "big.log");

        // then
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.stdout()).isEqualTo("partial");
        assertThat(result.stderr()).isEqualTo("\n[mcmesh] exec stream closed without an exit status: cat big.log");
    }

    private static WebSocketMessage delayed(Duration delay, WebSocketMessage message) {
        return new WebSocketMessage(delay.toMillis(), message.getBytes(), true, true);
    }

    private ExecResult exec(Duration timeout, String... command) {
        return podExec.exec(client, "demo", "sleep-1", "sleep", timeout, List.of(command));
    }

    private List<String> execRequests() {
        List<String> requests = new ArrayList<>();
        try {
            for (RecordedRequest request; (request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null;) {
                if (request.getPath().startsWith(EXEC)) {
                    requests.add(request.getMethod() + " " + request.getPath());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    private static Pod runningPod(String namespace, String name, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withResourceVersion("7")
                .endMetadata();
        for (String container : containers) {
            pod.editOrNewSpec().addNewContainer().withName(container).endContainer().endSpec();
        }
        return pod.withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
    }
}
