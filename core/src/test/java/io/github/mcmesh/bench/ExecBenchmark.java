package io.github.mcmesh.bench;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.mcmesh.internal.probe.Fabric8PodExec;
import io.github.mcmesh.internal.probe.HttpObservation;
import io.github.mcmesh.internal.probe.HttpProbe;
import io.github.mcmesh.internal.probe.SourcePod;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3 (issue 7): one HTTP probe round, the {@link HttpProbe}'s curl in the sleep pod, through
 * fabric8's websocket exec ({@link Fabric8PodExec}) versus a {@code kubectl exec} subprocess, both
 * against the same fabric8 mock API server (expectation mode, plain http). Not a test: a
 * {@code main} printing a table. Where {@code kubectl} is not on {@code PATH}, only fabric8 is
 * measured. Rounds: {@code -Dbench.rounds} (default 30) after {@code -Dbench.warmup} (default 5).
 *
 * <pre>{@code
 * mvn -B -q -pl core test-compile exec:java -Dexec.mainClass=io.github.mcmesh.bench.ExecBenchmark \
 *     -Dexec.classpathScope=test
 * }</pre>
 */
public final class ExecBenchmark {

    private static final String NAMESPACE = "demo";
    private static final String POD = "sleep-7d9f6c8b5-k2x4p";
    private static final String CONTAINER = "sleep";
    private static final String URL = "http://helloworld.demo:5000/hello";
    private static final String BODY = "Hello version: v1, instance: helloworld-v1-5b75657f75-ncpc5\n";
    /** What the probe's curl prints: the body, then its {@code -w} report (status, time, headers as JSON). */
    private static final String CURL_STDOUT = BODY + "\n--mcmesh-probe--200 0.041187\n"
            + "{\"server\":[\"envoy\"],\"date\":[\"Wed, 26 Nov 2025 13:22:45 GMT\"],"
            + "\"content-type\":[\"text/html; charset=utf-8\"],\"content-length\":[\"60\"],"
            + "\"x-envoy-upstream-service-time\":[\"38\"]}\n";

    /** Held, so the level set on it is not lost with a collected logger. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger(MockWebServer.class.getName());

    private ExecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        int rounds = Integer.getInteger("bench.rounds", 30);
        int warmup = Integer.getInteger("bench.warmup", 5);
        HttpProbe probe = new HttpProbe(new Fabric8PodExec(), Duration.ofSeconds(5));
        List<String> curl = probe.command(URL);

        boolean kubectlCanConnect = offerExecProtocolV5();
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            answerProbeRounds(server, curl);
            SourcePod sleep = new SourcePod("east", client, NAMESPACE, POD, CONTAINER);
            Supplier<String> fabric8Round = () -> {
                HttpObservation seen = probe.call(sleep, URL);
                return seen.status() == 200 && seen.body().equals(BODY) ? null : "fabric8 probe round failed: " + seen;
            };
            List<Duration> fabric8 = measure(fabric8Round, warmup, rounds);

            Optional<Path> kubectl = onPath("kubectl");
            List<Duration> kubectlTimes = List.of();
            if (kubectl.isPresent() && kubectlCanConnect) {
                Path kubeconfig = writeKubeconfig(server);
                Path cacheDir = Files.createTempDirectory("mcmesh-bench-kube-cache");
                try {
                    List<String> command = new ArrayList<>(List.of(kubectl.get().toString(), "--kubeconfig",
                            kubeconfig.toString(), "--cache-dir", cacheDir.toString(), "-n", NAMESPACE, "exec", POD, "-c",
                            CONTAINER, "--"));
                    command.addAll(curl);
                    kubectlTimes = measure(() -> kubectlRound(command), warmup, rounds);
                } finally {
                    Files.deleteIfExists(kubeconfig);
                    deleteRecursively(cacheDir);
                }
            }
            printTable(rounds, warmup, fabric8, kubectl, kubectlTimes);
        } finally {
            server.destroy();
        }
    }

    /** Per-request debug logging would be measured too, and would bury the table. */
    private static void quietLogging() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * kubectl 1.30+ execs over a websocket offering only {@code v5.channel.k8s.io} (falling back to
     * SPDY, which the mock cannot serve); fabric8's mock server 8.0.0 negotiates v1 to v4 only, from a
     * constant array it reads when it starts. v5 is v4 plus a stdin-close signal, which neither client
     * sends here (no stdin), so the frames are the same: the obsolete v1 entry is swapped for v5,
     * before the server starts. Benchmark only; false when that array is not there.
     */
    private static boolean offerExecProtocolV5() {
        try {
            Field field = MockWebServer.class.getDeclaredField("SUPPORTED_WEBSOCKET_SUB_PROTOCOLS");
            field.setAccessible(true);
            String[] protocols = (String[]) field.get(null);
            int v1 = Arrays.asList(protocols).indexOf("v1.channel.k8s.io");
            if (v1 >= 0) {
                protocols[v1] = "v5.channel.k8s.io";
            }
            return Arrays.asList(protocols).contains("v5.channel.k8s.io");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The sleep pod (read by both clients before they exec) and the probe's curl, answered with
     * helloworld's reply, at the exec URL as fabric8 encodes it and as kubectl (Go's url.Values) does.
     */
    private static void answerProbeRounds(KubernetesMockServer server, List<String> curl) {
        Pod pod = new PodBuilder().withNewMetadata().withName(POD).withNamespace(NAMESPACE).withResourceVersion("7")
                .endMetadata().withNewSpec().addNewContainer().withName(CONTAINER).endContainer()
                .addNewContainer().withName("istio-proxy").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
        String podPath = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD;
        server.expect().get().withPath(podPath).andReturn(200, pod).always();
        server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods?fieldSelector=metadata.name%3D" + POD)
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("7").endMetadata().addToItems(pod)
                        .build())
                .always();
        answerDiscovery(server);
        String commandParameters = curl.stream().map(argument -> "command=" + URLEncoder.encode(argument, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String fabric8Exec = podPath + "/exec?" + commandParameters.replace("+", "%20") + "&container=" + CONTAINER
                + "&stdout=true&stderr=true";
        String kubectlExec = podPath + "/exec?" + commandParameters + "&container=" + CONTAINER + "&stderr=true&stdout=true";
        for (String path : List.of(fabric8Exec, kubectlExec)) {
            server.expect().withPath(path).andUpgradeToWebSocket()
                    .open(new OutputStreamMessage(CURL_STDOUT), new StatusStreamMessage(0)).done().always();
        }
    }

    /** kubectl resolves {@code exec POD} through API discovery first (cached under its --cache-dir afterwards). */
    private static void answerDiscovery(KubernetesMockServer server) {
        server.expect().get().withPath("/version?timeout=5s").andReturn(200, """
                {"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""").always();
        server.expect().get().withPath("/api?timeout=32s").andReturn(200, """
                {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""").always();
        server.expect().get().withPath("/apis?timeout=32s").andReturn(200, """
                {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""").always();
        server.expect().get().withPath("/api/v1?timeout=32s").andReturn(200, """
                {"kind":"APIResourceList","groupVersion":"v1","resources":[
                 {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","shortNames":["po"],
                  "verbs":["create","delete","get","list","patch","update","watch"]},
                 {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]}]}""")
                .always();
    }

    private static String kubectlRound(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] stdout = process.getInputStream().readAllBytes();
            byte[] stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "kubectl exec did not end in 30 s";
            }
            String out = new String(stdout, StandardCharsets.UTF_8);
            return process.exitValue() == 0 && out.equals(CURL_STDOUT) ? null
                    : "kubectl exec failed (exit " + process.exitValue() + "): " + new String(stderr, StandardCharsets.UTF_8)
                            + " stdout: " + out;
        } catch (IOException e) {
            return "kubectl exec could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs {@code warmup} then {@code rounds} rounds; a round returns null on success, else what went wrong. */
    private static List<Duration> measure(Supplier<String> round, int warmup, int rounds) {
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < warmup + rounds; i++) {
            long start = System.nanoTime();
            String failure = round.get();
            long elapsed = System.nanoTime() - start;
            if (failure != null) {
                throw new IllegalStateException("round " + (i + 1) + ": " + failure);
            }
            if (i >= warmup) {
                times.add(Duration.ofNanos(elapsed));
            }
        }
        return times;
    }

