package io.github.mcmesh.assertions;

import static io.github.mcmesh.assertions.CallExpectation.distributedAcross;
import static io.github.mcmesh.assertions.CallExpectation.reaching;
import static io.github.mcmesh.assertions.CallExpectation.respondingWith;
import static io.github.mcmesh.assertions.CallExpectation.stayingIn;
import static io.github.mcmesh.assertions.CallExpectation.succeeding;
import static io.github.mcmesh.testing.RecordedPodExec.concat;
import static io.github.mcmesh.testing.RecordedPodExec.curl;
import static io.github.mcmesh.testing.RecordedPodExec.curlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.internal.assertions.Transcript;
import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import io.github.mcmesh.testing.MockMesh;
import io.github.mcmesh.testing.RecordedPodExec;
import io.github.mcmesh.workload.Workload;
import java.time.Duration;
import java.util.List;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallAssertTest {

    static final String URL = "http://helloworld:5000/hello";
    static final ExecResult EAST = curl(200, "Hello version: v1, instance: helloworld-v1-aaa\n");
    static final ExecResult WEST = curl(200, "Hello version: v2, instance: helloworld-v2-bbb\n");

    MockMesh mesh;
    RecordedPodExec exec = new RecordedPodExec();

    @BeforeEach
    void mesh() {
        mesh = MockMesh.start("demo", "east", "west");
        mesh.runningPod("east", "sleep-1", "sleep", "sleep", "istio-proxy");
        mesh.runningPod("east", "helloworld-v1-aaa", "helloworld", "helloworld");
        mesh.runningPod("west", "helloworld-v2-bbb", "helloworld", "helloworld");
        mesh.executingInPodsWith(exec);
    }

    @AfterEach
    void close() {
        mesh.close();
    }

    private CallAssert calling() {
        // the ticker makes every deadline a number of rounds, the same however slow the machine is
        return MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker()).within(Duration.ofMillis(600))
                .pollingEvery(Duration.ofMillis(10)).converging(2)
                .from("east", "sleep").calling(URL).calls(4);
    }

    static String normalized(Throwable error) {
        return error.getMessage().replaceAll("\\(after [^)]*\\)", "(after <t>)")
                .replaceAll("gave up after [^,]*, \\d+ rounds, within [^)]*\\)", "gave up after <t>, <n> rounds, within <t>)")
                .replaceAll("stopped holding after [^:]*:", "stopped holding after <t>:")
                .replaceAll("\\(\\d+ rounds in [^)]*\\)", "(<n> rounds in <t>)")
                .replaceAll("In round \\d+", "In round <n>");
    }

    @Test
    void reaches_both_clusters_when_each_answers_in_every_round() {
        // given answers alternating between the clusters
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when
        calling().reachesClusters("east", "west");

        // then two rounds of four calls ran, each in the app container, never in the sidecar
        assertThat(exec.invocations()).hasSize(8)
                .allMatch(line -> line.startsWith("sleep-1/sleep: curl -sS --max-time 5 -w "));
    }

    @Test
    void only_local_answers_fail_with_per_cluster_counts_and_the_trust_hint() {
        // given only the caller's cluster answers
        exec.answer("sleep-1", List.of("curl"), EAST);

        // when
        Throwable error = catchThrowable(() -> calling().reachesClusters("east", "west"));

        // then
        // the cause is the last round's own failure
        assertThat(error).isInstanceOf(MeshAssertionError.class).cause().isExactlyInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to");
        assertThat(normalized(error)).isEqualTo("""
                Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to
                  "http://helloworld:5000/hello"
                to be answered by each of ["east", "west"] and by no other cluster, every call succeeding
                but west did not answer.
                In round <n> (after <t>) the 4 calls were answered by:
                  east: 4
                  west: 0
                  unattributed: 0, failed: 0
                Last calls:
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                Hint: only east (the caller's cluster) answered. Usual causes: the clusters do not share a root CA, \
                so mTLS to remote pods fails and Envoy's retries land on local endpoints (check TrustMode and 'cacerts'); \
                or istiod in east has no remote secret for [west] (its /debug/clusterz must list them as synced); \
                or the service has no ready pods there.
                (gave up after <t>, <n> rounds, within <t>)""");
        assertThat(((MeshAssertionError) error).transcript()).isNotEmpty()
                .hasSizeLessThanOrEqualTo(Transcript.MAX_LINES)
                .anyMatch(line -> line.contains(" call 1 east/sleep-1 curl -sS")
                        && line.endsWith("from east: Hello version: v1, instance: helloworld-v1-aaa"));
    }

    @Test
    void on_two_networks_a_failing_call_ends_with_the_callers_sidecar_endpoints_and_the_multi_network_hints() {
        // given: east and west on their own networks; the caller's sidecar has west's pod IP, not west's gateway
        try (MockMesh networks = twoNetworksWithSleepInEast()) {
            networks.runningPod("west", "helloworld-v2-bbb", "helloworld", "helloworld");
            RecordedPodExec podExec = new RecordedPodExec().answer("sleep-1", List.of("curl"), EAST)
                    .answer("sleep-1", List.of("pilot-agent", "request", "GET", "clusters"), new io.github.mcmesh.internal.probe
                            .PodExec.ExecResult(0, "outbound|5000||helloworld.demo.svc.cluster.local::10.10.0.7:5000::health_flags"
                            + "::healthy\noutbound|5000||helloworld.demo.svc.cluster.local::10.20.0.9:5000::health_flags::healthy\n", ""));
            networks.executingInPodsWith(podExec);

            // when
            Throwable error = catchThrowable(() -> MeshAssertions.assertThat(networks).usingTicker(new SteppingTicker())
                    .within(Duration.ofMillis(600)).pollingEvery(Duration.ofMillis(10)).converging(2)
                    .from("east", "sleep").calling(URL).calls(4).reachesClusters("east", "west"));

            // then
            assertThat(error).isInstanceOf(MeshAssertionError.class);
            assertThat(normalized(error)).contains("(gave up after <t>, <n> rounds, within <t>)" + System.lineSeparator()
                    + "Endpoints of outbound|5000||helloworld.demo.svc.cluster.local in the caller's sidecar (pilot-agent"
                    + " request GET clusters):" + System.lineSeparator()
                    + "  10.10.0.7:5000: a pod of east (the caller's cluster), healthy" + System.lineSeparator()
                    + "  10.20.0.9:5000: a pod IP of west (network net-west), not its gateway, healthy" + System.lineSeparator()
                    + "Remote endpoints point at the peer's gateway: no" + System.lineSeparator()
                    + "Hint: the caller's sidecar has pod IPs of [west], which are not routed between networks");
            assertThat(podExec.invocations()).contains("sleep-1/istio-proxy: pilot-agent request GET clusters");
        }
    }

    @Test
    void on_two_networks_connect_timeouts_point_at_the_peers_gateway_not_at_routes() {
        // given: east and west on their own networks (no routes between them by design); calls to west time out
        try (MockMesh networks = twoNetworksWithSleepInEast()) {
            RecordedPodExec podExec = new RecordedPodExec().answer("sleep-1", List.of("curl"), EAST, curl(503,
                    "upstream connect error or disconnect/reset before headers. reset reason: connection timeout"))
                    .answer("sleep-1", List.of("pilot-agent", "request", "GET", "clusters"), new io.github.mcmesh.internal.probe
                            .PodExec.ExecResult(0, "", ""));
            networks.executingInPodsWith(podExec);

            // when
            Throwable error = catchThrowable(() -> MeshAssertions.assertThat(networks).usingTicker(new SteppingTicker())
                    .within(Duration.ofMillis(600)).pollingEvery(Duration.ofMillis(10)).converging(2)
                    .from("east", "sleep").calling(URL).calls(2).reachesClusters("east", "west"));

            // then
            String message = normalized(error);
            assertThat(message).contains("Hint: connections time out: [west] are on other networks than east, reached only"
                    + " through their east-west gateway (istio-system/istio-eastwestgateway, port 15443), never by routes:"
                    + " the gateway's address may not be reachable from east's node, or its pod is not ready; the caller's"
                    + " sidecar endpoints below tell whether it routes to the gateway.")
                    .contains("Usual causes: calls through the east-west gateways time out (see above); or the clusters do"
                            + " not share a root CA")
                    .doesNotContain("routes between the clusters' pod networks")
                    .doesNotContain("routes to their pod networks");
        }
    }

    /** East and west on networks of their own, in namespace demo: sleep (with a sidecar) and helloworld-v1 run in east. */
    private static MockMesh twoNetworksWithSleepInEast() {
        MockMesh networks = MockMesh.start(io.github.mcmesh.spec.MeshSpec.builder()
                .cluster("east", c -> c.network("net-east")).cluster("west", c -> c.network("net-west")).build(), "demo");
        networks.runningPod("east", "sleep-1", "sleep", "sleep", "istio-proxy");
        networks.runningPod("east", "helloworld-v1-aaa", "helloworld", "helloworld");
        return networks;
    }

    @Test
    void on_one_network_a_failing_call_reads_no_sidecar_endpoints() {
        exec.answer("sleep-1", List.of("curl"), EAST);
        catchThrowable(() -> calling().reachesClusters("east", "west"));
        assertThat(exec.invocations()).noneMatch(line -> line.contains("pilot-agent"));
    }

    @Test
    void attribution_looks_each_pod_up_once_per_assertion() {
        // given
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when
        calling().calls(2).converging(3).reachesClusters("east", "west");

        // then 6 calls, 2 distinct pods
        assertThat(mesh.podLookups).hasValue(2);
    }

    @Test
    void converges_only_after_consecutive_passing_rounds() {
        // given round 1 passes, round 2 fails, rounds 3 and 4 pass
        exec.answer("sleep-1", List.of("curl"), concat(new ExecResult[] {EAST, WEST}, new ExecResult[] {EAST, EAST},
                new ExecResult[] {EAST, WEST}, new ExecResult[] {EAST, WEST}));

        // when
        calling().calls(2).converging(2).reachesClusters("east", "west");

        // then exactly four rounds ran: a pass, a failure that reset the count, two passes
        assertThat(exec.invocations()).hasSize(8);
    }

    @Test
    void a_round_failing_after_a_pass_resets_the_count_and_the_last_failure_is_reported() {
        // given one passing round, then only local answers forever
        exec.answerInOrder("sleep-1", List.of("curl"), EAST, WEST, EAST);

        // when
        Throwable error = catchThrowable(() -> calling().calls(2).converging(2).within(Duration.ofMillis(200))
                .reachesClusters("east", "west"));

        // then
        assertThat(normalized(error)).contains("but west did not answer.").endsWith("within <t>)");
    }

    @Test
    void passing_rounds_short_of_convergence_fail_saying_so() {
        // given every round passes, but 100 in a row are needed
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when
        Throwable error = catchThrowable(() -> calling().calls(2).converging(100).within(Duration.ofMillis(100))
                .reachesClusters("east", "west"));

        // then
        assertThat(normalized(error)).matches("""
                Expecting calls from sleep in cluster east to http://helloworld:5000/hello reaching \\[east, west\\] \
                to pass in 100 consecutive rounds
                but only the last \\d+ passed \\(<n> rounds in <t>\\).
                \\(gave up after <t>, <n> rounds, within <t>\\)""");
    }

    @Test
    void stays_in_cluster_passes_when_only_that_cluster_answers_and_fails_naming_the_intruder() {
        // given
        exec.answer("sleep-1", List.of("curl"), EAST, EAST, EAST, WEST);

        // when
        Throwable error = catchThrowable(() -> calling().within(Duration.ofMillis(100)).staysInCluster("east"));

        // then
        assertThat(normalized(error)).startsWith("""
                Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to
                  "http://helloworld:5000/hello"
                to be answered by "east" only, every call succeeding
                but west answered 1 of 4 calls.
                In round <n> (after <t>) the 4 calls were answered by:
                  east: 3
                  west: 1
                  unattributed: 0, failed: 0
                """);

        mesh.executingInPodsWith(new RecordedPodExec().answer("sleep-1", List.of("curl"), EAST));
        calling().staysInCluster("east");
    }

    @Test
    void distribution_needs_the_minimum_share_of_each_cluster() {
        // given 3 east, 1 west per round
        exec.answer("sleep-1", List.of("curl"), EAST, EAST, EAST, WEST);
        calling().isDistributedAcross(0.25, "east", "west");

        // when a share of 40% is asked
        Throwable error = catchThrowable(() -> calling().within(Duration.ofMillis(100))
                .isDistributedAcross(0.4, "east", "west"));

        // then
        assertThat(normalized(error)).contains("""
                to be answered by each of ["east", "west"] with a share of at least 40% each, and by no other cluster
                but west answered only 25% (1 of 4).
                """);
        assertThatThrownBy(() -> calling().isDistributedAcross(0.6, "east", "west"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minShare 0.6 is impossible for 2 clusters; pass a share above 0 and at most 0.5");
    }

    @Test
    void unresolvable_name_fails_succeeds_with_the_dns_hint() {
        // given
        exec.answer("sleep-1", List.of("curl"), curlError(6, "curl: (6) Could not resolve host: helloworld"));

        // when
        Throwable error = catchThrowable(() -> calling().calls(1).within(Duration.ofMillis(100)).succeeds());

        // then
        assertThat(normalized(error)).startsWith("""
                Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to
                  "http://helloworld:5000/hello"
                to succeed (curl exit 0 and a 2xx status)
                but 1 of 1 calls failed.
                In round""").contains("""
                  unattributed: 0, failed: 1
                Last calls:
                  curl exit 6 (could not resolve host) after 3 ms: curl: (6) Could not resolve host: helloworld
                Hint: the name does not resolve in east. Without Istio DNS proxying the Service must exist in the \
                caller's cluster too (deploy it there, e.g. Samples.helloworldService()); or turn DNS proxying on \
                (ISTIO_META_DNS_CAPTURE: mcmesh.dns.proxying=true).""");
    }

    @Test
    void connect_timeouts_to_remote_pods_get_the_routes_hint() {
        // given Envoy reports an upstream connect timeout
        exec.answer("sleep-1", List.of("curl"), curl(503,
                "upstream connect error or disconnect/reset before headers. reset reason: connection timeout"));

        // when
        Throwable error = catchThrowable(() -> calling().calls(1).within(Duration.ofMillis(100)).respondsWith(200));

        // then
        assertThat(normalized(error)).contains("""
                to respond with status 200
                but 1 of 1 calls did not.""").contains("""
                Hint: connections time out: the routes between the clusters' pod networks are probably missing \
                (each node needs a route to every peer's pod and service CIDR via the peer's node IP; check with \
                'minikube ssh -p east -- ip route show'; the next provisioning re-applies missing routes), \
                or a firewall drops the traffic.""");
    }

    @Test
    void remote_endpoints_timing_out_while_local_ones_answer_name_missing_routes_before_trust() {
        // given Envoy's calls to west's endpoints time out, its retries land on east's
        exec.answer("sleep-1", List.of("curl"), EAST, curl(503,
                "upstream connect error or disconnect/reset before headers. reset reason: connection timeout"));

        // when
        Throwable error = catchThrowable(() -> calling().reachesClusters("east", "west"));

        // then
        String message = normalized(error);
        assertThat(message.indexOf("Hint: connections time out: the routes between the clusters' pod networks are"
                + " probably missing")).isPositive().isLessThan(message.indexOf("Hint: only east"));
        assertThat(message).contains("Hint: only east (the caller's cluster) answered. Usual causes: calls to [west] time"
                + " out, so the routes to their pod networks are probably missing (see above); or the clusters do not share"
                + " a root CA");
    }

    @Test
    void responds_with_passes_on_the_expected_status() {
        exec.answer("sleep-1", List.of("curl"), curl(404, "not found"));
        calling().respondsWith(404);
    }

    @Test
    void keeps_holding_fails_when_a_later_round_fails() {
        // given two good rounds, then only local answers
        exec.answerInOrder("sleep-1", List.of("curl"), EAST, WEST, EAST);

        // when
        Throwable error = catchThrowable(() -> calling().calls(2).converging(1).during(Duration.ofMillis(500))
                .reachesClusters("east", "west"));

        // then
        assertThat(normalized(error)).startsWith("""
                Expecting the expectation to keep holding for 500 ms
                but it stopped holding after <t>:
                Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to""");
    }

    @Test
    void missing_source_pod_is_reported_with_the_pods_seen() {
        Throwable error = catchThrowable(() -> MeshAssertions.assertThat(mesh)
                .within(Duration.ofMillis(100)).pollingEvery(Duration.ofMillis(20))
                .from("west", "sleep").calling(URL).succeeds());

        assertThat(error.getMessage()).startsWith("No running pod labelled app=sleep in cluster west, namespace demo "
                + "(pods with that label: []); deploy it first, e.g. mesh.cluster(\"west\").deploy(Samples.sleep())");
    }

    @Test
    void gives_up_after_the_rounds_that_fit_within_the_deadline_however_slow_the_rounds_are() {
        // given calls that never reach west, and a ticker that moves only while polling sleeps
        exec.answer("sleep-1", List.of("curl"), EAST);
        SteppingTicker ticker = new SteppingTicker();

        // when
        Throwable error = catchThrowable(() -> MeshAssertions.assertThat(mesh).usingTicker(ticker)
                .within(Duration.ofMillis(100)).pollingEvery(Duration.ofMillis(10)).converging(1)
                .from("east", "sleep").calling(URL).calls(2).reachesClusters("east", "west"));

        // then rounds at 0, 10, ..., 100 ms: eleven, the last one starting at the deadline
        assertThat(error.getMessage()).endsWith("(gave up after 100 ms, 11 rounds, within 100 ms)");
        assertThat(ticker.sleeps()).isEqualTo(10);
    }

    @Test
    void settings_are_immutable() {
        CallAssert base = calling();
        CallAssert changed = base.calls(7);

        assertThat(changed).isNotSameAs(base);
        assertThat(base.settings.calls()).isEqualTo(4);
        assertThat(changed.settings.calls()).isEqualTo(7);
    }

    @Test
    void unknown_cluster_names_are_rejected_before_any_call() {
        assertThatThrownBy(() -> calling().reachesClusters("east", "north"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No cluster named 'north' in this mesh; known clusters: [east, west]");
        assertThat(exec.invocations()).isEmpty();
    }

    // --- the subject is the call

    @Test
    void the_subject_is_the_call_and_assertj_checks_on_it_make_no_call() {
        // when / then AssertJ's own checks apply to the call value, not to the mesh
        calling().isEqualTo(new Call(mesh, "east", "sleep", URL))
                .hasToString("calls from sleep in cluster east to http://helloworld:5000/hello")
                .matches(call -> call.mesh() == mesh && call.cluster().equals("east") && call.workload().equals("sleep")
                        && call.url().equals(URL));
        assertThat(exec.invocations()).isEmpty();
    }

    // --- the assertion's representation and description apply

    /** Renders strings as <<text>> and calls by their URL only. */
    static final StandardRepresentation MARKED = new StandardRepresentation() {
        @Override
        public String toStringOf(Object object) {
            return object instanceof Call call ? "the call to " + call.url() : super.toStringOf(object);
        }

        @Override
        protected String toStringOf(String text) {
            return "<<" + text + ">>";
        }
    };

    @Test
    void a_custom_representation_renders_the_values_of_a_round_failure() {
        // given only the caller's cluster answers
        exec.answer("sleep-1", List.of("curl"), EAST);

        // when the representation is set before settings that copy the assertion
        Throwable error = catchThrowable(() -> calling().withRepresentation(MARKED).calls(4).within(Duration.ofMillis(100))
                .reachesClusters("east", "west"));

        // then
        assertThat(normalized(error)).startsWith("""
                Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to
                  <<http://helloworld:5000/hello>>
                to be answered by each of [<<east>>, <<west>>] and by no other cluster, every call succeeding
                but west did not answer.
                """);
        assertThat(error.getCause()).hasMessageStartingWith("Expecting calls from sleep-1 (sleep) in cluster east,"
                + " namespace demo to" + System.lineSeparator() + "  <<http://helloworld:5000/hello>>");
    }

    @Test
    void a_custom_representation_renders_the_call_in_the_convergence_failure() {
        // given every round passes, but 100 in a row are needed
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when
        Throwable error = catchThrowable(() -> calling().withRepresentation(MARKED).calls(2).converging(100)
                .within(Duration.ofMillis(100)).reachesClusters("east", "west"));

        // then
        assertThat(normalized(error)).startsWith("Expecting the call to http://helloworld:5000/hello reaching [east, west]"
                + " to pass in 100 consecutive rounds");
    }

    @Test
    void the_description_prefixes_the_failure_once_and_survives_copies() {
        // given
        exec.answer("sleep-1", List.of("curl"), EAST);

        // when described before a setting that copies the assertion
        Throwable error = catchThrowable(() -> calling().as("east to west").calls(2).within(Duration.ofMillis(100))
                .reachesClusters("east", "west"));

        // then
        assertThat(error).hasMessageStartingWith("[east to west] Expecting calls from sleep-1 (sleep)");
        assertThat(error.getMessage().split("\\[east to west\\]", -1)).hasSize(2);
        assertThat(error.getCause()).hasMessageStartingWith("[east to west] Expecting calls from");
    }

    @Test
    void an_overriding_message_replaces_the_round_failure_and_survives_copies() {
        // given
        exec.answer("sleep-1", List.of("curl"), EAST);

        // when
        Throwable error = catchThrowable(() -> calling().withFailMessage("west is unreachable").calls(2)
                .within(Duration.ofMillis(100)).reachesClusters("east", "west"));

        // then the transcript and the deadline still follow
        assertThat(normalized(error)).isEqualTo("west is unreachable\n(gave up after <t>, <n> rounds, within <t>)"
                .replace("\n", System.lineSeparator()));
        assertThat(error.getCause()).hasMessage("west is unreachable");
    }

    // --- several expectations, one poll

    @Test
    void satisfies_checks_every_expectation_against_the_rounds_of_one_poll() {
        // given answers alternating between the clusters
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when four expectations are checked together
        calling().satisfies(reaching("east", "west"), distributedAcross(0.25, "east", "west"), succeeding(),
                respondingWith(200));

        // then one poll ran: two converging rounds of four calls
        assertThat(exec.invocations()).hasSize(8);
    }

    @Test
    void chained_terminal_methods_are_one_poll_each() {
        // given
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when
        calling().reachesClusters("east", "west").isDistributedAcross(0.25, "east", "west");

        // then two polls of two rounds of four calls
        assertThat(exec.invocations()).hasSize(16);
    }

    @Test
    void satisfies_names_each_expectation_a_round_missed_with_the_round_evidence_once() {
        // given only the caller's cluster answers
        exec.answer("sleep-1", List.of("curl"), EAST);

        // when
        Throwable error = catchThrowable(() -> calling().within(Duration.ofMillis(100))
                .satisfies(succeeding(), reaching("east", "west"), distributedAcross(0.25, "east", "west")));

        // then succeeding held; the two that did not are named with why
        assertThat(normalized(error)).isEqualTo("""
                Expecting calls from sleep-1 (sleep) in cluster east, namespace demo to
                  "http://helloworld:5000/hello"
                to satisfy all 3 expectations in the same round
                but 2 did not:
                - to be answered by each of ["east", "west"] and by no other cluster, every call succeeding
                  but west did not answer.
                - to be answered by each of ["east", "west"] with a share of at least 25% each, and by no other cluster
                  but west did not answer.
                In round <n> (after <t>) the 4 calls were answered by:
                  east: 4
                  west: 0
                  unattributed: 0, failed: 0
                Last calls:
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                  200 in 12 ms from east: Hello version: v1, instance: helloworld-v1-aaa
                Hint: only east (the caller's cluster) answered. Usual causes: the clusters do not share a root CA, \
                so mTLS to remote pods fails and Envoy's retries land on local endpoints (check TrustMode and 'cacerts'); \
                or istiod in east has no remote secret for [west] (its /debug/clusterz must list them as synced); \
                or the service has no ready pods there.
                (gave up after <t>, <n> rounds, within <t>)""");
    }

    @Test
    void satisfies_names_only_the_expectation_that_failed() {
        // given 3 east, 1 west per round: every cluster answers, but west below 40%
        exec.answer("sleep-1", List.of("curl"), EAST, EAST, EAST, WEST);

        // when
        Throwable error = catchThrowable(() -> calling().within(Duration.ofMillis(100))
                .satisfies(reaching("east", "west"), distributedAcross(0.4, "east", "west")));

        // then
        assertThat(normalized(error)).contains("""
                to satisfy all 2 expectations in the same round
                but 1 did not:
                - to be answered by each of ["east", "west"] with a share of at least 40% each, and by no other cluster
                  but west answered only 25% (1 of 4).
                In round <n>""").doesNotContain("and by no other cluster, every call succeeding");
    }

    @Test
    void the_convergence_failure_of_satisfies_names_every_expectation() {
        // given every round passes, but 100 in a row are needed
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);

        // when
        Throwable error = catchThrowable(() -> calling().calls(2).converging(100).within(Duration.ofMillis(100))
                .satisfies(reaching("east", "west"), succeeding()));

        // then
        assertThat(normalized(error)).startsWith("Expecting calls from sleep in cluster east to http://helloworld:5000/hello"
                + " reaching [east, west] and succeeding to pass in 100 consecutive rounds");
    }

    @Test
    void satisfies_rejects_what_no_round_could_meet_before_any_call() {
        assertThatThrownBy(() -> calling().satisfies(succeeding(), stayingIn("north")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No cluster named 'north' in this mesh; known clusters: [east, west]");
        assertThatThrownBy(() -> calling().calls(1).satisfies(reaching("east", "west")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("calls(1) cannot reach 2 clusters; use calls(n) with n of at least 2");
        assertThatThrownBy(() -> calling().satisfies(new CallExpectation[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Pass at least one expectation, e.g. satisfies(reaching(\"mcmesh-east\"))");
        assertThatThrownBy(() -> calling().reachesClusters(new String[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Name at least one cluster; known clusters: [east, west]");
        assertThat(exec.invocations()).isEmpty();
    }

    // --- cluster handles wherever a cluster name goes

    @Test
    void cluster_handles_stand_for_their_clusters() {
        // given
        exec.answer("sleep-1", List.of("curl"), EAST, WEST);
        ClusterHandle east = mesh.cluster("east");
        ClusterHandle west = mesh.cluster("west");

        // when / then
        CallAssert fromEast = MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker()).converging(1)
                .from(east, "sleep").calling(URL).calls(2);
        fromEast.reachesClusters(east, west).isDistributedAcross(0.5, east, west)
                .satisfies(reaching(east, west), distributedAcross(0.5, east, west));
        assertThat(fromEast.actual()).isEqualTo(new Call(mesh, "east", "sleep", URL));

        mesh.executingInPodsWith(new RecordedPodExec().answer("sleep-1", List.of("curl"), WEST));
        calling().staysInCluster(west).satisfies(stayingIn(west));
    }

    @Test
    void a_handle_of_a_cluster_outside_the_mesh_is_rejected_like_its_name() {
        ClusterHandle north = new NamedHandle("north", "demo");

        assertThatThrownBy(() -> calling().reachesClusters(mesh.cluster("east"), north))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No cluster named 'north' in this mesh; known clusters: [east, west]");
        assertThatThrownBy(() -> MeshAssertions.assertThat(mesh).from(north, "sleep"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No cluster named 'north' in this mesh; known clusters: [east, west]");
    }

    @Test
    void a_source_handle_scoped_to_another_namespace_is_rejected() {
        ClusterHandle eastElsewhere = mesh.inNamespace("other").cluster("east");

        assertThatThrownBy(() -> MeshAssertions.assertThat(mesh).from(eastElsewhere, "sleep"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cluster handle east is scoped to namespace other, this mesh to demo; pass a handle of the"
                        + " same view (mesh.cluster(\"east\")) or assert on mesh.inNamespace(\"other\")");
    }

    /** A handle that only has a name and a namespace. */
    record NamedHandle(String name, String namespace) implements ClusterHandle {
        @Override
        public KubernetesClient client() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String nodeIp() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deploy(Workload... workloads) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void apply(HasMetadata... resources) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scale(String name, int replicas) {
            throw new UnsupportedOperationException();
        }
    }
}
