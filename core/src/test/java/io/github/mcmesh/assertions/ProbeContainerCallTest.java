package io.github.mcmesh.assertions;

import static io.github.mcmesh.testing.RecordedPodExec.curl;
import static io.github.mcmesh.testing.RecordedPodExec.notInImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import io.github.mcmesh.testing.MockMesh;
import io.github.mcmesh.testing.RecordedPodExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls and lookups from a pod of the team's own whose image has no curl or getent. */
class ProbeContainerCallTest {

    static final String URL = "http://helloworld:5000/hello";
    static final String PATCH_PATH = "/api/v1/namespaces/demo/pods/frontend-1/ephemeralcontainers";
    static final ExecResult EAST = curl(200, "Hello version: v1, instance: helloworld-v1-aaa\n");
    static final ExecResult WEST = curl(200, "Hello version: v2, instance: helloworld-v2-bbb\n");

    MockMesh mesh;
    RecordedPodExec exec = new RecordedPodExec();

    @BeforeEach
    void mesh() {
        mesh = MockMesh.start("demo", "east", "west");
        mesh.runningPod("east", "helloworld-v1-aaa", "helloworld", "helloworld");
        mesh.runningPod("west", "helloworld-v2-bbb", "helloworld", "helloworld");
        mesh.executingInPodsWith(exec);
    }

    @AfterEach
    void close() {
        mesh.close();
    }

