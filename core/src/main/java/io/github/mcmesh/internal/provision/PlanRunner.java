package io.github.mcmesh.internal.provision;

import io.github.mcmesh.ProvisioningException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ProvisioningPlan}: phase after phase; inside a phase its lanes (one per cluster
 * unless the phase names them) concurrently, a step waiting for steps of other lanes only where
 * the phase says it reads their results. A step whose {@link Step#holds()} is true is skipped. Every step logs its start
 * and its end with the elapsed time ({@code [mcmesh-west] start cluster done in 41.2 s}). The
 * first failure interrupts the other lanes of its phase, waits for them to stop, and surfaces as
 * a {@link ProvisioningException} naming the cluster and step.
 *
 * <pre>{@code
 * new PlanRunner().run(plan);
 * }</pre>
 */
public final class PlanRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Runs every phase in order; see the class description. */
    public void run(ProvisioningPlan plan) {
        for (ProvisioningPlan.Phase phase : plan.phases()) {
            runPhase(phase);
        }
    }

    private void runPhase(ProvisioningPlan.Phase phase) {
        List<List<Step>> lanes = phase.lanes();
        // a step another lane waits for says when it is done; one that fails never is, and its waiters are cancelled
        Map<Step, CompletableFuture<Void>> done = new IdentityHashMap<>();
        phase.after().values().forEach(prerequisites -> prerequisites.forEach(p -> done.put(p, new CompletableFuture<>())));
        if (lanes.size() == 1) {
            lanes.get(0).forEach(step -> runStep(step, phase, done));
            return;
        }
        ExecutorService executor = Executors.newFixedThreadPool(lanes.size(), task -> {
            Thread thread = new Thread(task, "mcmesh-provision-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ExecutorCompletionService<Void> completion = new ExecutorCompletionService<>(executor);
        List<Future<Void>> futures = new ArrayList<>();
        lanes.forEach(lane -> futures.add(completion.submit(() -> {
            lane.forEach(step -> runStep(step, phase, done));
            return null;
        })));
        try {
            for (int i = 0; i < futures.size(); i++) {
                completion.take().get();
            }
        } catch (ExecutionException e) {
            futures.forEach(future -> future.cancel(true));
            awaitStop(executor);
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(future -> future.cancel(true));
            awaitStop(executor);
            Thread.currentThread().interrupt();
            throw new ProvisioningException("Provisioning interrupted during phase '" + phase.name() + "'");
        } catch (CancellationException e) {
            throw new IllegalStateException("a provisioning lane was cancelled", e);
        } finally {
            executor.shutdownNow();
        }
    }

    private static void awaitStop(ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("Some provisioning steps did not stop within {} s of being cancelled", STOP_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runStep(Step step, ProvisioningPlan.Phase phase, Map<Step, CompletableFuture<Void>> done) {
        List<Step> prerequisites = phase.after().getOrDefault(step, List.of());
        if (!prerequisites.isEmpty()) {
            LOG.debug("{}{} waits for {}", step.cluster().map(c -> "[" + c + "] ").orElse(""), step.name(), prerequisites.stream()
                    .map(p -> p.cluster().map(c -> "[" + c + "] ").orElse("") + p.name()).toList());
        }
        for (Step prerequisite : prerequisites) {
            try {
                done.get(prerequisite).get();
            } catch (InterruptedException e) {
                throw new ProvisioningException(step.cluster(), step.name(), "cancelled before it started", null);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a prerequisite step failed", e);
            }
        }
        runStep(step);
        Optional.ofNullable(done.get(step)).ifPresent(future -> future.complete(null));
    }

    private static void runStep(Step step) {
        String prefix = step.cluster().map(c -> "[" + c + "] ").orElse("");
        if (Thread.currentThread().isInterrupted()) {
            throw new ProvisioningException(step.cluster(), step.name(), "cancelled before it started", null);
        }
        long started = System.nanoTime();
        LOG.info("{}{} ...", prefix, step.name());
        try {
            if (step.holds()) {
                LOG.info("{}{} skipped: already holds", prefix, step.name());
                return;
            }
            step.apply();
            LOG.info("{}{} done in {}", prefix, step.name(), seconds(started));
        } catch (ProvisioningException e) {
            if (e.step().isPresent()) {
                throw e;
            }
            throw new ProvisioningException(step.cluster(), step.name(), e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.error("{}{} failed after {}: {}", prefix, step.name(), seconds(started), e.getMessage());
            throw new ProvisioningException(step.cluster(), step.name(), String.valueOf(e.getMessage()), e);
        }
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }
}
