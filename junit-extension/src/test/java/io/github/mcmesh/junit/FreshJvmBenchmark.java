package io.github.mcmesh.junit;

import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.internal.provision.MeshFixture;
import io.github.mcmesh.internal.provision.ProvisioningBenchmark;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.testing.FakeTools.TimedInvocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Not a test: speed as a user meets it (issue 13). Every run is a new {@code java} process with the
 * test class path, running one test class through Jupiter with the real provisioner
 * ({@link FixtureBackend}) against fake tools and mock API servers that live in this (the parent)
 * JVM, so several children reach the same servers. Measured in the child from the moment the class
 * starts (an execution condition registered before {@link MultiClusterMesh}, so before mcmesh's
 * own condition and its tool checks) to the first test's body; the JVM's own start (spawn to
 * {@code main}) is measured apart and not included. Scenarios:
 * <ul>
 * <li>warm: a healthy 2-cluster mesh, provisioned by an earlier child, reused;</li>
 * <li>cold, 2 and 4 clusters: nothing exists yet;</li>
 * <li>floor: no JUnit and no mcmesh, only what any warm check through fabric8 does at least in a new
 * JVM, on the warm scenario's mesh: per cluster at once, parse the kubeconfig context, build a client
 * and make the warm check's five reads (marker ConfigMap, nodes, istiod Deployment and pods,
 * {@code cacerts}); measured from {@code main}, once logging is configured as a test JVM's
 * launcher has it before any class starts, to the last answer. It is the bound the warm
 * scenario's figure is to be read against.</li>
 * </ul>
 * The tool-time critical path is the slowest cluster's own chain of tool calls: the union of the
 * intervals of the calls naming that cluster, as the fakes recorded them ({@code state/timings.log}),
 * within the measured span, together with the fixture's writes that stand in for what a real
 * {@code helm upgrade} does before it exits (the chart's CRDs, service account, Deployment and pod,
 * through a client of the fixture's own), which the fixture records there too ({@code
 * fixture-effects-of helm ...}). mcmesh's own time is the span minus that chain. API requests are counted
 * per cluster at its mock server. The fakes sleep the durations of {@link ProvisioningBenchmark},
 * scaled by {@code mcmesh.bench.scale}, here 0.1 unless set: {@code minikube start} 2.5 s,
 * {@code helm} base 0.5 s, istiod 4 s.
 *
 * <pre>{@code
 * mvn -o -B -q -pl core,junit-extension test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp junit-extension/target/test-classes:junit-extension/target/classes:$(cat junit-extension/target/test.classpath) \
 *     io.github.mcmesh.junit.FreshJvmBenchmark [-Dmcmesh.bench.scale=0.1 -Dmcmesh.bench.coldRuns=3 -Dmcmesh.bench.warmRuns=5 \
 *     -Dmcmesh.bench.scenarios=warm,floor,cold-2,cold-4 -Dmcmesh.bench.childJvmOptions="-Xlog:class+load" -Dmcmesh.bench.childOutput=DIR]
 * }</pre>
 */
public final class FreshJvmBenchmark {

    private static final String CHILD = "--child";
    private static final String FLOOR = "--floor";
    private static final String MARK = "FRESHJVM";
    private static final Duration CHILD_LIMIT = Duration.ofMinutes(3);
    private static final int COLD_RUNS = Integer.getInteger("mcmesh.bench.coldRuns", 3);
    private static final int WARM_RUNS = Integer.getInteger("mcmesh.bench.warmRuns", 5);
    /**
     * Which scenarios to run: {@code warm}, {@code cold-2}, {@code cold-4}, {@code floor} (warm and floor need one cold
     * 2-cluster run, measured or not).
     */
    private static final Set<String> SCENARIOS = Set.of(System.getProperty("mcmesh.bench.scenarios", "warm,floor,cold-2,cold-4").split(","));
    /**
     * A directory to keep each child's standard output and error in, and the fakes' timings so far (for a diagnosis with
     * -Xlog, JFR or DEBUG logs); none by default.
     */
    private static final String KEEP_CHILD_OUTPUT = System.getProperty("mcmesh.bench.childOutput");
    /** Held so the level sticks: the mock API servers log every request through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private static final List<String> FOUR_CLUSTERS = List.of("mcmesh-1", "mcmesh-2", "mcmesh-3", "mcmesh-4");
    /** When the class started and its first test began in this (child) JVM, epoch microseconds. */
    private static volatile long classStarted;
    private static volatile long firstTestStarted;

