package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.spec.MeshProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** How long the deletion of a class's namespaces may take is {@code mcmesh.timeout.namespace.deletion}'s to say. */
class NamespaceDeletionTimeoutTest {

    @TempDir
    Path state;

    @AfterEach
    void stop_api_servers() {
        RecordingBackend.stopServers();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // far below the 10-minute workload timeout it waited on before
    void the_wait_for_a_namespace_that_is_not_deleted_ends_at_the_namespace_deletion_timeout() {
        // given: a namespace a finalizer holds; workloads may take 10 minutes, namespace deletion one second
        MeshTestKit kit = MeshTestKit.in(state).with(MeshProperties.TIMEOUT_WORKLOAD_READY, "10m")
                .with(MeshProperties.TIMEOUT_NAMESPACE_DELETION, "1s");

        // when
        EngineExecutionResults results = kit.run(HoldsItsNamespace.class);

        // then: the timeout itself, or as the root cause where the JUnit line wraps what a store's close throws
        Throwable failure = MeshTestKit.failureOf(results, HoldsItsNamespace.class);
        while (failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertThat(failure).hasMessageStartingWith(
                "Timed out waiting for [1000] milliseconds for [Namespace] with name:[" + HoldsItsNamespace.namespace + "]");
    }

    @ExtendWith(MeshTestKit.OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class HoldsItsNamespace {
        @MeshNamespace
        static String namespace;

        @Test
        void puts_a_finalizer_on_its_namespace(Mesh mesh) {
            KubernetesClient east = mesh.cluster("mcmesh-east").client();
            east.namespaces().withName(namespace).edit(ns -> {
                ns.getMetadata().setFinalizers(List.of("example.com/hold"));
                return ns;
            });
        }
    }
}
