package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.junit.ClassNamespaces;
import io.github.mcmesh.internal.junit.ClassScope;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ClassNamespacesTest {

    @TempDir
    Path state;

    /** Started by the tests that look at ClassScope's log lines. */
    private LogCapture log;

    @AfterEach
    void stop_api_servers_and_log_capture() {
        RecordingBackend.stopServers();
        if (log != null) {
            log.close();
        }
    }

    @Test
    void derives_a_dns_label_from_the_class_unique_per_run() {
        // when
        String name = ClassNamespaces.nameFor(CrossClusterIT.class, "run-a");

        // then
        assertThat(name).matches("class-namespaces-test-cross-cluster-it-[0-9a-f]{8}");
        assertThat(ClassNamespaces.nameFor(CrossClusterIT.class, "run-b")).isNotEqualTo(name);
        assertThat(ClassNamespaces.nameFor(CrossClusterIT.class, "run-a")).isEqualTo(name);
    }

    @Test
    void shortens_long_class_names_to_63_characters() {
        // when
        String name = ClassNamespaces.nameFor(AVeryLongTestClassNameThatGoesOnAndOnAboutCrossClusterTrafficBetweenPrimaries.class,
                "run");

        // then
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }

    @Test
    void creates_the_class_namespace_in_every_cluster_and_deletes_it_after_a_passing_class() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(ChecksItsNamespace.class);

        // then
        assertAllPassed(results);
        assertThat(mcmeshNamespaces("mcmesh-east")).isEmpty();
        assertThat(mcmeshNamespaces("mcmesh-west")).isEmpty();
    }

    @Test
    void deletes_the_namespace_of_a_passing_class_where_junit_closes_only_closeable_resources() {
        // given JUnit 5.13+ told to close stored values as JUnit 5.10-5.12 do: CloseableResource only
        MeshTestKit kit = MeshTestKit.in(state).with("junit.jupiter.extensions.store.close.autocloseable.enabled", "false");

        // when
        EngineExecutionResults results = kit.run(ChecksItsNamespace.class);

        // then
        assertAllPassed(results);
        assertThat(mcmeshNamespaces("mcmesh-east")).isEmpty();
        assertThat(mcmeshNamespaces("mcmesh-west")).isEmpty();
    }

    @Test
    void keeps_the_namespace_of_a_failed_class_and_says_where() {
        // given
        captureLog();

        // when
        MeshTestKit.in(state).run(FailingClass.class);

        // then
        assertThat(mcmeshNamespaces("mcmesh-east")).singleElement().asString().startsWith("class-namespaces-test-failing-class-");
        assertThat(mcmeshNamespaces("mcmesh-west")).isEqualTo(mcmeshNamespaces("mcmesh-east"));
        String namespace = mcmeshNamespaces("mcmesh-east").get(0);
        assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(message -> assertThat(message)
                .startsWith("Kept namespace " + namespace + " in clusters [mcmesh-east, mcmesh-west] for inspection ("
                        + FailingClass.class.getName() + " failed; namespace cleanup ON_SUCCESS)")
                .contains("kubectl --context mcmesh-east delete namespace " + namespace));
    }

    @Test
    void namespace_cleanup_always_deletes_the_namespace_of_a_failed_class() {
        // when
        MeshTestKit.in(state).with(MeshProperties.NAMESPACE_CLEANUP, "always").run(FailingClass.class);

        // then
        assertThat(mcmeshNamespaces("mcmesh-east")).isEmpty();
        assertThat(mcmeshNamespaces("mcmesh-west")).isEmpty();
    }

    @Test
    void namespace_cleanup_never_keeps_the_namespace_of_a_passing_class() {
        // when
        MeshTestKit.in(state).with(MeshProperties.NAMESPACE_CLEANUP, "never").run(ChecksItsNamespace.class);

        // then
        assertThat(mcmeshNamespaces("mcmesh-east")).hasSize(1);
        assertThat(mcmeshNamespaces("mcmesh-west")).hasSize(1);
    }

    @Test
    void reaps_namespaces_other_runs_kept_more_than_a_day_ago() {
        // given
        KubernetesClient east = RecordingBackend.server("mcmesh-east").createClient();
        Instant now = Instant.now();
        createNamespace(east, "stale-from-old-run", Map.of(ClassNamespaces.RUN_LABEL, "oldrun",
                ClassNamespaces.CREATED_LABEL, Long.toString(now.minus(Duration.ofDays(2)).getEpochSecond())));
        createNamespace(east, "recent-from-other-run", Map.of(ClassNamespaces.RUN_LABEL, "otherrun",
                ClassNamespaces.CREATED_LABEL, Long.toString(now.minus(Duration.ofHours(1)).getEpochSecond())));
        createNamespace(east, "not-mcmesh", Map.of());

        // when
        MeshTestKit.in(state).run(ChecksItsNamespace.class);

        // then
        assertThat(east.namespaces().list().getItems()).extracting(ns -> ns.getMetadata().getName())
                .containsExactlyInAnyOrder("recent-from-other-run", "not-mcmesh");
        east.close();
    }

    private void captureLog() {
        log = new LogCapture();
    }

    private static List<String> mcmeshNamespaces(String cluster) {
        try (KubernetesClient client = RecordingBackend.server(cluster).createClient()) {
            return client.namespaces().withLabel(ClassNamespaces.RUN_LABEL).list().getItems().stream()
                    .map(namespace -> namespace.getMetadata().getName()).toList();
        }
    }

    private static void createNamespace(KubernetesClient client, String name, Map<String, String> labels) {
        Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
        client.namespaces().resource(namespace).create();
    }

    static class CrossClusterIT {
    }

    static class AVeryLongTestClassNameThatGoesOnAndOnAboutCrossClusterTrafficBetweenPrimaries {
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class ChecksItsNamespace {
        @MeshNamespace
        static String namespace;

        @Test
        void has_the_injection_run_and_creation_labels_in_every_cluster(Mesh mesh) {
            for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
                Map<String, String> labels = mesh.cluster(cluster).client().namespaces().withName(namespace).get()
                        .getMetadata().getLabels();
                assertThat(labels).containsEntry("istio-injection", "enabled");
                assertThat(labels.get("mcmesh.io/run")).matches("[0-9a-f]{12}");
                assertThat(Long.parseLong(labels.get("mcmesh.io/created")))
                        .isBetween(Instant.now().minusSeconds(60).getEpochSecond(), Instant.now().getEpochSecond());
            }
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FailingClass {
        @Test
        void fails() {
            fail("on purpose");
        }
    }
}
