package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.testing.LogCapture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlanRunnerTest {

    /** Captures at every level whatever logback-test.xml lets through to the build log. */
    @RegisterExtension
    final LogCapture logs = new LogCapture();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private List<String> messages() {
        return logs.events().stream().filter(event -> event.getLoggerName().equals(PlanRunner.class.getName()))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void runs_the_clusters_of_a_phase_concurrently_and_phases_in_order() throws Exception {
        // given: both starts wait for each other, so they only finish when they overlap
        CountDownLatch bothStarted = new CountDownLatch(2);
        Runnable start = () -> {
            bothStarted.countDown();
            try {
                assertThat(bothStarted.await(5, TimeUnit.SECONDS)).as("the other cluster's start runs at the same time").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .phase("clusters", List.of(Step.of("start cluster", "east", () -> false, start),
                        Step.of("start cluster", "west", () -> false, start)))
                .phase("routes", List.of(Step.of("route", "east", () -> false, () -> events.add("route east"))))
                .build();

        // when
        new PlanRunner().run(plan);

        // then
        assertThat(events).containsExactly("route east");
        assertThat(messages()).contains("[east] start cluster ...", "[west] start cluster ...")
                .anyMatch(m -> m.matches("\\[west] start cluster done in \\d+\\.\\d s"));
    }

    @Test
    void in_a_chained_phase_a_fast_cluster_starts_its_next_step_before_the_slow_cluster_ends_the_same_step() throws Exception {
        // given: west's start ends only once east's next step has begun
        CountDownLatch eastConnecting = new CountDownLatch(1);
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .chained("clusters", List.of(
                        List.of(Step.of("start cluster", "east", () -> false, () -> events.add("start east")),
                                Step.of("connect", "east", () -> false, () -> {
                                    events.add("connect east");
                                    eastConnecting.countDown();
                                })),
                        List.of(Step.of("start cluster", "west", () -> false, () -> {
                                    await(eastConnecting);
                                    events.add("start west");
                                }),
                                Step.of("connect", "west", () -> false, () -> events.add("connect west")))),
                        Map.of())
                .build();

        // when
        new PlanRunner().run(plan);

        // then
        assertThat(events).containsExactly("start east", "connect east", "start west", "connect west");
    }

    @Test
    void a_step_of_a_chained_phase_waits_for_the_steps_of_other_lanes_it_is_after() throws Exception {
        // given: west's routes are after east's connect, which is held until west's routes are seen waiting
        CountDownLatch releaseEast = new CountDownLatch(1);
        Step eastConnect = Step.of("connect", "east", () -> false, () -> {
            await(releaseEast);
            events.add("connect east");
        });
        Step westRoutes = Step.of("route peer pod networks", "west", () -> false, () -> events.add("routes west"));
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .chained("clusters", List.of(List.of(eastConnect), List.of(westRoutes)), Map.of(westRoutes, List.of(eastConnect)))
                .build();

        // when
        Thread runner = new Thread(() -> new PlanRunner().run(plan));
        runner.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> messages().contains("[west] route peer pod networks waits for [[east] connect]"));
        // then west's routes have not begun (a step logs its start only once what it waits for is done)
        assertThat(messages()).doesNotContain("[west] route peer pod networks ...");
        releaseEast.countDown();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(events).containsExactly("connect east", "routes west");
    }

    @Test
    void a_failure_in_a_chained_phase_cancels_the_steps_waiting_for_it() {
        // given: west's routes wait for east's connect, which fails
        Step eastConnect = Step.of("connect", "east", () -> false, () -> {
            throw new IllegalStateException("no node");
        });
        Step westRoutes = Step.of("route peer pod networks", "west", () -> false, () -> events.add("routes west"));
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .chained("clusters", List.of(List.of(eastConnect), List.of(westRoutes)), Map.of(westRoutes, List.of(eastConnect)))
                .phase("verify", List.of(Step.of("verify mesh", null, () -> false, () -> events.add("verify"))))
                .build();

        // when / then
        assertThatThrownBy(() -> new PlanRunner().run(plan))
                .isInstanceOfSatisfying(ProvisioningException.class, e -> {
                    assertThat(e.cluster()).hasValue("east");
                    assertThat(e.step()).hasValue("connect");
                    assertThat(e).hasMessage("[east] connect failed: no node");
                });
        assertThat(events).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the latch was released").isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void skips_steps_that_already_hold_and_says_so() {
        // given
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .phase("network", List.of(Step.of("create node network", null, () -> true, () -> events.add("created"))))
                .build();

        // when
        new PlanRunner().run(plan);

        // then
        assertThat(events).isEmpty();
        assertThat(messages()).contains("create node network skipped: already holds");
    }

    @Test
    void a_failure_cancels_the_rest_of_its_phase_and_names_cluster_and_step() {
        // given: west fails while east is still busy; nothing after the phase may run
        AtomicBoolean eastInterrupted = new AtomicBoolean();
        CountDownLatch eastRunning = new CountDownLatch(1);
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .phase("clusters", List.of(
                        Step.of("start cluster", "east", () -> false, () -> {
                            eastRunning.countDown();
                            try {
                                Thread.sleep(10_000);
                            } catch (InterruptedException e) {
                                eastInterrupted.set(true);
                                throw new IllegalStateException("interrupted");
                            }
                        }),
                        Step.of("start cluster", "west", () -> false, () -> {
                            try {
                                eastRunning.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            throw new IllegalStateException("minikube start exited 80");
                        })))
                .phase("routes", List.of(Step.of("route", "east", () -> false, () -> events.add("route east"))))
                .build();

        // when / then
        long started = System.nanoTime();
        assertThatThrownBy(() -> new PlanRunner().run(plan))
                .isInstanceOfSatisfying(ProvisioningException.class, e -> {
                    assertThat(e.cluster()).hasValue("west");
                    assertThat(e.step()).hasValue("start cluster");
                    assertThat(e).hasMessage("[west] start cluster failed: minikube start exited 80")
                            .hasRootCauseMessage("minikube start exited 80");
                });
        assertThat(eastInterrupted).as("east's step was interrupted, and the runner waited for it").isTrue();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(events).isEmpty();
    }

    @Test
    void a_plan_splits_before_a_named_phase_so_work_can_start_between_the_two_runs() {
        // given
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        ProvisioningPlan plan = ProvisioningPlan.builder()
                .phase("node network", List.of(Step.of("network", null, () -> false, () -> ran.add("network"))))
                .chained("clusters", List.of(List.of(Step.of("start", "east", () -> false, () -> ran.add("start")))), Map.of())
                .phase("verify", List.of(Step.of("verify", null, () -> false, () -> ran.add("verify"))))
                .build();

        // when
        new PlanRunner().run(plan.before("clusters"));
        ran.add("between");
        new PlanRunner().run(plan.from("clusters"));

        // then
        assertThat(ran).containsExactly("network", "between", "start", "verify");
        assertThat(plan.before("none").phases()).hasSize(3);
        assertThat(plan.from("none").phases()).isEmpty();
    }
}
