package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.probe.ExecutesInPods;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.WriteUpSetup;
import io.github.mcmesh.testing.LogCapture;
import io.github.mcmesh.testing.RecordedPodExec;
import io.github.mcmesh.workload.Samples;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline with nothing in-memory but pod exec: {@link MeshProvisioner} with the real
 * {@code IstioInstaller}, fake minikube, docker and helm, mock API servers played by
 * {@link MeshFixture}, then workloads and Istio configuration through the provisioned mesh's view.
 */
class MeshPipelineTest {

    private static final String EAST = "mcmesh-east";
    private static final String WEST = "mcmesh-west";
    private static final String REPO = "https://istio-release.storage.googleapis.com/charts";
    private static final ResourceDefinitionContext DESTINATION_RULES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1beta1").withKind("DestinationRule")
            .withPlural("destinationrules").withNamespaced(true).build();

    @TempDir
    Path tmp;

    private MeshFixture fixture;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void the_mesh_and_its_views_carry_the_pod_exec_the_provisioner_was_given_and_closing_closes_each_client() {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        RecordedPodExec exec = fixture.clusterzSynced(true);
        List<ClusterConnection> connections;

        // when
        try (ProvisionedMesh mesh = fixture.provisionerWithRealIstio(exec).provision()) {
            connections = mesh.connections();

            // then the pod exec Istio's health check ran through is the one the mesh hands on
            assertThat(exec.invocations()).contains(MeshFixture.istiodPod(EAST) + "/discovery: pilot-discovery request GET /debug/clusterz");
            assertThat(mesh.podExec()).isSameAs(exec);
            assertThat(mesh.view("demo")).isInstanceOfSatisfying(ExecutesInPods.class,
                    view -> assertThat(view.podExec()).isSameAs(exec));
            assertThat(mesh.view("demo").inNamespace("other")).isInstanceOfSatisfying(ExecutesInPods.class,
                    view -> assertThat(view.podExec()).isSameAs(exec));
            assertThat(mesh.view("demo").spec()).isSameAs(mesh.spec());
            assertThat(connections).extracting(ClusterConnection::name).containsExactly(EAST, WEST);
            assertThat(connections).allSatisfy(c -> assertThat(c.client().getHttpClient().isClosed()).isFalse());
        }

        // then
        assertThat(connections).allSatisfy(c -> assertThat(c.client().getHttpClient().isClosed()).isTrue());
    }