    /** A kubeconfig for the mock server, readable by its owner only. */
    private static Path writeKubeconfig(KubernetesMockServer server) throws IOException {
        Path file = Files.createTempFile("mcmesh-bench-kubeconfig", ".yaml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://%s:%d
                users:
                - name: bench
                  user:
                    token: bench
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: bench
                    namespace: %s
                current-context: mock
                """.formatted(server.getHostName(), server.getPort(), NAMESPACE));
        return file;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Optional<Path> onPath(String executable) {
        return Arrays.stream(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, executable))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    private static void printTable(int rounds, int warmup, List<Duration> fabric8, Optional<Path> kubectl,
            List<Duration> kubectlTimes) {
        System.out.printf("Benchmark 3: one HTTP probe round (curl in the pod) against a fabric8 mock API server%n");
        System.out.printf("%d rounds each after %d warm-up rounds; %d cores, Java %s%n", rounds, warmup,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("%-24s %12s %12s%n", "", "median", "p90");
        System.out.printf("%-24s %9.1f ms %9.1f ms%n", "fabric8 exec", millis(percentile(fabric8, 50)),
                millis(percentile(fabric8, 90)));
        if (kubectl.isEmpty()) {
            System.out.println("kubectl exec: not measured (kubectl not on PATH)");
            return;
        }
        if (kubectlTimes.isEmpty()) {
            System.out.println("kubectl exec: not measured (the mock server cannot negotiate v5.channel.k8s.io)");
            return;
        }
        System.out.printf("%-24s %9.1f ms %9.1f ms%n", "kubectl exec subprocess", millis(percentile(kubectlTimes, 50)),
                millis(percentile(kubectlTimes, 90)));
        System.out.printf("%-24s %11.1fx %11.1fx%n", "kubectl / fabric8",
                millis(percentile(kubectlTimes, 50)) / millis(percentile(fabric8, 50)),
                millis(percentile(kubectlTimes, 90)) / millis(percentile(fabric8, 90)));
    }

    /** Nearest-rank percentile. */
    private static Duration percentile(List<Duration> times, int percent) {
        List<Duration> sorted = times.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }
}
