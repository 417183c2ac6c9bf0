package io.github.mcmesh.internal.provision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provisioning as phases of {@link Step}s. Phases run in order; within a phase each lane's
 * steps run in order (one lane per cluster unless the phase names its lanes), different lanes run
 * at the same time, and a step waits for steps of other lanes only where the phase says so.
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

    /**
     * Named steps that may run concurrently: each lane's steps in order, the lanes at the same time,
     * and a step listed in {@code after} waits, besides its lane, until each step it names (in other
     * lanes) is done.
     *
     * @param lanes the lanes, each a list of steps run in order
     * @param after for a step, the steps of other lanes it reads the results of
     */
    public record Phase(String name, List<List<Step>> lanes, Map<Step, List<Step>> after) {
        public Phase {
            lanes = lanes.stream().filter(lane -> !lane.isEmpty()).map(List::copyOf).toList();
            Map<Step, List<Step>> edges = new IdentityHashMap<>();
            after.forEach((step, prerequisites) -> edges.put(step, List.copyOf(prerequisites)));
            after = Collections.unmodifiableMap(edges);
        }

        /** One lane per cluster (and one for the mesh-wide steps), in the order the steps come. */
        public Phase(String name, List<Step> steps) {
            this(name, byCluster(steps), Map.of());
        }

        private static List<List<Step>> byCluster(List<Step> steps) {
            Map<Optional<String>, List<Step>> lanes = new LinkedHashMap<>();
            steps.forEach(step -> lanes.computeIfAbsent(step.cluster(), c -> new ArrayList<>()).add(step));
            return List.copyOf(lanes.values());
        }

        /** Every step of the phase, lane after lane. */
        public List<Step> steps() {
            return lanes.stream().flatMap(List::stream).toList();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The phases before the one named (all of them when none is), in order. */
    public ProvisioningPlan before(String phase) {
        int index = indexOf(phase);
        return new ProvisioningPlan(phases.subList(0, index));
    }

    /** The phase named and those after it (none when no phase is named so). */
    public ProvisioningPlan from(String phase) {
        return new ProvisioningPlan(phases.subList(indexOf(phase), phases.size()));
    }

    private int indexOf(String phase) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).name().equals(phase)) {
                return i;
            }
        }
        return phases.size();
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

        /**
         * A phase of explicit lanes: each cluster moves on as soon as its own previous step is
         * done, and waits for another lane only where {@code after} says it reads its result.
         */
        public Builder chained(String name, List<List<Step>> lanes, Map<Step, List<Step>> after) {
            Phase phase = new Phase(name, lanes, after);
            if (!phase.lanes().isEmpty()) {
                phases.add(phase);
            }
            return this;
        }

        public ProvisioningPlan build() {
            return new ProvisioningPlan(phases);
        }
    }
}