    @Test
    void cold_provisioning_of_the_default_spec_runs_every_tool_in_order_and_a_rerun_only_reads_the_routing_tables()
            throws Exception {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        RecordedPodExec exec = fixture.clusterzSynced(true);

        // when
        try (ProvisionedMesh mesh = fixture.provisionerWithRealIstio(exec).provision()) {

            // then: the preflight's reads at once (the node network inspected once), then the shared steps, with
            // helm's version read beside them; then each cluster's commands in order (lanes run in parallel)
            List<String> shared = invocationsOfNoCluster();
            assertThat(shared.subList(0, 4)).containsExactlyInAnyOrder("minikube version -o json",
                    "docker network inspect mcmesh", "minikube profile list -o json", "docker network inspect bridge");
            assertThat(shared.subList(4, shared.size())).containsExactlyInAnyOrder(fixture.networkCreate(),
                    "helm show chart base --repo " + REPO + " --version 1.30.3",
                    "helm show chart istiod --repo " + REPO + " --version 1.30.3", "helm version --short");
            assertThat(shared.stream().filter(line -> !line.equals("helm version --short")).skip(4).toList()).containsExactly(
                    fixture.networkCreate(),
                    "helm show chart base --repo " + REPO + " --version 1.30.3",
                    "helm show chart istiod --repo " + REPO + " --version 1.30.3");
            assertInOrderPerLane(EAST, defaultSpecCommands(EAST, "10.10.0.0/16",
                    "10.255.10.0/24", "192.168.200.2", "10.20.0.0/16", "10.255.20.0/24", "192.168.200.3", fixture.nodeLabelFlag(EAST)));
            assertInOrderPerLane(WEST, defaultSpecCommands(WEST, "10.20.0.0/16",
                    "10.255.20.0/24", "192.168.200.3", "10.10.0.0/16", "10.255.10.0/24", "192.168.200.2", fixture.nodeLabelFlag(WEST)));
            assertThat(fixture.fakes().invocations()).hasSize(8 + 2 * 8);

            assertRemoteSecret(WEST, EAST, "https://192.168.200.2:8443");
            assertRemoteSecret(EAST, WEST, "https://192.168.200.3:8443");
            X509Certificate eastRoot = certificate(cacerts(EAST).getData().get("root-cert.pem"));
            X509Certificate westRoot = certificate(cacerts(WEST).getData().get("root-cert.pem"));
            assertThat(eastRoot).isEqualTo(westRoot);
            certificate(cacerts(EAST).getData().get("ca-cert.pem")).verify(eastRoot.getPublicKey());
            certificate(cacerts(WEST).getData().get("ca-cert.pem")).verify(eastRoot.getPublicKey());
            assertThat(cacerts(EAST).getData().get("ca-cert.pem")).isNotEqualTo(cacerts(WEST).getData().get("ca-cert.pem"));
            assertMarker(EAST, "mcmesh-east+mcmesh-west@mesh1");
            assertMarker(WEST, "mcmesh-east+mcmesh-west@mesh1");
            assertThat(exec.invocations()).contains(MeshFixture.istiodPod(EAST) + "/discovery: pilot-discovery request GET /debug/clusterz",
                    MeshFixture.istiodPod(WEST) + "/discovery: pilot-discovery request GET /debug/clusterz");
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(line -> line.contains(MeshFixture.readerToken(EAST)) || line.contains(MeshFixture.readerToken(WEST)));
        }

        // when provisioning again
        int toolCalls = fixture.fakes().invocations().size();
        try (ProvisionedMesh again = fixture.provisionerWithRealIstio(exec).provision()) {

            // then it reuses the mesh through the API and one routing table read per node
            assertThat(fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size()))
                    .containsExactlyInAnyOrder("docker exec " + EAST + " ip route show", "docker exec " + WEST + " ip route show");
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.startsWith("Reusing mesh mcmesh-east+mcmesh-west@mesh1"));

            // when a test class deploys and configures through its view
            Mesh view = again.view("pipeline-it");
            CompletableFuture<Void> available = fixture.markAvailableWhenCreated(EAST, "pipeline-it", "sleep");
            view.cluster(EAST).deploy(Samples.sleep());
            view.applyEverywhere(destinationRule());

