package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.ProvisioningContext;
import io.github.mcmesh.internal.provision.Step;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.testing.FakeTools;
import io.github.mcmesh.testing.GatewayChart;
import io.github.mcmesh.testing.RecordedPodExec;
import io.github.mcmesh.testing.SucceededCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing a mesh on several networks: namespace label, istiod's network, the east-west gateway and its Gateway. */
class EastWestGatewayTest {

    private static final String REPO = "https://istio-release.storage.googleapis.com/charts";
    private static final String EAST = "mcmesh-east";

    @TempDir
    Path temp;

    private final List<KubernetesMockServer> servers = new ArrayList<>();
    private final Map<String, KubernetesClient> clients = new HashMap<>();
    private FakeTools fakes;

    @BeforeEach
    void install_fakes() {
        fakes = FakeTools.install(temp.resolve("tools"));
    }

    @AfterEach
    void stop_servers() {
        clients.values().forEach(KubernetesClient::close);
        servers.forEach(KubernetesMockServer::destroy);
    }

    private MeshSpec twoNetworks(MeshSpec.Builder builder) {
        return builder.cluster(EAST, c -> c.network("net-east")).cluster("mcmesh-west", c -> c.network("net-west"))
                .stateDirectory(temp.resolve("state")).timeouts(Timeouts.defaults().withCommand(Duration.ofSeconds(10))).build();
    }

    @Test
    void given_two_networks_when_installed_then_namespace_label_istiod_network_gateway_and_expose_services_are_exact() {
        // given
        MeshSpec spec = twoNetworks(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        run(istio.installSteps(EAST));
        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade")).containsExactly(
                "helm upgrade --install istio-base base --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s",
                "helm upgrade --install istiod istiod --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s"
                        + " --set global.meshID=mesh1 --set global.multiCluster.clusterName=mcmesh-east"
                        + " --set global.network=net-east --set resources.requests.cpu=100m"
                        + " --set resources.requests.memory=512Mi"
                        + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true",
                "helm upgrade --install istio-eastwestgateway gateway --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s"
                        + " --set networkGateway=net-east --set service.type=ClusterIP"
                        + " --set-json service.externalIPs=[\"192.168.200.2\"]");
        // one helm list served the three releases' checks: each upgrade changed only its own release
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm list")).hasSize(1);
        KubernetesClient east = clients.get(EAST);
        assertThat(east.namespaces().withName("istio-system").get().getMetadata().getLabels())
                .containsEntry("topology.istio.io/network", "net-east");
        var gateway = east.genericKubernetesResources(EastWestGateway.GATEWAYS).inNamespace("istio-system")
                .withName("cross-network-gateway").get();
        assertThat(gateway.getApiVersion()).isEqualTo("networking.istio.io/v1beta1");
        assertThat(gateway.getAdditionalProperties().get("spec")).isEqualTo(Map.of(
                "selector", Map.of("istio", "eastwestgateway"),
                "servers", List.of(Map.of("port", Map.of("number", 15443, "name", "tls", "protocol", "TLS"),
                        "tls", Map.of("mode", "AUTO_PASSTHROUGH"), "hosts", List.of("*.local")))));
        // the list value read back from helm get values matches, so a rerun upgrades nothing
        assertThat(istio.installSteps(EAST)).allMatch(Step::holds);
    }

    @Test
    void given_one_network_when_installed_then_no_gateway_and_no_namespace_label() {
        // given
        MeshSpec spec = MeshSpec.builder().stateDirectory(temp.resolve("state")).build();
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        run(istio.installSteps(EAST));
        // then
        assertThat(fakes.invocationsOf("helm")).noneMatch(line -> line.contains("istio-eastwestgateway"));
        assertThat(clients.get(EAST).namespaces().withName("istio-system").get().getMetadata().getLabels())
                .doesNotContainKey("topology.istio.io/network");
        assertThat(istio.installSteps(EAST)).extracting(Step::name).doesNotContain("expose services on the east-west"
                + " gateway (Gateway cross-network-gateway)");
    }

