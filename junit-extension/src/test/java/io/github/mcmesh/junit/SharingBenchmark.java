package io.github.mcmesh.junit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.internal.provision.MeshFixture;
import io.github.mcmesh.internal.provision.ProvisioningBenchmark;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.slf4j.LoggerFactory;

/**
 * Not a test: three test classes in this JVM and the same three in each of two forked JVMs, all
 * started at once against one state directory, kubeconfig and set of fake tools, with the real
 * provisioner ({@link FixtureBackend}) and the fakes' durations of core's
 * {@link ProvisioningBenchmark} (same {@code mcmesh.bench.scale}). Prints how many times each
 * cluster was started (issue 7, benchmark item 4: expected 1) and the time from a class's start
 * to its first test (item 2), from the Jupiter events' timestamps: for the concurrent cold round,
 * then for warm rounds (a new run in this JVM, as a new JVM would, while the mesh is healthy).
 *
 * <pre>{@code
 * mvn -B -q -pl core,junit-extension test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp junit-extension/target/test-classes:junit-extension/target/classes:$(cat junit-extension/target/test.classpath) \
 *     io.github.mcmesh.junit.SharingBenchmark [-Dmcmesh.bench.scale=0.05 -Dmcmesh.bench.warmRuns=5]
 * }</pre>
 */
public final class SharingBenchmark {

    private static final int WARM_RUNS = Integer.getInteger("mcmesh.bench.warmRuns", 5);
    private static final Duration FORK_LIMIT = Duration.ofMinutes(5);
    private static final String WORKER = "--worker";
    private static final List<Class<?>> CLASSES = List.of(FirstClass.class, SecondClass.class, ThirdClass.class);

    private SharingBenchmark() {
    }

    /** One class of one run: milliseconds from its container's start to its first test's start. */
    private record ClassTiming(String jvm, String testClass, Instant started, double millisToFirstTest) {

        String line() {
            return String.join(" ", "TIMING", jvm, testClass, started.toString(), Double.toString(millisToFirstTest));
        }

        static ClassTiming parse(String line) {
            String[] parts = line.split(" ");
            return new ClassTiming(parts[1], parts[2], Instant.parse(parts[3]), Double.parseDouble(parts[4]));
        }
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        if (args.length > 0 && args[0].equals(WORKER)) {
            // a forked JVM: run the classes, print one TIMING line each
            run(args[1], Path.of(args[2]), Path.of(args[3]), Path.of(args[4])).forEach(timing -> System.out.println(timing.line()));
            return;
        }
        Path root = Files.createTempDirectory("mcmesh-sharing-bench");
        try (MeshFixture fixture = MeshFixture.create(root.resolve("fixture"), MeshSpec.defaults())) {
            ProvisioningBenchmark.steer(fixture);
            Path state = root.resolve("state");
            Path bin = fixture.fakes().binDirectory();
            List<Process> forks = new ArrayList<>();
            for (String jvm : List.of("fork-1", "fork-2")) {
                forks.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dmcmesh.bench.scale=" + System.getProperty("mcmesh.bench.scale", "0.05"), "-cp", testClassPath(),
                        SharingBenchmark.class.getName(), WORKER, jvm, state.toString(), bin.toString(),
                        fixture.kubeconfig().toString())
                        .redirectError(root.resolve(jvm + ".err").toFile()).start());
            }
            List<CompletableFuture<List<String>>> forkOutputs = forks.stream().map(fork -> CompletableFuture.supplyAsync(
                    () -> fork.inputReader().lines().toList())).toList();
            List<ClassTiming> cold = new ArrayList<>(run("this-jvm", state, bin, fixture.kubeconfig()));
            for (int i = 0; i < forks.size(); i++) {
                Process fork = forks.get(i);
                if (!fork.waitFor(FORK_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    fork.destroyForcibly();
                    throw new IllegalStateException("fork " + (i + 1) + " still running after " + FORK_LIMIT + "; killed");
                }
                if (fork.exitValue() != 0) {
                    throw new IllegalStateException("fork " + (i + 1) + " failed: "
                            + Files.readString(root.resolve("fork-" + (i + 1) + ".err")));
                }
                forkOutputs.get(i).get().stream().filter(line -> line.startsWith("TIMING ")).map(ClassTiming::parse).forEach(cold::add);
            }
            int toolCalls = fixture.fakes().invocations().size();
            List<ClassTiming> warm = new ArrayList<>();
            for (int run = 0; run < WARM_RUNS; run++) {
                warm.addAll(run("warm-" + run, state, bin, fixture.kubeconfig()));
            }
            List<String> warmToolCalls = fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size())
                    .stream().filter(line -> !line.equals("docker version --format {{.Server.Version}}")).toList();
            print(fixture, cold, warm, warmToolCalls);
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Runs the three classes through Jupiter in this JVM; fails unless every test passed. */
    private static List<ClassTiming> run(String jvm, Path state, Path bin, Path kubeconfig) {
        EngineExecutionResults results = MeshTestKit.in(state)
                .with(MeshBackend.PROPERTY_NAME, FixtureBackend.class.getName())
                .with(MeshProperties.TOOLS_PATH, bin.toString())
                .with(MeshProperties.KUBECONFIG, kubeconfig.toString())
                .run(CLASSES.toArray(Class<?>[]::new));
        MeshTestKit.assertAllPassed(results);
        List<ClassTiming> timings = new ArrayList<>();
        for (Class<?> testClass : CLASSES) {
            Instant classStarted = results.containerEvents().started().stream().filter(event -> isOf(event, testClass))
                    .map(Event::getTimestamp).findFirst().orElseThrow();
            Instant firstTest = results.testEvents().started().stream()
                    .filter(event -> event.getTestDescriptor().getUniqueId().toString().contains("[class:" + testClass.getName() + "]"))
                    .map(Event::getTimestamp).min(Comparator.naturalOrder()).orElseThrow();
            timings.add(new ClassTiming(jvm, testClass.getSimpleName(), classStarted,
                    Duration.between(classStarted, firstTest).toNanos() / 1e6));
        }
        return timings;
    }

