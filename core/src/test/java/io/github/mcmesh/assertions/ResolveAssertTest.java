package io.github.mcmesh.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import io.github.mcmesh.testing.MockMesh;
import io.github.mcmesh.testing.RecordedPodExec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResolveAssertTest {

    static MockMesh mesh;
    static final List<String> GETENT = List.of("getent", "hosts", "helloworld");
    static final ExecResult FOUND = new ExecResult(0, "10.255.20.17    helloworld.demo.svc.cluster.local  helloworld.demo.svc.cluster.local\n", "");
    static final ExecResult NOT_FOUND = new ExecResult(2, "", "");

    @BeforeAll
    static void start() {
        mesh = MockMesh.start("demo", "east", "west");
        mesh.runningPod("east", "sleep-1", "sleep", "sleep", "istio-proxy");
    }

    @AfterAll
    static void stop() {
        mesh.close();
    }

    private static ResolveAssert resolving(RecordedPodExec exec) {
        // the ticker makes "within 100 ms, every 10 ms" 11 rounds however slow the machine is
        mesh.executingInPodsWith(exec);
        return MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker())
                .within(Duration.ofMillis(100)).pollingEvery(Duration.ofMillis(10)).from("east", "sleep").resolving("helloworld");
    }

    private static String normalized(Throwable error) {
        return CallAssertTest.normalized(error);
    }

    @Test
    void resolves_and_resolves_to_pass_on_a_found_name() {
        RecordedPodExec exec = new RecordedPodExec().answer("sleep-1", GETENT, FOUND);

        resolving(exec).resolves().resolvesTo("10.255.20.17");

        assertThat(exec.invocations()).hasSize(6).allMatch("sleep-1/sleep: getent hosts helloworld"::equals);
    }

    @Test
    void resolves_fails_with_the_dns_proxying_hint() {
        Throwable error = catchThrowable(() -> resolving(new RecordedPodExec().answer("sleep-1", GETENT, NOT_FOUND)).resolves());

        assertThat(normalized(error)).isEqualTo("""
                Expecting the lookup of
                  "helloworld"
                in sleep-1 (sleep) in cluster east, namespace demo
                to resolve
                but it did not.
                In round <n> (after <t>): helloworld did not resolve (exit 2, not found)
                Hint: the name does not resolve in east. Without Istio DNS proxying the Service must exist in the \
                caller's cluster too (deploy it there, e.g. Samples.helloworldService()); or turn DNS proxying on \
                (ISTIO_META_DNS_CAPTURE: mcmesh.dns.proxying=true).
                (gave up after <t>, <n> rounds, within <t>)""");
    }

    @Test
    void resolves_to_fails_naming_the_addresses_seen() {
        Throwable error = catchThrowable(() -> resolving(new RecordedPodExec().answer("sleep-1", GETENT, FOUND))
                .resolvesTo("10.255.10.5"));

        assertThat(normalized(error)).isEqualTo("""
                Expecting the lookup of
                  "helloworld"
                in sleep-1 (sleep) in cluster east, namespace demo
                to resolve to "10.255.10.5"
                but it resolved to ["10.255.20.17"].
                In round <n> (after <t>): helloworld resolved to [10.255.20.17]
                (gave up after <t>, <n> rounds, within <t>)""");
    }

    @Test
    void does_not_resolve_passes_on_not_found_and_fails_when_the_name_resolves() {
        resolving(new RecordedPodExec().answer("sleep-1", GETENT, NOT_FOUND)).doesNotResolve();

        Throwable error = catchThrowable(() -> resolving(new RecordedPodExec().answer("sleep-1", GETENT, FOUND))
                .doesNotResolve());

        assertThat(normalized(error)).startsWith("""
                Expecting the lookup of
                  "helloworld"
                in sleep-1 (sleep) in cluster east, namespace demo
                not to resolve (name not found)
                but it resolved to ["10.255.20.17"].
                In round <n> (after <t>): helloworld resolved to [10.255.20.17]
                Hint: Istio DNS proxying answers names of Services in every cluster;""");
    }

    @Test
    void a_lookup_tool_missing_even_in_the_probe_container_is_not_mistaken_for_not_found() {
        // given getent is missing in the pod's container and (an image replaced by the user) in mcmesh's probe container
        mesh.runningPod("east", "tools-1", "tools", "tools", "istio-proxy");
        mesh.withProbeContainer("east", "tools-1");
        mesh.executingInPodsWith(new RecordedPodExec());

        // when
        Throwable error = catchThrowable(() -> MeshAssertions.assertThat(mesh).usingTicker(new SteppingTicker())
                .within(Duration.ofMillis(100)).pollingEvery(Duration.ofMillis(10)).from("east", "tools")
                .resolving("helloworld").doesNotResolve());

        // then
        assertThat(normalized(error)).contains("in tools-1 (ephemeral curl container mcmesh-probe) in cluster east")
                .contains("but the lookup failed for another reason than \"not found\".")
                .contains("helloworld did not resolve (exit 127, getent not found in the container)");
    }

    @Test
    void the_subject_is_the_lookup_and_assertj_checks_on_it_run_no_lookup() {
        RecordedPodExec exec = new RecordedPodExec();

        resolving(exec).isEqualTo(new Lookup(mesh, "east", "sleep", "helloworld"))
                .hasToString("lookups of helloworld from sleep in cluster east");

        assertThat(exec.invocations()).isEmpty();
    }

    @Test
    void a_custom_representation_renders_the_host_and_the_addresses() {
        Throwable error = catchThrowable(() -> resolving(new RecordedPodExec().answer("sleep-1", GETENT, FOUND))
                .withRepresentation(CallAssertTest.MARKED).converging(1).resolvesTo("10.255.10.5"));

        assertThat(normalized(error)).startsWith("""
                Expecting the lookup of
                  <<helloworld>>
                in sleep-1 (sleep) in cluster east, namespace demo
                to resolve to <<10.255.10.5>>
                but it resolved to [<<10.255.20.17>>].""");
    }
}