            // then
            available.get(10, TimeUnit.SECONDS);
            assertThat(fixture.client(EAST).apps().deployments().inNamespace("pipeline-it").withName("sleep").get()
                    .getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("security.istio.io/tlsMode");
            assertThat(fixture.client(WEST).apps().deployments().inNamespace("pipeline-it").list().getItems()).isEmpty();
            for (String cluster : List.of(EAST, WEST)) {
                GenericKubernetesResource rule = fixture.client(cluster).genericKubernetesResources(DESTINATION_RULES)
                        .inNamespace("pipeline-it").withName("helloworld").get();
                assertThat(rule).as("DestinationRule in %s", cluster).isNotNull();
                assertThat(rule.getAdditionalProperties().get("spec")).isEqualTo(destinationRule().getAdditionalProperties().get("spec"));
            }
        }
    }

    @Test
    void cold_provisioning_of_the_write_up_spec_installs_istio_1_18_in_plaintext_and_deploys_with_tls_disabled()
            throws Exception {
        // given
        fixture = MeshFixture.create(tmp, WriteUpSetup.builder().build());
        RecordedPodExec exec = fixture.clusterzSynced(false);

        // when
        try (ProvisionedMesh mesh = fixture.provisionerWithRealIstio(exec).provision()) {

            // then
            assertThat(invocationsFor("test")).filteredOn(line -> line.startsWith("minikube start") || line.startsWith("helm upgrade"))
                    .containsExactly(
                            "minikube start -p test --driver=docker --container-runtime=docker --kubernetes-version=v1.26.8"
                                    + " --cni=kindnet --extra-config=kubeadm.pod-network-cidr=172.18.0.0/16"
                                    + " --service-cluster-ip-range=10.255.20.0/24 --memory=4096 --cpus=2"
                                    + " --docker-opt=bip=10.254.18.1/24 --network=mcmesh --static-ip=192.168.200.3 --force"
                                    + " --keep-context --wait=all " + fixture.nodeLabelFlag("test"),
                            "helm upgrade --install istio-base base --repo " + REPO + " --version 1.18.2 -n istio-system"
                                    + " --create-namespace --kube-context test --kubeconfig " + fixture.kubeconfig()
                                    + " --wait --timeout 600s",
                            "helm upgrade --install istiod istiod --repo " + REPO + " --version 1.18.2 -n istio-system"
                                    + " --create-namespace --kube-context test --kubeconfig " + fixture.kubeconfig()
                                    + " --wait --timeout 600s"
                                    + " --set global.meshID=mesh1 --set global.multiCluster.clusterName=test"
                                    + " --set global.network=network1 --set pilot.resources.requests.cpu=100m"
                                    + " --set pilot.resources.requests.memory=512Mi"
                                    + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true"
                                    + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE=true");
            assertThat(invocationsFor("minikube")).contains(
                    "docker exec minikube ip route replace 172.18.0.0/16 via 192.168.200.3",
                    "docker exec minikube ip route replace 10.255.20.0/24 via 192.168.200.3");
            assertThat(invocationsFor("test")).contains(
                    "docker exec test ip route replace 172.17.0.0/16 via 192.168.200.2",
                    "docker exec test ip route replace 10.255.10.0/24 via 192.168.200.2");
            for (String cluster : List.of("minikube", "test")) {
                KubernetesClient client = fixture.client(cluster);
                assertThat(cacerts(cluster)).as("no cacerts in %s", cluster).isNull();
                assertThat(client.genericKubernetesResources(DESTINATION_RULES).inNamespace("istio-system")
                        .withName("mcmesh-plaintext").get().getAdditionalProperties().get("spec"))
                        .isEqualTo(Map.of("host", "*.local", "trafficPolicy", Map.of("tls", Map.of("mode", "DISABLE"))));
                assertThat(client.genericKubernetesResources("security.istio.io/v1beta1", "PeerAuthentication")
                        .inNamespace("istio-system").withName("default").get().getAdditionalProperties().get("spec"))
                        .isEqualTo(Map.of("mtls", Map.of("mode", "DISABLE")));
                assertMarker(cluster, "minikube+test@mesh1");
            }
            assertRemoteSecret("test", "minikube", "https://192.168.200.2:8443");
            assertRemoteSecret("minikube", "test", "https://192.168.200.3:8443");
        }

        // when
        int toolCalls = fixture.fakes().invocations().size();
        try (ProvisionedMesh again = fixture.provisionerWithRealIstio(exec).provision()) {
            CompletableFuture<Void> available = fixture.markAvailableWhenCreated("test", "write-up", "sleep");
            again.view("write-up").cluster("test").deploy(Samples.sleep());

            // then
            available.get(10, TimeUnit.SECONDS);
            assertThat(fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size()))
                    .containsExactlyInAnyOrder("docker exec minikube ip route show", "docker exec test ip route show");
            assertThat(fixture.client("test").apps().deployments().inNamespace("write-up").withName("sleep").get()
                    .getSpec().getTemplate().getMetadata().getLabels()).containsEntry("security.istio.io/tlsMode", "disabled");
        }
    }

    @Test
    void an_istio_version_without_charts_fails_while_the_clusters_start_and_stops_them_before_any_start_completes() {
        // given starts that would take a minute, and an Istio version the chart repository does not have
        fixture = MeshFixture.create(tmp, MeshSpec.defaults().toBuilder().istioVersion("1.99.0").build());
        fixture.fakes().steer("delay-minikube-start", "60");

        // when
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision());

        // then
        assertThat(failure).isInstanceOf(ProvisioningException.class).hasMessageContaining(
                "mcmesh.istio.version = '1.99.0': the chart repository " + REPO + " has no chart base at version 1.99.0"
                        + " (helm show chart base --repo " + REPO + " --version 1.99.0: Error: chart \"base\" version"
                        + " \"1.99.0\" not found in " + REPO + " repository)");
        Path minikube = fixture.fakes().stateDirectory().resolve("minikube");
        for (String cluster : List.of(EAST, WEST)) {
            assertThat(minikube.resolve("start-" + cluster + ".end")).as("start of %s completed", cluster).doesNotExist();
        }
        assertThat(fixture.fakes().invocationsOf("helm")).noneMatch(line -> line.startsWith("helm upgrade"));
    }

    @Test
    void three_clusters_exchange_all_six_remote_secrets_at_once_sharing_one_reader_token_per_cluster() {
        // given: the steps putting A's secret into B and into C run at the same time
        fixture = MeshFixture.create(tmp, MeshSpec.builder().clusters("mcmesh-a", "mcmesh-b", "mcmesh-c").build());

        // when
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();

        // then
        for (String target : fixture.spec().clusterNames()) {
            assertThat(fixture.client(target).secrets().inNamespace("istio-system").list().getItems())
                    .extracting(secret -> secret.getMetadata().getName()).filteredOn(name -> name.startsWith("istio-re"))
                    .containsExactlyInAnyOrderElementsOf(fixture.spec().clusterNames().stream()
                            .map(source -> source.equals(target) ? "istio-reader-service-account-istio-remote-secret-token"
                                    : "istio-remote-secret-" + source).toList());
        }
    }

    // --- helpers

    /** The commands one cluster of the default spec gets on a cold start, in order. */
    /**
     * The cluster ran exactly {@code expected}: first its start, then two lanes side by side, each in its own order:
     * the routes ({@code docker exec}) and the charts ({@code helm}).
     */
    private void assertInOrderPerLane(String cluster, String[] expected) {
        List<String> ran = invocationsFor(cluster);
        assertThat(ran).containsExactlyInAnyOrder(expected);
        assertThat(ran.subList(0, 2)).containsExactly(expected[0], expected[1]);
        for (String lane : List.of("docker exec ", "helm ")) {
            assertThat(ran).as("the %scommands of %s", lane, cluster).filteredOn(line -> line.startsWith(lane))
                    .containsExactly(java.util.Arrays.stream(expected).filter(line -> line.startsWith(lane)).toArray(String[]::new));
        }
    }

    private String[] defaultSpecCommands(String cluster, String podCidr, String serviceCidr, String ip,
            String peerPodCidr, String peerServiceCidr, String peerIp, String nodeLabelFlag) {
        String context = " --kube-context " + cluster + " --kubeconfig " + fixture.kubeconfig();
        String helm = " --repo " + REPO + " --version 1.30.3 -n istio-system --create-namespace" + context
                + " --wait --timeout 600s";
        return new String[] {
            "minikube status -p " + cluster + " -o json",
            "minikube start -p " + cluster + " --driver=docker --container-runtime=docker --kubernetes-version=v1.35.1"
                    + " --cni=kindnet --extra-config=kubeadm.pod-network-cidr=" + podCidr + " --service-cluster-ip-range="
                    + serviceCidr + " --memory=4096 --cpus=2 --network=mcmesh --static-ip=" + ip + " --keep-context --wait=all "
                    + nodeLabelFlag,
            "docker exec " + cluster + " ip route show",
            "docker exec " + cluster + " ip route replace " + peerPodCidr + " via " + peerIp,
            "docker exec " + cluster + " ip route replace " + peerServiceCidr + " via " + peerIp,
            "helm list --all -n istio-system" + context + " -o json",
            "helm upgrade --install istio-base base" + helm,
            // istiod's check reads base's list: base's own upgrade is all that changed since
            "helm upgrade --install istiod istiod" + helm + " --set global.meshID=mesh1 --set global.multiCluster.clusterName="
                    + cluster + " --set global.network=network1 --set resources.requests.cpu=100m"
                    + " --set resources.requests.memory=512Mi"
                    + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true"};
    }

    @Test
    void given_two_networks_when_provisioned_then_each_cluster_gets_its_gateway_the_mesh_is_ready_and_a_rerun_reuses_it() {
        // given
        MeshSpec spec = MeshSpec.builder().cluster(EAST, c -> c.network("net-east")).cluster(WEST, c -> c.network("net-west"))
                .build();
        fixture = MeshFixture.create(tmp, spec);
        RecordedPodExec exec = fixture.networkzKnowsEveryGateway(fixture.clusterzSynced(true));

        // when
        fixture.provisionerWithRealIstio(exec).provision().close();

        // then
        assertThat(fixture.fakes().invocations()).contains("helm show chart gateway --repo " + REPO + " --version 1.30.3")
                .anyMatch(line -> line.startsWith("helm upgrade --install istio-eastwestgateway gateway --repo " + REPO
                        + " --version 1.30.3 -n istio-system --create-namespace --kube-context mcmesh-west --kubeconfig ")
                        && line.endsWith(" --wait --timeout 600s --set networkGateway=net-west --set service.type=ClusterIP"
                        + " --set-json service.externalIPs=[\"192.168.200.3\"]"))
                .noneMatch(line -> line.contains("ip route replace"));
        assertThat(exec.invocations()).contains(MeshFixture.istiodPod(EAST) + "/discovery: pilot-discovery request GET /debug/networkz");
        assertThat(fixture.client(EAST).namespaces().withName("istio-system").get().getMetadata().getLabels())
                .containsEntry("topology.istio.io/network", "net-east");

        // when provisioning again: reused, nothing installed
        int toolCalls = fixture.fakes().invocations().size();
        fixture.provisionerWithRealIstio(exec).provision().close();

        // then
        assertThat(fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size()))
                .containsExactlyInAnyOrder("docker exec " + EAST + " ip route show", "docker exec " + WEST + " ip route show");
    }

    @Test
    void given_a_warm_mesh_on_two_networks_whose_gateway_service_is_gone_when_provisioned_then_helm_puts_it_back() {
        // given
        MeshSpec spec = MeshSpec.builder().cluster(EAST, c -> c.network("net-east")).cluster(WEST, c -> c.network("net-west"))
                .build();
        fixture = MeshFixture.create(tmp, spec);
        RecordedPodExec exec = fixture.networkzKnowsEveryGateway(fixture.clusterzSynced(true));
        fixture.provisionerWithRealIstio(exec).provision().close();
        try (KubernetesClient west = fixture.client(WEST)) {
            west.services().inNamespace("istio-system").withName("istio-eastwestgateway").delete();
        }
        int toolCalls = fixture.fakes().invocations().size();

        // when
        fixture.provisionerWithRealIstio(exec).provision().close();

        // then
        List<String> since = fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size());
        assertThat(since).filteredOn(line -> line.startsWith("helm upgrade")).singleElement().asString()
                .startsWith("helm upgrade --install istio-eastwestgateway gateway").contains("--kube-context mcmesh-west");
        assertThat(since).noneMatch(line -> line.startsWith("minikube start -p") || line.startsWith("minikube delete"));
        assertThat(logs.lines()).anyMatch(line -> line.startsWith("INFO Mesh mcmesh-east+mcmesh-west@mesh1 cannot be reused"
                + " as it is: Istio is not ready: Mesh not ready") && line.contains("no Service istio-system/istio-eastwestgateway:"
                + " no other network can reach this cluster's services"));
        assertThat(fixture.client(WEST).services().inNamespace("istio-system").withName("istio-eastwestgateway").get()
                .getSpec().getExternalIPs()).containsExactly("192.168.200.3");
    }

    @Test
    void istiod_scaled_to_zero_on_a_warm_mesh_is_scaled_back_to_the_autoscalers_minimum_without_helm() throws Exception {
        // given a provisioned mesh whose istiod in east someone scaled to 0; its HPA asks for at least 2
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        RecordedPodExec exec = fixture.clusterzSynced(true);
        fixture.provisionerWithRealIstio(exec).provision().close();
        try (KubernetesClient east = fixture.client(EAST)) {
            east.autoscaling().v2().horizontalPodAutoscalers().inNamespace("istio-system").withName("istiod")
                    .edit(hpa -> { hpa.getSpec().setMinReplicas(2); return hpa; });
        }
        CompletableFuture<Void> controller = fixture.scaleIstiodToZero(EAST);
        int toolCalls = fixture.fakes().invocations().size();

        // when
        try (ProvisionedMesh mesh = fixture.provisionerWithRealIstio(exec).provision()) {

            // then istiod runs again, repaired through the API: no helm upgrade, no cluster restarted
            controller.get(10, TimeUnit.SECONDS);
            assertThat(fixture.client(EAST).apps().deployments().inNamespace("istio-system").withName("istiod").get()
                    .getSpec().getReplicas()).isEqualTo(2);
            assertThat(fixture.client(WEST).apps().deployments().inNamespace("istio-system").withName("istiod").get()
                    .getSpec().getReplicas()).isEqualTo(1);
            List<String> since = fixture.fakes().invocations().subList(toolCalls, fixture.fakes().invocations().size());
            assertThat(since).noneMatch(line -> line.startsWith("helm upgrade") || line.startsWith("minikube start -p")
                    || line.startsWith("minikube delete"));
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("INFO Mesh mcmesh-east+mcmesh-west@mesh1 cannot be reused"
                            + " as it is: Istio is not ready: Mesh not ready") && line.contains("[mcmesh-east] istiod NOT available")
                            && line.contains("Deployment istio-system/istiod is scaled to 0 replicas"))
                    .contains("WARN [mcmesh-east] Deployment istio-system/istiod was scaled to 0 replicas while its Helm release"
                            + " holds: scaled it back to 2 (minReplicas of HorizontalPodAutoscaler istio-system/istiod)")
                    .contains("INFO [mcmesh-west] istiod runs at least one replica skipped: already holds");
            assertMarker(EAST, "mcmesh-east+mcmesh-west@mesh1");
        }
    }

    @Test
    void a_kubeconfig_token_a_failing_tool_echoes_is_masked_in_the_log_and_the_provisioning_failure() {
        // given a helm that fails echoing the bearer token of the mesh kubeconfig's user for mcmesh-east
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        fixture.fakes().steer("fail-helm-upgrade-istiod", "1\nError: INSTALLATION FAILED: Unauthorized (bearer test-token-mcmesh-east)");

        // when
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision());

        // then
        assertThat(failure).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("Error: INSTALLATION FAILED: Unauthorized (bearer ***)")
                .hasMessageNotContaining("test-token-mcmesh-east");
        // the lanes run in parallel: whichever cluster's helm failed first is in the log
        assertThat(logs.lines()).anyMatch(line -> line.matches(
                        "INFO \\[mcmesh-(east|west)\\] Error: INSTALLATION FAILED: Unauthorized \\(bearer \\*\\*\\*\\)"))
                .noneMatch(line -> line.contains("test-token-mcmesh-east"));
    }

    @Test
    void teardown_of_the_whole_mesh_deletes_its_root_ca_key_and_directory() {
        // given a provisioned mesh whose root CA is kept in the state directory
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        ProvisionedMesh mesh = fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision();
        Path authority = fixture.spec().stateDirectory().resolve(SpecFacts.identityFileName(fixture.spec()));
        assertThat(authority.resolve("root-key.pem")).isRegularFile();

        // when
        mesh.teardown();
        mesh.close();

        // then
        assertThat(fixture.fakes().invocations()).contains("minikube delete -p mcmesh-east", "minikube delete -p mcmesh-west");
        assertThat(authority).doesNotExist();
        assertThat(logs.lines()).contains("INFO Deleted the root CA key of mesh mcmesh-east+mcmesh-west@mesh1 ("
                + authority + ") with the mesh");
    }

    @Test
    void a_teardown_that_could_not_delete_every_cluster_keeps_the_root_ca_key() {
        // given
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        ProvisionedMesh mesh = fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision();
        Path rootKey = fixture.spec().stateDirectory().resolve(SpecFacts.identityFileName(fixture.spec())).resolve("root-key.pem");
        fixture.fakes().steer("fail-minikube-delete-mcmesh-west", "80\nX_DELETE: unable to delete (injected)");

        // when
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(mesh::teardown);
        mesh.close();

        // then the west cluster still runs with a CA signed by the root, so the key stays
        assertThat(failure).hasMessageContaining("minikube delete -p mcmesh-west");
        assertThat(rootKey).isRegularFile();
    }

    /** The tool invocations addressed to one cluster ({@code -p <cluster>} or {@code --kube-context <cluster>}), in order. */
    private List<String> invocationsFor(String cluster) {
        return fixture.fakes().invocations().stream().filter(line -> clusterOf(line).equals(cluster)).toList();
    }

    private List<String> invocationsOfNoCluster() {
        return fixture.fakes().invocations().stream().filter(line -> clusterOf(line).isEmpty()).toList();
    }

    private static String clusterOf(String line) {
        List<String> words = List.of(line.split(" "));
        if (line.startsWith("docker exec ")) {
            return words.get(2); // the node container, named after the profile
        }
        for (int i = 0; i < words.size() - 1; i++) {
            if (words.get(i).equals("-p") || words.get(i).equals("--kube-context")) {
                return words.get(i + 1);
            }
        }
        return "";
    }

    /** In {@code target}: {@code source}'s remote secret as istioctl lays it out, with the token the token controller issued. */
    private void assertRemoteSecret(String target, String source, String server) {
        Secret secret = fixture.client(target).secrets().inNamespace("istio-system").withName("istio-remote-secret-" + source).get();
        assertThat(secret).as("remote secret of %s in %s", source, target).isNotNull();
        assertThat(secret.getMetadata().getLabels()).containsEntry("istio/multiCluster", "true");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("networking.istio.io/cluster", source);
        assertThat(secret.getData()).containsOnlyKeys(source);
        Config kubeconfig = Serialization.unmarshal(decode(secret.getData().get(source)), Config.class);
        assertThat(kubeconfig.getCurrentContext()).isEqualTo(source);
        assertThat(kubeconfig.getClusters()).singleElement().satisfies(cluster -> {
            assertThat(cluster.getCluster().getServer()).isEqualTo(server);
            assertThat(decode(cluster.getCluster().getCertificateAuthorityData())).isEqualTo(MeshFixture.clusterCaPem(source));
        });
        assertThat(kubeconfig.getUsers()).singleElement()
                .satisfies(user -> assertThat(user.getUser().getToken()).isEqualTo(MeshFixture.readerToken(source)));
        assertThat(fixture.client(target).secrets().inNamespace("istio-system").list().getItems())
                .extracting(s -> s.getMetadata().getName()).filteredOn(name -> name.startsWith("istio-remote-secret-"))
                .containsExactly("istio-remote-secret-" + source);
    }

    private void assertMarker(String cluster, String identity) {
        ClusterMarker marker = ClusterMarker.from(fixture.marker(cluster));
        assertThat(marker.identity()).isEqualTo(identity);
        assertThat(marker.owned()).isTrue();
        assertThat(marker.bootId()).isEqualTo("boot-1");
        assertThat(Fingerprint.of(fixture.spec()).changesFrom(marker.fingerprint())).isEmpty();
    }

    private Secret cacerts(String cluster) {
        return fixture.client(cluster).secrets().inNamespace("istio-system").withName("cacerts").get();
    }

    private static X509Certificate certificate(String base64Pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }

    private static GenericKubernetesResource destinationRule() {
        return new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1beta1").withKind("DestinationRule")
                .withNewMetadata().withName("helloworld").endMetadata()
                .addToAdditionalProperties("spec", Map.of("host", "helloworld", "trafficPolicy",
                        Map.of("loadBalancer", Map.of("simple", "ROUND_ROBIN"))))
                .build();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