    private FreshJvmBenchmark() {
    }

    /** One child run: JVM start, class start to first test, the critical path and the requests per cluster. */
    private record Run(double jvmStartSeconds, double seconds, double criticalPathSeconds, String slowestCluster,
            Map<String, Integer> requestsPerCluster) {

        double ownSeconds() {
            return seconds - criticalPathSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        // core's and this module's test classes both carry a logback-test.xml: logback would print its status on every start
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        if (args.length > 0 && args[0].equals(CHILD)) {
            child(args);
            return;
        }
        if (args.length > 0 && args[0].equals(FLOOR)) {
            floor(args);
            return;
        }
        if (System.getProperty("mcmesh.bench.scale") == null) {
            // the durations (minikube start 2.5 s, helm istiod 4 s), read by ProvisioningBenchmark's steering
            System.setProperty("mcmesh.bench.scale", "0.1");
        }
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        Map<String, List<Run>> scenarios = new LinkedHashMap<>();
        Path root = Files.createTempDirectory("mcmesh-fresh-jvm-bench");
        try {
            int coldTwoRuns = SCENARIOS.contains("cold-2") ? COLD_RUNS : SCENARIOS.contains("warm") || SCENARIOS.contains("floor") ? 1 : 0;
            for (int run = 0; run < coldTwoRuns; run++) {
                boolean last = run == coldTwoRuns - 1;
                try (MeshFixture fixture = fixture(root.resolve("cold-2-" + run), MeshSpec.defaults())) {
                    Run cold = child(fixture, DefaultMesh.class);
                    if (SCENARIOS.contains("cold-2")) {
                        scenarios.computeIfAbsent("cold, 2 clusters", key -> new ArrayList<>()).add(cold);
                    }
                    if (last && SCENARIOS.contains("warm")) {
                        // the mesh this cold run left is healthy: every warm run reuses it, each in a new JVM
                        for (int warm = 0; warm < WARM_RUNS; warm++) {
                            int toolCalls = fixture.fakes().invocations().size();
                            scenarios.computeIfAbsent("warm reuse, 2 clusters", key -> new ArrayList<>())
                                    .add(child(fixture, DefaultMesh.class));
                            requireReuse(fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size()));
                        }
                    }
                    if (last && SCENARIOS.contains("floor")) {
                        for (int floor = 0; floor < WARM_RUNS; floor++) {
                            scenarios.computeIfAbsent("floor: fabric8 reads only", key -> new ArrayList<>()).add(floorChild(fixture));
                        }
                    }
                }
            }
            for (int run = 0; SCENARIOS.contains("cold-4") && run < COLD_RUNS; run++) {
                try (MeshFixture fixture = fixture(root.resolve("cold-4-" + run),
                        MeshSpec.builder().clusters(FOUR_CLUSTERS.toArray(String[]::new)).build())) {
                    scenarios.computeIfAbsent("cold, 4 clusters", key -> new ArrayList<>()).add(child(fixture, FourClusterMesh.class));
                }
            }
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        print(scenarios);
    }

    /** A warm run runs the Docker engine check and reads the nodes' routing tables, nothing else: else it was no reuse. */
    private static void requireReuse(List<String> toolCalls) {
        List<String> others = toolCalls.stream().filter(line -> !line.equals("docker version --format {{.Server.Version}}")
                && !line.matches("docker exec \\S+ ip route show")).toList();
        if (!others.isEmpty()) {
            throw new IllegalStateException("a warm run ran tools besides the engine check and the routing table reads: " + others);
        }
    }

    private static MeshFixture fixture(Path root, MeshSpec spec) {
        MeshFixture fixture = MeshFixture.create(root, spec);
        ProvisioningBenchmark.steer(fixture);
        return fixture;
    }

    /** Runs {@code testClass} in a new JVM against the fixture; what it measured, with the fakes' calls and the servers' counts. */
    private static Run child(MeshFixture fixture, Class<?> testClass) throws Exception {
        List<String> clusters = fixture.spec().clusterNames();
        Map<String, Integer> requestsBefore = requestCounts(fixture, clusters);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String options = System.getProperty("mcmesh.bench.childJvmOptions", "").strip();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        command.addAll(List.of("-cp", SharingBenchmark.testClassPath(), FreshJvmBenchmark.class.getName(), CHILD,
                testClass.getName(), fixture.spec().stateDirectory().toString(), fixture.fakes().binDirectory().toString(),
                fixture.kubeconfig().toString()));
        Path errors = Files.createTempFile("mcmesh-fresh-jvm-child", ".err");
        long spawned = epochMicros();
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        List<String> output = process.inputReader().lines().toList();
        if (!process.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child still running after " + CHILD_LIMIT + "; killed");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("child failed (exit " + process.exitValue() + "):\n" + String.join("\n", output)
                    + "\n" + Files.readString(errors));
        }
        if (KEEP_CHILD_OUTPUT != null) {
            Path kept = Files.createDirectories(Path.of(KEEP_CHILD_OUTPUT)).resolve("child-" + spawned);
            Files.write(kept.resolveSibling(kept.getFileName() + ".out"), output);
            Files.move(errors, kept.resolveSibling(kept.getFileName() + ".err"));
            Files.copy(fixture.fakes().stateDirectory().resolve("timings.log"), kept.resolveSibling(kept.getFileName() + ".timings"),
                    StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(errors);
        }
        Map<String, Long> marks = output.stream().filter(line -> line.startsWith(MARK + " ")).findFirst()
                .map(FreshJvmBenchmark::marks).orElseThrow(() -> new IllegalStateException("child printed no timings: " + output));
        long from = marks.get("classStart");
        long to = marks.get("firstTest");
        Map<String, Long> chains = chainsPerCluster(fixture.fakes().timedInvocations(), clusters, from, to);
        Map.Entry<String, Long> slowest = chains.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        Map<String, Integer> requestsAfter = requestCounts(fixture, clusters);
        Map<String, Integer> requests = clusters.stream().collect(Collectors.toMap(Function.identity(),
                cluster -> requestsAfter.get(cluster) - requestsBefore.get(cluster), (a, b) -> a, LinkedHashMap::new));
        return new Run((marks.get("main") - spawned) / 1e6, (to - from) / 1e6, slowest.getValue() / 1e6, slowest.getKey(), requests);
    }

    /** Runs {@link #floor} in a new JVM against the fixture's mesh; it runs no tool, so its critical path is 0. */
    private static Run floorChild(MeshFixture fixture) throws Exception {
        List<String> clusters = fixture.spec().clusterNames();
        Map<String, Integer> requestsBefore = requestCounts(fixture, clusters);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", SharingBenchmark.testClassPath(), FreshJvmBenchmark.class.getName(), FLOOR, fixture.kubeconfig().toString()));
        command.addAll(clusters);
        long spawned = epochMicros();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = process.inputReader().lines().toList();
        if (!process.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("floor child failed:\n" + String.join("\n", output));
        }
        Map<String, Long> marks = output.stream().filter(line -> line.startsWith(MARK + " ")).findFirst()
                .map(FreshJvmBenchmark::marks).orElseThrow(() -> new IllegalStateException("floor child printed no timings: " + output));
        Map<String, Integer> requestsAfter = requestCounts(fixture, clusters);
        Map<String, Integer> requests = clusters.stream().collect(Collectors.toMap(Function.identity(),
                cluster -> requestsAfter.get(cluster) - requestsBefore.get(cluster), (a, b) -> a, LinkedHashMap::new));
        return new Run((marks.get("main") - spawned) / 1e6, (marks.get("done") - marks.get("main")) / 1e6, 0, clusters.get(0),
                requests);
    }

    /**
     * In the floor child: per cluster on its own thread, the kubeconfig context parsed, a client built
     * and the warm check's five reads, with fabric8 alone; prints one {@value #MARK} line.
     */
    private static void floor(String[] args) {
        // as in a test JVM, where the launcher has configured logging before any class starts
        org.slf4j.LoggerFactory.getLogger(FreshJvmBenchmark.class).debug("floor child");
        long main = epochMicros();
        Path kubeconfig = Path.of(args[1]);
        List<String> clusters = Arrays.asList(args).subList(2, args.length);
        List<java.util.concurrent.CompletableFuture<Void>> reads = clusters.stream().map(cluster ->
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(cluster,
                            kubeconfig.toFile());
                    try (io.fabric8.kubernetes.client.KubernetesClient client =
                            new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
                        requireFound(client.configMaps().inNamespace("kube-system").withName("mcmesh-marker").get(), cluster);
                        requireFound(client.nodes().list().getItems().stream().findFirst().orElse(null), cluster);
                        requireFound(client.apps().deployments().inNamespace("istio-system").withName("istiod").get(), cluster);
                        requireFound(client.pods().inNamespace("istio-system").withLabel("app", "istiod").list().getItems()
                                .stream().findFirst().orElse(null), cluster);
                        requireFound(client.secrets().inNamespace("istio-system").withName("cacerts").get(), cluster);
                    }
                }, runnable -> new Thread(runnable, "floor-" + cluster).start())).toList();
        reads.forEach(java.util.concurrent.CompletableFuture::join);
        System.out.println(MARK + " main=" + main + " done=" + epochMicros());
    }

    private static void requireFound(Object resource, String cluster) {
        if (resource == null) {
            throw new IllegalStateException("the floor child found a read empty in " + cluster + ": not the warm scenario's mesh");
        }
    }

    private static Map<String, Integer> requestCounts(MeshFixture fixture, List<String> clusters) {
        return clusters.stream().collect(Collectors.toMap(Function.identity(), cluster -> fixture.server(cluster).getRequestCount()));
    }

    private static Map<String, Long> marks(String line) {
        return Arrays.stream(line.substring(MARK.length() + 1).split(" ")).map(pair -> pair.split("="))
                .collect(Collectors.toMap(pair -> pair[0], pair -> Long.parseLong(pair[1])));
    }

    /**
     * Per cluster, the time (microseconds) covered by the fakes' calls that name it ({@code -p east},
     * {@code --kube-context=east}, {@code docker exec east ...}) and ran within [from, to].
     */
    static Map<String, Long> chainsPerCluster(List<TimedInvocation> calls, List<String> clusters, long from, long to) {
        Map<String, Long> chains = new LinkedHashMap<>();
        for (String cluster : clusters) {
            List<long[]> intervals = calls.stream().filter(call -> call.beginMicros() >= from && call.endMicros() <= to)
                    .filter(call -> names(call.line(), cluster)).map(call -> new long[] {call.beginMicros(), call.endMicros()}).toList();
            chains.put(cluster, ProvisioningBenchmark.union(intervals));
        }
        return chains;
    }

    private static boolean names(String line, String cluster) {
        return Arrays.stream(line.split(" ")).anyMatch(token -> token.equals(cluster) || token.endsWith("=" + cluster));
    }

    private static void print(Map<String, List<Run>> scenarios) {
        System.out.printf(Locale.ROOT, "Fresh-JVM benchmark: one java per run, class start to first test (JVM start excluded);"
                + " real provisioner, fake tools, mock API servers; %d cores, load %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "Fake durations x%s: %s%n%n", System.getProperty("mcmesh.bench.scale"),
                ProvisioningBenchmark.scaledDurations());
        System.out.println("| scenario               | runs | median   | p90      | tool-time critical path | mcmesh's own time"
                + " | API requests per cluster | JVM start |");
        System.out.println("|------------------------|-----:|---------:|---------:|------------------------:|------------------:"
                + "|--------------------------|----------:|");
        scenarios.forEach((scenario, runs) -> System.out.printf(Locale.ROOT,
                "| %-22s | %4d | %6.2f s | %6.2f s | %21.2f s | %15.2f s | %-24s | %7.2f s |%n", scenario, runs.size(),
                median(runs, Run::seconds), percentile90(runs, Run::seconds), median(runs, Run::criticalPathSeconds),
                median(runs, Run::ownSeconds), requests(runs), median(runs, Run::jvmStartSeconds)));
        System.out.println();
        System.out.println("Critical path and own time: medians over the runs (the slowest cluster of each run:"
                + " " + scenarios.values().stream().flatMap(List::stream).map(Run::slowestCluster).distinct().sorted()
                .collect(Collectors.joining(", ")) + ").");
        System.out.println("Tool time includes the fixture's writes standing in for helm's own (the chart's objects),"
                + " recorded as fixture-effects-of spans.");
        System.out.println("API requests: median per cluster; cold runs include the fixture's own writes standing in for"
                + " helm's and the token controller's; istiod's /debug/clusterz is read in memory (one exec request more"
                + " per cluster against a real one).");
    }

    private static String requests(List<Run> runs) {
        return runs.get(0).requestsPerCluster().keySet().stream()
                .map(cluster -> String.valueOf(Math.round(median(runs, run -> (double) run.requestsPerCluster().get(cluster)))))
                .collect(Collectors.joining(" / "));
    }

    private static double median(List<Run> runs, Function<Run, Double> value) {
        return ProvisioningBenchmark.median(runs.stream().map(value));
    }

    /** The nearest-rank 90th percentile. */
    private static double percentile90(List<Run> runs, Function<Run, Double> value) {
        List<Double> sorted = runs.stream().map(value).sorted().toList();
        return sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long epochMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** In the child: runs the class, prints one {@value #MARK} line with the marks in epoch microseconds. */
    private static void child(String[] args) throws ClassNotFoundException {
        long main = epochMicros();
        Class<?> testClass = Class.forName(args[1]);
        MeshTestKit.assertAllPassed(MeshTestKit.in(Path.of(args[2]))
                .with(MeshBackend.PROPERTY_NAME, FixtureBackend.class.getName())
                .with(MeshProperties.TOOLS_PATH, args[3])
                .with(MeshProperties.KUBECONFIG, args[4])
                .run(testClass));
        System.out.println(MARK + " main=" + main + " classStart=" + classStarted + " firstTest=" + firstTestStarted);
    }

    /** Marks the class's start: registered before {@link MultiClusterMesh}, so its condition runs first. */
    static final class ClassStart implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isEmpty() && classStarted == 0) {
                classStarted = epochMicros();
            }
            return ConditionEvaluationResult.enabled("marks the class start");
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @ExtendWith(ClassStart.class)
    @MultiClusterMesh
    static class DefaultMesh {
        @Test
        void first() {
            firstTestStarted = epochMicros();
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @ExtendWith(ClassStart.class)
    @MultiClusterMesh(clusters = {@Cluster(name = "mcmesh-1"), @Cluster(name = "mcmesh-2"), @Cluster(name = "mcmesh-3"),
            @Cluster(name = "mcmesh-4")})
    static class FourClusterMesh {
        @Test
        void first() {
            firstTestStarted = epochMicros();
        }
    }
}
