package io.github.mcmesh.internal.provision;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.testing.RecordedPodExec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Not a test: measures provisioning with the real {@code IstioInstaller} against fake tools that
 * sleep realistic durations, all scaled by one factor, and prints a table (issue 7, benchmark
 * items 1 and 2):
 * <ol>
 * <li>cold provisioning of 2 and 4 clusters: the makespan against the same steps run one after
 * another, as the write-up's manual procedure does them. The sequential time is computed from the
 * run itself: makespan minus the time some step was running, plus the sum of every step's own
 * duration (PlanRunner's start and end log events); the fakes sleep the same time either way.</li>
 * <li>warm reuse of a healthy 2-cluster mesh: time from {@code provision()} to its return, and
 * the requests it sends to the mock API servers (istiod's {@code /debug/clusterz} is read through
 * an in-memory pod exec here; against a real cluster each read is one more exec request).</li>
 * </ol>
 * Realistic durations: minikube's time-to-k8s benchmark ({@code start} about 21-25 s on Linux),
 * Istio's Helm charts ({@code istiod} with {@code --wait} 20-60 s, {@code base} a few seconds),
 * one {@code minikube ssh} about 1 s, status queries (minikube status/profile list, helm list/get,
 * docker network inspect/create) about 0.5 s.
 *
 * <pre>{@code
 * mvn -B -q -pl core test-compile exec:java -Dexec.mainClass=io.github.mcmesh.internal.provision.ProvisioningBenchmark \
 *     -Dexec.classpathScope=test [-Dmcmesh.bench.scale=0.05 -Dmcmesh.bench.coldRuns=3 -Dmcmesh.bench.warmRuns=5]
 * }</pre>
 */
public final class ProvisioningBenchmark {

    private static final double SCALE = Double.parseDouble(System.getProperty("mcmesh.bench.scale", "0.05"));
    private static final int COLD_RUNS = Integer.getInteger("mcmesh.bench.coldRuns", 3);
    private static final int WARM_RUNS = Integer.getInteger("mcmesh.bench.warmRuns", 5);
    /** Realistic seconds per steering file of the fakes, before scaling. */
    private static final Map<String, Double> REALISTIC_SECONDS = realisticSeconds();

    private ProvisioningBenchmark() {
    }

    private static Map<String, Double> realisticSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("delay-minikube-start", 25.0);
        seconds.put("delay-helm-upgrade-istiod", 40.0);
        seconds.put("delay-helm-upgrade-istio-base", 5.0);
        seconds.put("delay-minikube-ssh", 1.0);
        seconds.put("delay-minikube-status", 0.5);
        seconds.put("delay-minikube-ip", 0.5);
        seconds.put("delay-minikube-profile-list", 0.5);
        seconds.put("delay-helm-list", 0.5);
        seconds.put("delay-helm-get", 0.5);
        seconds.put("delay-docker-network-inspect", 0.5);
        seconds.put("delay-docker-exec", 0.5);
        seconds.put("delay-docker-network-create", 0.5);
        return seconds;
    }

    /** One cold run: its makespan and what the same steps take one after another. */
    private record ColdRun(double makespan, double sequential, int steps) {
    }

    /** One warm run: seconds to return, API requests, pod execs. */
    private record WarmRun(double seconds, int requests, int execs) {
    }

    public static void main(String[] args) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.ERROR);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Logger planLogger = (Logger) LoggerFactory.getLogger(PlanRunner.class);
        planLogger.setLevel(Level.INFO);
        planLogger.setAdditive(false);
        ListAppender<ILoggingEvent> steps = new ListAppender<>();
        steps.start();
        planLogger.addAppender(steps);

        Map<Integer, List<ColdRun>> cold = new LinkedHashMap<>();
        for (int clusters : List.of(2, 4)) {
            for (int run = 0; run < COLD_RUNS; run++) {
                steps.list.clear();
                cold.computeIfAbsent(clusters, n -> new ArrayList<>()).add(coldRun(clusters, steps));
            }
        }
        List<WarmRun> warm = warmRuns();

        System.out.printf(Locale.ROOT, "Provisioning benchmark: fake tools, real IstioInstaller, mock API servers; %d cores%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "Fake durations x%.3f: %s%n", SCALE, scaledDurations());
        System.out.printf(Locale.ROOT, "Medians of %d cold and %d warm runs.%n%n", COLD_RUNS, WARM_RUNS);
        System.out.println("| scenario                 | makespan | steps one after another | ratio | steps |");
        System.out.println("|--------------------------|---------:|------------------------:|------:|------:|");
        cold.forEach((clusters, runs) -> {
            double makespan = median(runs.stream().map(ColdRun::makespan));
            double sequential = median(runs.stream().map(ColdRun::sequential));
            System.out.printf(Locale.ROOT, "| cold, %d clusters         | %6.2f s | %21.2f s | %4.2fx | %5d |%n", clusters,
                    makespan, sequential, sequential / makespan, runs.get(0).steps());
        });
        double coldTwo = median(cold.get(2).stream().map(ColdRun::makespan));
        double warmSeconds = median(warm.stream().map(WarmRun::seconds));
        System.out.println();
        System.out.println("| scenario                 | provision() | API requests | pod execs | cold 2 / warm |");
        System.out.println("|--------------------------|------------:|-------------:|----------:|--------------:|");
        System.out.printf(Locale.ROOT, "| warm reuse, 2 clusters   | %9.3f s | %12d | %9d | %12.0fx |%n", warmSeconds,
                Math.round(median(warm.stream().map(r -> (double) r.requests()))),
                Math.round(median(warm.stream().map(r -> (double) r.execs()))), coldTwo / warmSeconds);
        planLogger.detachAppender(steps);
    }

    private static ColdRun coldRun(int clusters, ListAppender<ILoggingEvent> steps) throws IOException {
        Path root = Files.createTempDirectory("mcmesh-bench");
        try (MeshFixture fixture = MeshFixture.create(root, spec(clusters))) {
            steer(fixture);
            long started = System.nanoTime();
            long startedMillis = System.currentTimeMillis();
            fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();
            double makespan = (System.nanoTime() - started) / 1e9;
            List<long[]> intervals = stepIntervals(steps.list, startedMillis);
            double sum = intervals.stream().mapToLong(i -> i[1] - i[0]).sum() / 1e3;
            return new ColdRun(makespan, makespan - union(intervals) / 1e3 + sum, intervals.size());
        } finally {
            deleteRecursively(root);
        }
    }

    private static List<WarmRun> warmRuns() throws IOException {
        Path root = Files.createTempDirectory("mcmesh-bench");
        try (MeshFixture fixture = MeshFixture.create(root, spec(2))) {
            steer(fixture);
            RecordedPodExec exec = fixture.clusterzSynced(true);
            fixture.provisionerWithRealIstio(exec).provision().close();
            int toolCalls = fixture.fakes().invocations().size();
            List<WarmRun> runs = new ArrayList<>();
            for (int run = 0; run < WARM_RUNS; run++) {
                int requests = fixture.apiRequests();
                int execs = exec.invocations().size();
                long started = System.nanoTime();
                ProvisionedMesh mesh = fixture.provisionerWithRealIstio(exec).provision();
                double seconds = (System.nanoTime() - started) / 1e9;
                runs.add(new WarmRun(seconds, fixture.apiRequests() - requests, exec.invocations().size() - execs));
                mesh.close();
            }
            // the one tool call a warm run makes per node: reading its routing table
            List<String> others = fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size()).stream()
                    .filter(line -> !line.matches("docker exec \\S+ ip route show")).toList();
            if (!others.isEmpty()) {
                throw new IllegalStateException("warm reuse ran tools besides the routing table reads: " + others);
            }
            return runs;
        } finally {
            deleteRecursively(root);
        }
    }

    private static MeshSpec spec(int clusters) {
        return clusters == 2 ? MeshSpec.defaults()
                : MeshSpec.builder().clusters(IntStream.rangeClosed(1, clusters).mapToObj(i -> "mcmesh-" + i)
                        .toArray(String[]::new)).build();
    }

    /** Makes the fixture's fakes and token controller take the realistic durations times the scale ({@code mcmesh.bench.scale}). */
    public static void steer(MeshFixture fixture) {
        REALISTIC_SECONDS.forEach((file, seconds) -> fixture.fakes().steer(file,
                String.format(Locale.ROOT, "%.3f", seconds * SCALE)));
        fixture.tokenControllerDelay = Duration.ofMillis(Math.round(1_000 * SCALE));
    }

    /** The durations {@link #steer} sets, for a benchmark's header. */
    public static String scaledDurations() {
        StringBuilder text = new StringBuilder();
        REALISTIC_SECONDS.forEach((file, seconds) -> text.append(text.isEmpty() ? "" : ", ")
                .append(file.substring("delay-".length())).append(String.format(Locale.ROOT, " %.0f ms", seconds * SCALE * 1e3)));
        return text.append(String.format(Locale.ROOT, ", token controller %.0f ms", 1_000 * SCALE)).toString();
    }

    /** Every step's [start, end] in epoch millis, from PlanRunner's "... ..." and "... done in"/"skipped" events. */
    private static List<long[]> stepIntervals(List<ILoggingEvent> events, long notBefore) {
        Map<String, Long> started = new HashMap<>();
        List<long[]> intervals = new ArrayList<>();
        for (ILoggingEvent event : events) {
            String message = event.getFormattedMessage();
            if (event.getTimeStamp() < notBefore) {
                continue;
            }
            if (message.endsWith(" ...")) {
                started.put(message.substring(0, message.length() - 4), event.getTimeStamp());
            } else {
                int end = Stream.of(" done in ", " skipped: ").mapToInt(message::indexOf).filter(i -> i > 0).min().orElse(-1);
                Long begin = end < 0 ? null : started.remove(message.substring(0, end));
                if (begin != null) {
                    intervals.add(new long[] {begin, event.getTimeStamp()});
                }
            }
        }
        return intervals;
    }

    /** The time covered by at least one interval ({@code [start, end]} pairs in one unit). */
    public static long union(List<long[]> intervals) {
        List<long[]> sorted = intervals.stream().sorted(Comparator.comparingLong(i -> i[0])).toList();
        long covered = 0;
        long reach = Long.MIN_VALUE;
        for (long[] interval : sorted) {
            long from = Math.max(interval[0], reach);
            if (interval[1] > from) {
                covered += interval[1] - from;
            }
            reach = Math.max(reach, interval[1]);
        }
        return covered;
    }

    public static double median(Stream<Double> values) {
        List<Double> sorted = values.sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
