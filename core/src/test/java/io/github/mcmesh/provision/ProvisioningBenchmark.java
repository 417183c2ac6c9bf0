package io.github.mcmesh.provision;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcmesh.spec.MeshSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Not a test: prints the cold-provision makespan of the default mesh against the sum of its
 * steps, with fakes that sleep realistic durations scaled down by {@code SCALE} (minikube's
 * time-to-k8s benchmark: {@code start} about 21 s on Linux; {@code ssh} about 1 s; Istio's Helm
 * installs 20-60 s; docker network create well under a second).
 *
 * <pre>{@code
 * mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp core/target/test-classes:core/target/classes:$(cat core/cp.txt) io.github.mcmesh.provision.ProvisioningBenchmark
 * }</pre>
 */
public final class ProvisioningBenchmark {

    private static final double SCALE = 0.1;
    private static final Pattern DONE = Pattern.compile(".* done in (\\d+\\.\\d) s");

    private ProvisioningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("mcmesh-bench");
        Logger planLogger = (Logger) LoggerFactory.getLogger(PlanRunner.class);
        ListAppender<ILoggingEvent> steps = new ListAppender<>();
        steps.start();
        planLogger.addAppender(steps);
        try (MeshFixture fixture = MeshFixture.create(root, MeshSpec.defaults())) {
            fixture.fakes().steer("delay-docker-network-create", seconds(0.5));
            fixture.fakes().steer("delay-minikube-start", seconds(30));
            fixture.fakes().steer("delay-minikube-ssh", seconds(1));
            fixture.fakes().steer("delay-minikube-status", seconds(0.5));
            fixture.istioStepTime = Duration.ofMillis(Math.round(40_000 * SCALE));

            long started = System.nanoTime();
            fixture.provisioner().provision().close();
            double makespan = (System.nanoTime() - started) / 1e9;

            double sum = steps.list.stream().map(ILoggingEvent::getFormattedMessage).map(DONE::matcher)
                    .filter(Matcher::matches).mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
            System.out.printf(Locale.ROOT, "Cold provision of %s (fake tools, durations x%.1f):%n", fixture.spec().identity(), SCALE);
            System.out.printf(Locale.ROOT, "  makespan      %6.1f s%n  sum of steps  %6.1f s%n  speed-up      %6.2f x%n",
                    makespan, sum, sum / makespan);

            long warmStart = System.nanoTime();
            fixture.provisioner().provision().close();
            System.out.printf(Locale.ROOT, "  warm reuse    %6.3f s (API calls only)%n", (System.nanoTime() - warmStart) / 1e9);
        } finally {
            planLogger.detachAppender(steps);
        }
    }

    private static String seconds(double realistic) {
        return String.format(Locale.ROOT, "%.2f", realistic * SCALE);
    }
}
