package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.spec.MeshSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pauses_50_ms_first_then_doubles_up_to_500_ms_and_stays_there() {
        // given
        List<Duration> slept = new ArrayList<>();
        Backoff backoff = new Backoff(slept::add);
        // when
        IntStream.range(0, 7).forEach(i -> backoff.pause());
        // then
        assertThat(slept).extracting(Duration::toMillis).containsExactly(50L, 100L, 200L, 400L, 500L, 500L, 500L);
    }

    @Test
    void the_verify_step_pauses_before_its_first_look_as_its_check_has_just_found_the_mesh_not_ready() {
        // given a mesh that becomes ready at the second look after the step's check
        List<String> events = new ArrayList<>();
        int[] looks = {0};
        IstioLayer layer = IstioLayer.of(cluster -> List.of(), List::of, () -> {
            boolean ready = ++looks[0] >= 3;
            events.add("ready? " + ready);
            return ready;
        }, cluster -> { });
        ProvisioningContext context = new ProvisioningContext(MeshSpec.defaults(), null);
        Step verify = Step.of("verify mesh", null, layer::ready,
                () -> MeshProvisioner.awaitReady(context, layer, new Backoff(pause -> events.add("pause " + pause.toMillis()))));
        // when
        if (!verify.holds()) {
            verify.apply();
        }
        // then the apply looks only after a short pause, and again after a longer one
        assertThat(events).containsExactly("ready? false", "pause 50", "ready? false", "pause 100", "ready? true");
    }
}
