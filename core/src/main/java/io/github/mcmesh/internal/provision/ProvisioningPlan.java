package io.github.mcmesh.internal.provision;

import java.util.ArrayList;
import java.util.List;

/**
 * Provisioning as phases of {@link Step}s. Phases run in order; within a phase each cluster's
 * steps run in order, and different clusters run at the same time.
 *
 * <pre>{@code
 * ProvisioningPlan plan = ProvisioningPlan.builder()
 *     .phase("clusters", List.of(startEast, startWest))
 *     .phase("routes", List.of(routeEast, routeWest))
 *     .build();
 * new PlanRunner().run(plan);
 * }</pre>
 *
 * @param phases the phases, in order
 */
public record ProvisioningPlan(List<Phase> phases) {

    public ProvisioningPlan {
        phases = List.copyOf(phases);
    }

    /** Named steps that may run concurrently, one lane per cluster. */
    public record Phase(String name, List<Step> steps) {
        public Phase {
            steps = List.copyOf(steps);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every step of every phase, in order. */
    public List<Step> steps() {
        return phases.stream().flatMap(phase -> phase.steps().stream()).toList();
    }

    /** Collects phases; phases without steps are left out. */
    public static final class Builder {
        private final List<Phase> phases = new ArrayList<>();

        public Builder phase(String name, List<Step> steps) {
            if (!steps.isEmpty()) {
                phases.add(new Phase(name, steps));
            }
            return this;
        }

        public ProvisioningPlan build() {
            return new ProvisioningPlan(phases);
        }
    }
}
