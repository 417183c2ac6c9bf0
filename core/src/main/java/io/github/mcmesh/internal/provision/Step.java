package io.github.mcmesh.internal.provision;

import java.util.Optional;

/**
 * One idempotent provisioning step: it first checks whether what it does already holds, so a
 * rerun after a failure resumes instead of starting over.
 *
 * <pre>{@code
 * Step start = Step.of("start cluster", "mcmesh-east", () -> profileRunning(), () -> startProfile());
 * }</pre>
 */
public interface Step {

    /** What the step does, e.g. {@code start cluster}; logged with its cluster and elapsed time. */
    String name();

    /** The cluster the step concerns, or empty for a mesh-wide step. */
    Optional<String> cluster();

    /** Whether what the step does already holds; then {@link #apply()} is skipped. */
    boolean holds();

    /** Makes it hold. */
    void apply();

    /** A step from two functions. */
    static Step of(String name, String cluster, java.util.function.BooleanSupplier holds, Runnable apply) {
        Optional<String> owner = Optional.ofNullable(cluster);
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> cluster() {
                return owner;
            }

            @Override
            public boolean holds() {
                return holds.getAsBoolean();
            }

            @Override
            public void apply() {
                apply.run();
            }

            @Override
            public String toString() {
                return owner.map(c -> "[" + c + "] ").orElse("") + name;
            }
        };
    }
}
