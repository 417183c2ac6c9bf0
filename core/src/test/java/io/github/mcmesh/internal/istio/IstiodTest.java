package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IstiodTest {

    @Test
    void picks_a_ready_running_pod_before_a_running_one_that_is_not_ready() {
        // given: istiod-a runs but fails its readiness probe (e.g. still syncing), istiod-b is ready, istiod-0 is pending
        List<Pod> pods = List.of(pod("istiod-a", "Running", false, false), pod("istiod-b", "Running", true, false),
                pod("istiod-0", "Pending", false, false));

        // when
        Optional<Pod> chosen = Istiod.choose(pods);

        // then
        assertThat(chosen).map(pod -> pod.getMetadata().getName()).hasValue("istiod-b");
    }

    @Test
    void among_ready_pods_prefers_one_not_being_deleted_then_the_first_by_name() {
        // given: during a rollout the old pod is terminating but still ready for a moment
        List<Pod> rollout = List.of(pod("istiod-old", "Running", true, true), pod("istiod-z", "Running", true, false),
                pod("istiod-new", "Running", true, false));

        // when
        Optional<Pod> chosen = Istiod.choose(rollout);

        // then
        assertThat(chosen).map(pod -> pod.getMetadata().getName()).hasValue("istiod-new");
    }

    @Test
    void falls_back_to_a_running_pod_that_is_not_ready_and_finds_none_when_none_runs() {
        // then
        assertThat(Istiod.choose(List.of(pod("istiod-b", "Running", false, false), pod("istiod-a", "Failed", true, false))))
                .map(pod -> pod.getMetadata().getName()).hasValue("istiod-b");
        assertThat(Istiod.choose(List.of(pod("istiod-a", "Pending", false, false)))).isEmpty();
        assertThat(Istiod.selector()).isEqualTo("app=istiod");
    }

    static Pod pod(String name, String phase, boolean ready, boolean terminating) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(Istiod.NAMESPACE)
                .addToLabels(Istiod.POD_LABEL, Istiod.POD_LABEL_VALUE)
                .withDeletionTimestamp(terminating ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build();
    }
}