    private static boolean isOf(Event event, Class<?> testClass) {
        return event.getTestDescriptor().getSource()
                .filter(source -> source instanceof ClassSource classSource && classSource.getJavaClass() == testClass).isPresent();
    }

    private static void print(MeshFixture fixture, List<ClassTiming> cold, List<ClassTiming> warm, List<String> warmToolCalls) {
        Map<String, Long> starts = MeshSpec.defaults().clusterNames().stream().collect(Collectors.toMap(cluster -> cluster,
                cluster -> fixture.fakes().invocationsOf("minikube").stream()
                        .filter(line -> line.startsWith("minikube start -p " + cluster + " ")).count()));
        long istiodInstalls = fixture.fakes().invocationsOf("helm").stream().filter(line -> line.startsWith("helm upgrade --install istiod ")).count();
        Map<String, List<ClassTiming>> coldByJvm = cold.stream().collect(Collectors.groupingBy(ClassTiming::jvm));
        List<Double> firstClasses = new ArrayList<>();
        List<Double> laterClasses = new ArrayList<>();
        coldByJvm.values().forEach(timings -> {
            List<ClassTiming> inOrder = timings.stream().sorted(Comparator.comparing(ClassTiming::started)).toList();
            firstClasses.add(inOrder.get(0).millisToFirstTest());
            inOrder.stream().skip(1).forEach(timing -> laterClasses.add(timing.millisToFirstTest()));
        });
        Map<String, List<ClassTiming>> warmByRun = warm.stream().collect(Collectors.groupingBy(ClassTiming::jvm));
        List<Double> warmFirst = new ArrayList<>();
        List<Double> warmLater = new ArrayList<>();
        warmByRun.values().forEach(timings -> {
            List<ClassTiming> inOrder = timings.stream().sorted(Comparator.comparing(ClassTiming::started)).toList();
            warmFirst.add(inOrder.get(0).millisToFirstTest());
            inOrder.stream().skip(1).forEach(timing -> warmLater.add(timing.millisToFirstTest()));
        });
        System.out.printf(Locale.ROOT, "Sharing benchmark: 3 classes in this JVM + 3 in each of 2 forked JVMs, started at once;"
                + " real provisioner, fake tools, mock API servers; %d cores%n", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "Fake durations: %s%n%n", ProvisioningBenchmark.scaledDurations());
        System.out.println("| provisionings (3 JVMs, 9 classes)               | count |");
        System.out.println("|-------------------------------------------------|------:|");
        starts.forEach((cluster, count) -> System.out.printf(Locale.ROOT, "| minikube start -p %-29s | %5d |%n", cluster, count));
        System.out.printf(Locale.ROOT, "| helm upgrade --install istiod, all clusters     | %5d |%n", istiodInstalls);
        long routeReads = warmToolCalls.stream().filter(line -> line.matches("docker exec \\S+ ip route show")).count();
        System.out.printf(Locale.ROOT, "| routing table reads in %2d warm runs             | %5d |%n", WARM_RUNS, routeReads);
        System.out.printf(Locale.ROOT, "| other tool calls in %2d warm runs (but engine check) | %5d |%n%n", WARM_RUNS,
                warmToolCalls.size() - routeReads);
        System.out.println("| class start to first test                                  | median    | min       | max       |  n |");
        System.out.println("|------------------------------------------------------------|----------:|----------:|----------:|---:|");
        row("cold round, first class per JVM (1 provisions, 2 wait)", firstClasses);
        row("cold round, later classes (mesh shared in the JVM)", laterClasses);
        row("warm, first class of a new run (reuse checked via API)", warmFirst);
        row("warm, later classes of a run", warmLater);
    }

    private static void row(String label, List<Double> millis) {
        System.out.printf(Locale.ROOT, "| %-58s | %6.0f ms | %6.0f ms | %6.0f ms | %2d |%n", label,
                ProvisioningBenchmark.median(millis.stream()), millis.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                millis.stream().mapToDouble(Double::doubleValue).max().orElse(0), millis.size());
    }

    /** The class path this class was loaded from: the JVM's, or exec:java's class loader's. */
    static String testClassPath() throws URISyntaxException {
        if (SharingBenchmark.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static void quietLogs() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
        ((Logger) LoggerFactory.getLogger("io.github.mcmesh")).setLevel(Level.ERROR);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FirstClass {
        @Test
        void runs() {
        }
    }

    static class SecondClass extends FirstClass {
    }

    static class ThirdClass extends FirstClass {
    }
}
