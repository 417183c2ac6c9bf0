package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.testing.LogCapture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
}