    @Test
    void given_istio_system_without_the_label_when_installed_then_the_label_is_patched_in_keeping_the_others() {
        // given
        MeshSpec spec = twoNetworks(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        clients.get(EAST).namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("istio-system")
                .addToLabels("team", "platform").endMetadata().build()).create();
        Step namespace = istio.installSteps(EAST).get(0);
        // when
        boolean heldBefore = namespace.holds();
        namespace.apply();
        // then
        assertThat(namespace.name()).isEqualTo("create namespace istio-system with label topology.istio.io/network=net-east");
        assertThat(heldBefore).isFalse();
        assertThat(clients.get(EAST).namespaces().withName("istio-system").get().getMetadata().getLabels())
                .containsEntry("team", "platform").containsEntry("topology.istio.io/network", "net-east");
        assertThat(namespace.holds()).isTrue();
    }

    @Test
    void given_the_gateway_service_deleted_or_its_address_changed_when_checked_then_the_release_step_upgrades_again() {
        // given
        MeshSpec spec = twoNetworks(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        run(istio.installSteps(EAST));
        KubernetesClient east = clients.get(EAST);
        // when: the address changed
        east.services().inNamespace("istio-system").withName("istio-eastwestgateway")
                .edit(s -> new ServiceBuilder(s).editSpec().withExternalIPs("192.168.200.9").endSpec().build());
        // then
        assertThat(gatewayRelease(istio).holds()).isFalse();
        gatewayRelease(istio).apply();
        assertThat(east.services().inNamespace("istio-system").withName("istio-eastwestgateway").get().getSpec()
                .getExternalIPs()).containsExactly("192.168.200.2");
        assertThat(gatewayRelease(istio).holds()).isTrue();
        // when: the Service is gone
        east.services().inNamespace("istio-system").withName("istio-eastwestgateway").delete();
        // then
        assertThat(gatewayRelease(istio).holds()).isFalse();
    }

    @Test
    void given_clusters_mcmesh_did_not_create_when_installed_then_the_gateway_keeps_the_charts_load_balancer() {
        // given
        MeshSpec spec = twoNetworks(MeshSpec.builder().provider(Provider.EXISTING));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        gatewayRelease(istio).apply();
        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade")).containsExactly(
                "helm upgrade --install istio-eastwestgateway gateway --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s --set networkGateway=net-east");
    }