    private SourceAssert fromFrontend() {
        return MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker()).within(Duration.ofMillis(600))
                .pollingEvery(Duration.ofMillis(10)).converging(2)
                .from("east", "frontend");
    }

    /** The team's pod: app container {@code frontend} (no curl in its image) and the sidecar. */
    private void frontendPod(boolean probeContainerInSpec) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("frontend-1").withNamespace("demo")
                .withLabels(Map.of("app", "frontend")).endMetadata()
                .withNewSpec().addNewContainer().withName("frontend").withImage("registry.local/frontend:dev").endContainer()
                .addNewContainer().withName("istio-proxy").withImage("istio/proxyv2").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.10.0.9")
                // what the kubelet reports once the ephemeral container runs
                .addToEphemeralContainerStatuses(new ContainerStatusBuilder().withName("mcmesh-probe")
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus();
        if (probeContainerInSpec) {
            pod.editSpec().addNewEphemeralContainer().withName("mcmesh-probe").withImage("docker.io/curlimages/curl:8.16.0")
                    .endEphemeralContainer().endSpec();
        }
        Pod created = pod.build();
        mesh.cluster("east").client().pods().inNamespace("demo").resource(created).create();
    }

    private void kubernetesVersion(String minor) {
        mesh.server("east").setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor(minor)
                .withGitVersion("v1." + minor + ".1").build());
    }

    private void ephemeralContainersServed() {
        // the mock's CRUD mode does not know the ephemeralcontainers subresource: an explicit answer
        Pod answer = mesh.cluster("east").client().pods().inNamespace("demo").withName("frontend-1").get();
        mesh.server("east").expect().patch().withPath(PATCH_PATH).andReturn(200, answer).always();
    }

    private List<RecordedRequest> patches() throws InterruptedException {
        List<RecordedRequest> patches = new ArrayList<>();
        int count = mesh.server("east").getRequestCount();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = mesh.server("east").takeRequest();
            if (request.getMethod().equals("PATCH")) {
                patches.add(request);
            }
        }
        return patches;
    }

    @Test
    void a_pod_without_curl_is_probed_from_an_ephemeral_curl_container_that_is_not_envoys_uid_or_gid() throws Exception {
        // given a pod whose image has no curl, on Kubernetes 1.35
        frontendPod(false);
        kubernetesVersion("35");
        ephemeralContainersServed();
        exec.answerIn("frontend-1", "frontend", List.of("curl"), notInImage("curl"))
                .answerIn("frontend-1", "mcmesh-probe", List.of("curl"), EAST, WEST);

        // when
        fromFrontend().calling(URL).calls(2).reachesClusters("east", "west");

        // then one call failed in the app container, every other ran in the probe container, added once
        List<String> invocations = exec.invocations();
        assertThat(invocations.get(0)).startsWith("frontend-1/frontend: curl -sS");
        assertThat(invocations.subList(1, invocations.size())).hasSize(4).allMatch(line -> line.startsWith("frontend-1/mcmesh-probe: curl -sS"));
        List<RecordedRequest> patches = patches();
        assertThat(patches).hasSize(1);
        String body = patches.get(0).getBody().readUtf8();
        assertThat(body).contains("\"path\":\"/spec/ephemeralContainers\"", "\"name\":\"mcmesh-probe\"",
                "\"image\":\"docker.io/curlimages/curl:8.16.0\"", "\"command\":[\"/bin/sleep\",\"infinity\"]",
                "\"runAsUser\":100", "\"runAsGroup\":101", "\"runAsNonRoot\":true", "\"allowPrivilegeEscalation\":false",
                "\"drop\":[\"ALL\"]")
                .doesNotContain("1337", "resourceVersion");
    }

    @Test
    void the_evidence_names_the_probe_container() {
        // given
        frontendPod(false);
        kubernetesVersion("35");
        ephemeralContainersServed();
        exec.answerIn("frontend-1", "frontend", List.of("curl"), notInImage("curl"))
                .answerIn("frontend-1", "mcmesh-probe", List.of("curl"), EAST);

        // when
        Throwable error = catchThrowable(() -> fromFrontend().calling(URL).calls(2).reachesClusters("east", "west"));

        // then
        assertThat(error).hasMessageStartingWith("Expecting calls from frontend-1 (ephemeral curl container mcmesh-probe)"
                + " in cluster east, namespace demo to");
        assertThat(((MeshAssertionError) error).transcript()).anyMatch(line -> line.endsWith(
                "east/frontend-1/frontend has no curl (exit 126: OCI runtime exec failed: exec failed: unable to start container"
                        + " process: exec: \"curl\": executable file not found in $PATH: unknown); probing from ephemeral"
                        + " container mcmesh-probe (docker.io/curlimages/curl:8.16.0, UID 100, GID 101)"));
    }

    @Test
    void a_probe_container_added_before_is_reused_without_a_second_patch() throws Exception {
        // given the pod already has mcmesh's container (ephemeral containers cannot be removed)
        frontendPod(true);
        exec.answerIn("frontend-1", "frontend", List.of("curl"), notInImage("curl"))
                .answerIn("frontend-1", "mcmesh-probe", List.of("curl"), EAST, WEST);

        // when
        fromFrontend().calling(URL).calls(2).reachesClusters("east", "west");

        // then no PATCH (the CRUD mock would have failed it) and no version lookup was needed
        assertThat(patches()).isEmpty();
    }

    @Test
    void kubernetes_before_1_25_is_refused_with_what_to_do_instead() {
        // given
        frontendPod(false);
        kubernetesVersion("24");
        exec.answerIn("frontend-1", "frontend", List.of("curl"), notInImage("curl"));

        // when
        Throwable error = catchThrowable(() -> fromFrontend().calling(URL).succeeds());

        // then
        assertThat(error).isInstanceOf(AssertionError.class).hasMessage("Container frontend of frontend-1 (frontend) in"
                + " cluster east, namespace demo has no curl (exit 126), and mcmesh could not probe from an ephemeral curl"
                + " container instead: Pod frontend-1 (frontend) in cluster east, namespace demo has no curl, and cluster"
                + " east runs Kubernetes 1.24, which has no ephemeral containers by default (GA in 1.25) to add one with"
                + " curl; probe from a pod that has curl (e.g. deploy Samples.sleep() and use from(\"east\", \"sleep\")),"
                + " or use Kubernetes 1.25 or newer");
    }

    @Test
    void a_pod_without_getent_is_looked_up_from_the_probe_container() {
        // given
        frontendPod(false);
        kubernetesVersion("35");
        ephemeralContainersServed();
        exec.answerIn("frontend-1", "frontend", List.of("getent"), new ExecResult(127, "", "sh: getent: not found"))
                .answerIn("frontend-1", "mcmesh-probe", List.of("getent"), new ExecResult(0, "10.255.20.17    helloworld\n", ""));

        // when
        fromFrontend().resolving("helloworld").resolvesTo("10.255.20.17");

        // then
        assertThat(exec.invocations()).startsWith("frontend-1/frontend: getent hosts helloworld",
                "frontend-1/mcmesh-probe: getent hosts helloworld");
    }

    @Test
    void a_probe_container_whose_image_cannot_be_pulled_fails_fast_with_the_reason() {
        // given the kubelet reports the pull failing
        frontendPod(false);
        KubernetesClient east = mesh.cluster("east").client();
        Pod pod = east.pods().inNamespace("demo").withName("frontend-1").get();
        pod.getStatus().setEphemeralContainerStatuses(List.of(new ContainerStatusBuilder().withName("mcmesh-probe")
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"docker.io/curlimages/curl:8.16.0\"").endWaiting().endState().build()));
        east.pods().inNamespace("demo").resource(pod).updateStatus();
        kubernetesVersion("35");
        ephemeralContainersServed();
        exec.answerIn("frontend-1", "frontend", List.of("curl"), notInImage("curl"));

        // when
        Throwable error = catchThrowable(() -> fromFrontend().calling(URL).succeeds());

        // then
        assertThat(error).hasMessageEndingWith("could not probe from an ephemeral curl container instead: The probe"
                + " container mcmesh-probe added to pod frontend-1 in cluster east does not start: ImagePullBackOff: Back-off"
                + " pulling image \"docker.io/curlimages/curl:8.16.0\"; the cluster must be able to pull the curl image"
                + " (see Sources.sampleImages \"curl\")");
    }
}
