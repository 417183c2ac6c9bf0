package io.github.mcmesh.junit;

import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.spec.MeshProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs sample test classes through JUnit's {@link EngineTestKit} with the {@link RecordingBackend},
 * a private state directory, and stand-ins for the tools the execution condition looks for.
 *
 * <pre>{@code
 * EngineExecutionResults results = MeshTestKit.in(stateDirectory).run(FirstSample.class, SecondSample.class);
 * }</pre>
 */
final class MeshTestKit {

    /** Held so the setting sticks: the mock API servers log every request through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    /** Set only by this kit: lets sample classes run. */
    private static final String SAMPLES_PROPERTY = "mcmesh.test.samples";

    private final Path stateDirectory;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    private MeshTestKit(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
        parameters.put(SAMPLES_PROPERTY, "true");
        parameters.put(MeshBackend.PROPERTY_NAME, RecordingBackend.class.getName());
        parameters.put(MeshProperties.STATE_DIR, stateDirectory.toString());
        parameters.put(MeshProperties.TOOLS_PATH, toolStandIns(stateDirectory.resolve("bin"), "minikube", "helm", "docker").toString());
    }

    static MeshTestKit in(Path stateDirectory) {
        return new MeshTestKit(stateDirectory);
    }

    /** Core's {@code MeshProvisioner} instead of the {@link RecordingBackend}. */
    MeshTestKit withRealProvisioner() {
        parameters.remove(MeshBackend.PROPERTY_NAME);
        return this;
    }

    MeshTestKit with(String key, String value) {
        parameters.put(key, value);
        return this;
    }

    EngineExecutionResults run(Class<?>... testClasses) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(parameters)
                .selectors(Arrays.stream(testClasses).map(DiscoverySelectors::selectClass).toArray(DiscoverySelector[]::new))
                .execute();
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** The exception that failed this class's container. */
    static Throwable failureOf(EngineExecutionResults results, Class<?> testClass) {
        return results.containerEvents().failed().stream()
                .filter(event -> event.getTestDescriptor().getSource()
                        .filter(source -> source instanceof ClassSource classSource && classSource.getJavaClass() == testClass)
                        .isPresent())
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .findFirst()
                .orElseThrow(() -> new AssertionError(testClass.getSimpleName() + " did not fail as a class"));
    }

    /** Fails listing each failed test or container with its exception, unless everything passed. */
    static void assertAllPassed(EngineExecutionResults results) {
        String failures = results.allEvents().failed().stream()
                .map(event -> event.getTestDescriptor().getDisplayName() + ": "
                        + event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::toString).orElse(""))
                .collect(java.util.stream.Collectors.joining(System.lineSeparator()));
        org.assertj.core.api.Assertions.assertThat(failures).as("failures").isEmpty();
        org.assertj.core.api.Assertions.assertThat(results.testEvents().succeeded().count()).as("tests passed").isPositive();
    }

    /**
     * Executables with the tools' names, for the execution condition, which only looks whether a
     * tool is there. The extension itself never runs them (the backend is a double).
     */
    private static final String DOCKER_ENGINE_ANSWER = "[ \"$*\" = 'version --format {{.Server.Version}}' ] && { %s; }\n";

    /** A docker client whose engine does not run, answering as docker does then. */
    static Path dockerWithoutEngine(Path directory) {
        try {
            Files.createDirectories(directory);
            standIn(directory.resolve("docker"), DOCKER_ENGINE_ANSWER.formatted("echo 'Cannot connect to the Docker daemon at"
                    + " unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void standIn(Path file, String answers) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + answers + "echo 'stand-in for the execution condition; not to be run' >&2\nexit 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    static Path toolStandIns(Path directory, String... tools) {
        try {
            Files.createDirectories(directory);
            for (String tool : tools) {
                // the condition asks docker whether its engine runs; this one's does
                String answer = tool.equals("docker") ? DOCKER_ENGINE_ANSWER.formatted("echo 28.2.2; exit 0") : "";
                standIn(directory.resolve(tool), answer);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps sample classes from running outside {@link MeshTestKit}: they need its backend. Put it
     * before {@code @MultiClusterMesh}.
     */
    static final class OnlyThroughMeshTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(SAMPLES_PROPERTY).isPresent()
                    ? ConditionEvaluationResult.enabled("run by MeshTestKit")
                    : ConditionEvaluationResult.disabled("a sample for MeshTestKit, not a test of its own");
        }
    }
}
