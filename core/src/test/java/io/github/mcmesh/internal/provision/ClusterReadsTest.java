package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.testing.LogCapture;
import io.github.mcmesh.testing.MeetingServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The warm check reads the clusters at once, each on its own API server, and per-cluster tasks keep their failures. */
class ClusterReadsTest {

    private static final String EAST = "mcmesh-east";
    private static final String WEST = "mcmesh-west";

    @TempDir
    Path tmp;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void the_warm_check_reads_every_clusters_marker_at_once() {
        // given two clusters whose marker reads only get answered while both are in flight
        try (MeetingServers servers = MeetingServers.start(List.of(EAST, WEST),
                "GET /api/v1/namespaces/kube-system/configmaps/mcmesh-marker"::equals)) {
            List.of(EAST, WEST).forEach(cluster -> node(servers, cluster));
            MeshSpec spec = MeshSpec.defaults().toBuilder().kubeconfig(servers.kubeconfig(tmp.resolve("kubeconfig")))
                    .stateDirectory(tmp.resolve("state")).build();
            MeshProvisioner provisioner = new MeshProvisioner(spec, MeshProvisioner.processRunner(spec),
                    (client, namespace, pod, container, timeout, command) -> {
                        throw new AssertionError("no pod exec on a mesh without markers");
                    }, context -> IstioLayer.of(cluster -> List.of(), List::of, () -> true, cluster -> { }));

            // when
            Optional<ProvisionedMesh> warm = provisioner.reuseIfReady();

            // then: both were read (neither answered 503), and found without marker
            assertThat(warm).isEmpty();
            assertThat(servers.met()).isTrue();
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains(
                    "Mesh mcmesh-east+mcmesh-west@mesh1 is not ready to reuse as it is: cluster 'mcmesh-east' has no mcmesh marker;"
                            + " cluster 'mcmesh-west' has no mcmesh marker");
        }
    }

    @Test
    void per_cluster_tasks_run_at_once_and_return_in_the_clusters_order() {
        // given tasks that each wait until every one of them has begun
        CountDownLatch begun = new CountDownLatch(3);

        // when
        List<String> results = PerCluster.map("test", List.of("a", "b", "c"), cluster -> {
            begun.countDown();
            try {
                return begun.await(MeetingServers.PATIENCE.toMillis(), TimeUnit.MILLISECONDS) ? cluster + " met" : cluster + " alone";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        // then
        assertThat(results).containsExactly("a met", "b met", "c met");
    }

    @Test
    void a_failing_cluster_task_reaches_the_caller_as_thrown_the_first_in_order_after_every_task_ended() {
        // given
        CountDownLatch westEnded = new CountDownLatch(1);

        // when / then: east's failure wins over north's, west was not cut short
        assertThatThrownBy(() -> PerCluster.forEach("test", List.of("east", "west", "north"), cluster -> {
            switch (cluster) {
                case "east" -> throw new IllegalStateException("API server of 'east' not usable");
                case "north" -> throw new IllegalArgumentException("north failed too");
                default -> westEnded.countDown();
            }
        })).isExactlyInstanceOf(IllegalStateException.class).hasMessage("API server of 'east' not usable")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().extracting(Throwable::getMessage)
                        .isEqualTo("north failed too"));
        assertThat(westEnded.getCount()).isZero();
    }

    private static void node(MeetingServers servers, String cluster) {
        try (KubernetesClient client = servers.client(cluster)) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(cluster).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.200.2").endAddress()
                    .withNewNodeInfo().withBootID("boot-1").endNodeInfo().endStatus().build()).create();
        }
    }
}