    @Test
    void given_two_networks_the_chart_check_and_the_uninstall_include_the_gateway_chart() {
        // given
        MeshSpec spec = twoNetworks(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        run(istio.installSteps(EAST));
        // when
        istio.chartVersionSteps().forEach(Step::apply);
        istio.uninstall(EAST);
        // then
        assertThat(fakes.invocationsOf("helm")).contains(
                "helm show chart gateway --repo " + REPO + " --version 1.30.3",
                "helm uninstall istio-eastwestgateway -n istio-system --kube-context mcmesh-east --timeout 600s");
    }

    @Test
    void given_a_gateway_without_address_label_or_expose_services_when_health_is_read_then_each_trap_is_named() {
        // given: west installed and then broken, east with every piece
        MeshSpec spec = twoNetworks(MeshSpec.builder().trust(io.github.mcmesh.spec.TrustMode.SHARED_ROOT_CA));
        RecordedPodExec exec = new RecordedPodExec();
        ProvisioningContext context = context(spec);
        IstioInstaller istio = new IstioInstaller(context, exec);
        for (String cluster : spec.clusterNames()) {
            run(istio.installSteps(cluster));
            runningIstiod(clients.get(cluster), cluster);
            String peer = cluster.equals(EAST) ? "mcmesh-west" : EAST;
            exec.answer("istiod-" + cluster, List.of("pilot-discovery", "request", "GET", "/debug/clusterz"),
                    new PodExec.ExecResult(0, "[{\"id\":\"" + peer + "\",\"syncStatus\":\"synced\"}]", ""));
        }
        // east's istiod knows no gateway of net-west; west's knows east's
        exec.answer("istiod-" + EAST, List.of("pilot-discovery", "request", "GET", "/debug/networkz"),
                new PodExec.ExecResult(0, "[{\"Network\":\"net-east\",\"Cluster\":\"mcmesh-east\",\"Addr\":\"192.168.200.2\","
                        + "\"Port\":15443}]", ""));
        exec.answer("istiod-mcmesh-west", List.of("pilot-discovery", "request", "GET", "/debug/networkz"),
                new PodExec.ExecResult(0, "[{\"Network\":\"net-east\",\"Cluster\":\"mcmesh-east\",\"Addr\":\"192.168.200.2\","
                        + "\"Port\":15443}]", ""));
        KubernetesClient west = clients.get("mcmesh-west");
        west.namespaces().withName("istio-system").edit(n -> new NamespaceBuilder(n).editMetadata()
                .removeFromLabels("topology.istio.io/network").endMetadata().build());
        west.services().inNamespace("istio-system").withName("istio-eastwestgateway")
                .edit(svc -> new ServiceBuilder(svc).editSpec().withExternalIPs(List.of()).endSpec().build());
        west.genericKubernetesResources(EastWestGateway.GATEWAYS).inNamespace("istio-system").withName("cross-network-gateway")
                .delete();
        // when
        MeshHealth health = istio.health();
        // then
        assertThat(health.cluster(EAST).orElseThrow().problems()).containsExactly("istiod does not know the east-west gateway"
                + " of network net-west (cluster mcmesh-west) at 192.168.200.3:15443 (/debug/networkz lists"
                + " [net-east=192.168.200.2:15443]): it sends mcmesh-west's pod IPs instead, which are not routed between networks");
        assertThat(health.cluster("mcmesh-west").orElseThrow().problems()).containsExactly(
                "namespace istio-system has no label topology.istio.io/network (expected net-west): istiod may put pods without"
                        + " a network of their own on the wrong network and send them another network's pod IPs",
                "Service istio-system/istio-eastwestgateway has no address (type ClusterIP, no load balancer ingress, no"
                        + " externalIPs): istiod knows no gateway for network net-west and sends the peers this cluster's pod"
                        + " IPs, which they cannot reach",
                "no Gateway istio-system/cross-network-gateway (port 15443, TLS AUTO_PASSTHROUGH, hosts *.local): the"
                        + " east-west gateway has no 15443 listener, so calls from other networks reach its address and are reset");
        assertThat(health.ready()).isFalse();
    }

    @Test
    void the_gateway_address_is_what_istiod_takes_from_the_service_load_balancer_first_then_external_ips() {
        var lb = new ServiceBuilder().withNewSpec().withType("LoadBalancer").withExternalIPs("10.0.0.9").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("34.1.2.3").endIngress().addNewIngress()
                .withHostname("a1.elb.amazonaws.com").endIngress().endLoadBalancer().endStatus().build();
        var clusterIp = new ServiceBuilder().withNewSpec().withType("ClusterIP").withExternalIPs("192.168.200.2").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("1.1.1.1").endIngress().endLoadBalancer()
                .endStatus().build();
        var pending = new ServiceBuilder().withNewSpec().withType("LoadBalancer").endSpec().build();
        assertThat(EastWestGateway.addresses(lb)).containsExactly("34.1.2.3", "a1.elb.amazonaws.com", "10.0.0.9");
        assertThat(EastWestGateway.addresses(clusterIp)).containsExactly("192.168.200.2");
        assertThat(EastWestGateway.addresses(pending)).isEmpty();
    }

    @Test
    void given_existing_clusters_when_health_is_read_then_the_peer_gateway_is_expected_at_its_load_balancer_address() {
        // given: clusters mcmesh did not create, each gateway with the address its load balancer reports
        MeshSpec spec = twoNetworks(MeshSpec.builder().provider(Provider.EXISTING));
        RecordedPodExec exec = new RecordedPodExec();
        IstioInstaller istio = new IstioInstaller(context(spec), exec);
        Map<String, String> ingress = Map.of(EAST, "34.1.2.3", "mcmesh-west", "west-gw.elb.example.com");
        for (String cluster : spec.clusterNames()) {
            run(istio.installSteps(cluster));
            clients.get(cluster).services().inNamespace("istio-system").withName("istio-eastwestgateway").editStatus(svc -> {
                String address = ingress.get(cluster);
                return new ServiceBuilder(svc).withNewStatus().withNewLoadBalancer().addNewIngress()
                        .withIp(address.contains("elb") ? null : address).withHostname(address.contains("elb") ? address : null)
                        .endIngress().endLoadBalancer().endStatus().build();
            });
            runningIstiod(clients.get(cluster), cluster);
            String peer = cluster.equals(EAST) ? "mcmesh-west" : EAST;
            exec.answer("istiod-" + cluster, List.of("pilot-discovery", "request", "GET", "/debug/clusterz"),
                    new PodExec.ExecResult(0, "[{\"id\":\"" + peer + "\",\"syncStatus\":\"synced\"}]", ""));
        }
        // east knows west's gateway at the IP its host name resolves to; west knows no gateway of east
        exec.answer("istiod-" + EAST, List.of("pilot-discovery", "request", "GET", "/debug/networkz"), new PodExec.ExecResult(0,
                "[{\"Network\":\"net-west\",\"Cluster\":\"mcmesh-west\",\"Addr\":\"52.9.9.9\",\"Port\":15443}]", ""));
        exec.answer("istiod-mcmesh-west", List.of("pilot-discovery", "request", "GET", "/debug/networkz"),
                new PodExec.ExecResult(0, "[]", ""));
        // when
        MeshHealth health = istio.health();
        // then
        assertThat(health.cluster(EAST).orElseThrow().problems()).isEmpty();
        assertThat(health.cluster("mcmesh-west").orElseThrow().problems()).containsExactly("istiod does not know the"
                + " east-west gateway of network net-east (cluster mcmesh-east) at 34.1.2.3:15443 (/debug/networkz lists []):"
                + " it sends mcmesh-east's pod IPs instead, which are not routed between networks");
    }

    private static void runningIstiod(KubernetesClient client, String cluster) {
        client.apps().deployments().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("istiod").withNamespace("istio-system").endMetadata().withNewStatus()
                .withAvailableReplicas(1).endStatus().build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        client.pods().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("istiod-" + cluster).withNamespace("istio-system").addToLabels("app", "istiod").endMetadata()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
    }

    private static Step gatewayRelease(IstioInstaller istio) {
        return istio.installSteps(EAST).stream().filter(step -> step.name().startsWith("helm install istio-eastwestgateway"))
                .findFirst().orElseThrow();
    }

    private ProvisioningContext context(MeshSpec spec) {
        ProvisioningContext context = new ProvisioningContext(spec, rendering(fakes.runner()));
        for (int i = 0; i < spec.clusterNames().size(); i++) {
            String name = spec.clusterNames().get(i);
            String ip = "192.168.200." + (2 + i);
            context.register(new ClusterConnection(name, clients.computeIfAbsent(name, n -> newCluster()), ip,
                    "https://" + ip + ":8443"));
        }
        return context;
    }

    /** The fake helm, with the gateway chart's objects rendered into the mock API server after a successful install. */
    private CommandRunner rendering(CommandRunner runner) {
        return SucceededCommands.then(runner, command -> {
            List<String> args = command.arguments();
            int context = args.indexOf("--kube-context");
            if (command.tool() == Tool.HELM && args.get(0).equals("upgrade") && context > 0) {
                GatewayChart.render(clients.get(args.get(context + 1)), args);
            }
        });
    }

    private KubernetesClient newCluster() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        var definition = EastWestGateway.GATEWAYS;
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(definition.getGroup())
                .withVersion(definition.getVersion()).withKind(definition.getKind()).withPlural(definition.getPlural())
                .withScope("Namespaced").build());
        servers.add(server);
        return server.createClient();
    }

    private static void run(List<Step> steps) {
        steps.stream().filter(step -> !step.holds()).forEach(Step::apply);
    }

    private static PodExec unusedExec() {
        return (client, namespace, pod, container, timeout, command) -> {
            throw new AssertionError("no exec expected");
        };
    }
}
