package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.ProvisioningContext;
import io.github.mcmesh.internal.provision.Step;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.RemoteSecretMode;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.spec.TrustMode;
import io.github.mcmesh.testing.FakeTools;
import io.github.mcmesh.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class IstioInstallerTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.reader-token-of-the-test.signature";
    private static final String CA_DATA = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\nMIIfake\n".getBytes());
    private static final String REPO = "https://istio-release.storage.googleapis.com/charts";

    @TempDir
    Path temp;

    private final List<KubernetesMockServer> servers = new ArrayList<>();
    private final Map<String, KubernetesClient> clients = new HashMap<>();
    private FakeTools fakes;
    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @BeforeEach
    void install_fakes() {
        fakes = FakeTools.install(temp.resolve("tools"));
    }

    @AfterEach
    void stop_servers() {
        clients.values().forEach(KubernetesClient::close);
        servers.forEach(KubernetesMockServer::destroy);
    }

    @Test
    void installs_base_then_istiod_with_the_exact_helm_arguments_of_the_default_spec() {
        // given
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        run(istio.installSteps("mcmesh-east"));
        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade")).containsExactly(
                "helm upgrade --install istio-base base --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s",
                "helm upgrade --install istiod istiod --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s"
                        + " --set global.meshID=mesh1 --set global.multiCluster.clusterName=mcmesh-east"
                        + " --set global.network=network1 --set resources.requests.cpu=100m"
                        + " --set resources.requests.memory=512Mi"
                        + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true");
        assertThat(istio.installSteps("mcmesh-east")).allMatch(Step::holds);
    }

    @Test
    void installing_base_then_istiod_into_a_fresh_cluster_lists_the_releases_once_with_helm_3_and_helm_4() {
        for (String helmVersion : List.of("v3.19.5", "v4.1.4")) {
            // given a cluster without releases, and helm answering as this version
            fakes.steer("helm-version", helmVersion);
            MeshSpec spec = spec(MeshSpec.builder());
            String cluster = helmVersion.startsWith("v3") ? "mcmesh-east" : "mcmesh-west";
            IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
            // when
            run(istio.installSteps(cluster));
            // then one list served base's check and, as base's own upgrade is all that changed since, istiod's
            assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.contains("--kube-context " + cluster))
                    .filteredOn(line -> line.startsWith("helm list") || line.startsWith("helm upgrade"))
                    .extracting(line -> line.substring(0, line.indexOf(" -n ")))
                    .containsExactly(helmVersion.startsWith("v3") ? "helm list --all" : "helm list",
                            "helm upgrade --install istio-base base --repo " + REPO + " --version 1.30.3",
                            "helm upgrade --install istiod istiod --repo " + REPO + " --version 1.30.3");
            assertThat(istio.installSteps(cluster)).filteredOn(step -> step.name().startsWith("helm install")).allMatch(Step::holds);
        }
    }

    @Test
    void the_istiod_check_lists_again_when_the_base_step_held_or_its_upgrade_failed() throws Exception {
        // given both releases installed
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        run(istio.installSteps("mcmesh-east"));
        List<Step> steps = istio.installSteps("mcmesh-east");
        Step base = steps.get(2);
        Step istiod = steps.get(3);

        // when base holds and istiod is uninstalled by hand between the two checks
        assertThat(base.holds()).isTrue();
        context(spec).runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.HELM,
                "uninstall", "istiod", "-n", "istio-system", "--kube-context", "mcmesh-east"));
        // then istiod's check lists again and sees it gone (from base's list it would ask helm for the values of a missing release)
        assertThat(istiod.holds()).isFalse();

        // when base's upgrade fails after its check
        fakes.steer("fail-helm-upgrade-istio-base", "1\nError: UPGRADE FAILED: context deadline exceeded");
        context(spec).runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.HELM,
                "uninstall", "istio-base", "-n", "istio-system", "--kube-context", "mcmesh-east"));
        assertThat(base.holds()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(base::apply).hasMessageContaining("context deadline exceeded");
        int listsBefore = fakes.invocationsOf("helm").stream().filter(line -> line.startsWith("helm list")).toList().size();
        // then istiod's check lists again too
        assertThat(istiod.holds()).isFalse();
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm list")).hasSize(listsBefore + 1);
    }

    @Test
    void turns_on_the_envoy_access_log_mesh_wide_with_a_telemetry_in_istio_system_and_repairs_a_changed_one() {
        // given
        MeshSpec spec = spec(MeshSpec.builder().istioVersion("1.18.2").kubernetesVersion("v1.26.8"));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        run(istio.installSteps("mcmesh-east"));
        // then a selector-less Telemetry with the built-in envoy provider, in the version 1.18 and 1.30 both serve
        KubernetesClient east = clients.get("mcmesh-east");
        var telemetry = east.genericKubernetesResources(AccessLogTelemetry.TELEMETRIES).inNamespace("istio-system")
                .withName("mcmesh-access-log").get();
        assertThat(telemetry.getApiVersion()).isEqualTo("telemetry.istio.io/v1alpha1");
        assertThat(telemetry.getKind()).isEqualTo("Telemetry");
        assertThat(telemetry.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "mcmesh");
        assertThat(telemetry.getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of("accessLogging", List.of(Map.of("providers", List.of(Map.of("name", "envoy"))))));
        Step step = istio.installSteps("mcmesh-east").stream().filter(s -> s.name().contains("access log")).findFirst()
                .orElseThrow();
        assertThat(step.holds()).isTrue();

        // when someone changes it (drift), the step no longer holds and applying it restores the spec
        telemetry.getAdditionalProperties().put("spec", Map.of("accessLogging", List.of(Map.of("disabled", true))));
        east.genericKubernetesResources(AccessLogTelemetry.TELEMETRIES).inNamespace("istio-system").resource(telemetry).update();
        assertThat(step.holds()).isFalse();
        run(List.of(step));
        assertThat(step.holds()).isTrue();
    }

    @Test
    void installs_the_write_up_spec_with_pilot_resources_and_mesh_wide_plaintext() {
        // given
        MeshSpec spec = spec(MeshSpec.builder().clusters("minikube", "test").istioVersion("1.18.2")
                .kubernetesVersion("v1.26.8").trust(TrustMode.PLAINTEXT));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        run(istio.installSteps("test"));
        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade")).containsExactly(
                "helm upgrade --install istio-base base --repo " + REPO + " --version 1.18.2 -n istio-system"
                        + " --create-namespace --kube-context test --wait --timeout 600s",
                "helm upgrade --install istiod istiod --repo " + REPO + " --version 1.18.2 -n istio-system"
                        + " --create-namespace --kube-context test --wait --timeout 600s"
                        + " --set global.meshID=mesh1 --set global.multiCluster.clusterName=test"
                        + " --set global.network=network1 --set pilot.resources.requests.cpu=100m"
                        + " --set pilot.resources.requests.memory=512Mi"
                        + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true"
                        + " --set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE=true");
        KubernetesClient test = clients.get("test");
        assertThat(test.secrets().inNamespace("istio-system").withName("cacerts").get()).isNull();
        var rule = test.genericKubernetesResources(PlaintextPolicy.DESTINATION_RULES).inNamespace("istio-system")
                .withName("mcmesh-plaintext").get();
        assertThat(rule.getApiVersion()).isEqualTo("networking.istio.io/v1beta1");
        assertThat(rule.getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of("host", "*.local", "trafficPolicy", Map.of("tls", Map.of("mode", "DISABLE"))));
        var peer = test.genericKubernetesResources(PlaintextPolicy.PEER_AUTHENTICATIONS).inNamespace("istio-system")
                .withName("default").get();
        assertThat(peer.getAdditionalProperties().get("spec")).isEqualTo(Map.of("mtls", Map.of("mode", "DISABLE")));
        assertThat(istio.installSteps("test")).allMatch(Step::holds);
    }

    @Test
    void sets_dns_auto_allocate_only_before_istio_1_25_where_istiod_does_not_allocate_by_itself() {
        // istio/istio pilot/pkg/features/pilot.go PILOT_ENABLE_IP_AUTOALLOCATE: false in 1.24.6, true from 1.25.0
        String capture = "--set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true";
        String autoAllocate = "--set-string meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE=true";
        Map<String, String> setsIt = Map.of("1.18.2", "v1.26.8", "1.24.6", "v1.30.0");
        Map<String, String> leavesItOut = Map.of("1.25.0", "v1.30.0", "1.29.6", "v1.32.0", "1.30.3", "v1.32.0");
        setsIt.forEach((istio, kubernetes) -> assertThat(proxyMetadataArguments(MeshSpec.builder().istioVersion(istio)
                .kubernetesVersion(kubernetes))).as("Istio %s", istio).containsExactly(capture, autoAllocate));
        leavesItOut.forEach((istio, kubernetes) -> assertThat(proxyMetadataArguments(MeshSpec.builder().istioVersion(istio)
                .kubernetesVersion(kubernetes))).as("Istio %s", istio).containsExactly(capture));
        assertThat(proxyMetadataArguments(MeshSpec.builder().dnsProxying(false))).isEmpty();
    }

    private static List<String> proxyMetadataArguments(MeshSpec.Builder spec) {
        List<String> arguments = IstioInstaller.istiodValues(spec.build(), "mcmesh-east").arguments();
        List<String> pairs = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < arguments.size(); i += 2) {
            if (arguments.get(i + 1).contains("proxyMetadata")) {
                pairs.add(arguments.get(i) + " " + arguments.get(i + 1));
            }
        }
        return pairs;
    }

    @Test
    void istiod_scaled_to_zero_without_an_autoscaler_is_scaled_back_to_the_replica_count_mcmesh_passes() {
        // given istiod without the chart's autoscaler (autoscaleEnabled=false) at 0 replicas
        MeshSpec spec = spec(MeshSpec.builder().passThrough(PassThrough.none()
                .withHelmValues(List.of("autoscaleEnabled=false", "replicaCount=3"))));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        clients.get("mcmesh-east").apps().deployments().inNamespace("istio-system").resource(new DeploymentBuilder()
                .withNewMetadata().withName("istiod").withNamespace("istio-system").endMetadata()
                .withNewSpec().withReplicas(0).endSpec().build()).create();
        Step scale = istio.installSteps("mcmesh-east").stream()
                .filter(step -> step.name().equals("istiod runs at least one replica")).findFirst().orElseThrow();

        // when
        boolean heldBefore = scale.holds();
        scale.apply();

        // then
        assertThat(heldBefore).isFalse();
        assertThat(clients.get("mcmesh-east").apps().deployments().inNamespace("istio-system").withName("istiod").get()
                .getSpec().getReplicas()).isEqualTo(3);
        assertThat(scale.holds()).isTrue();
        assertThat(logs.lines()).contains("WARN [mcmesh-east] Deployment istio-system/istiod was scaled to 0 replicas while"
                + " its Helm release holds: scaled it back to 3 (the chart's replicaCount)");
    }

    @Test
    void resumes_after_a_failed_istiod_install_and_reinstalls_when_dns_values_were_set_as_booleans() {
        // given
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        fakes.steer("fail-helm-upgrade-istiod", "1\nError: UPGRADE FAILED: context deadline exceeded");
        List<Step> steps = istio.installSteps("mcmesh-east");
        // when
        try {
            run(steps);
        } catch (RuntimeException expected) {
            // the istiod step failed; helm left the release "failed"
        }
        // then
        assertThat(steps.get(2).holds()).as("istio-base").isTrue();
        assertThat(steps.get(3).holds()).as("failed istiod").isFalse();
        try {
            Files.delete(fakes.stateDirectory().resolve("fail-helm-upgrade-istiod"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        run(istio.installSteps("mcmesh-east"));
        assertThat(fakes.invocationsOf("helm")).filteredOn(l -> l.startsWith("helm upgrade --install istio-base")).hasSize(1);
        assertThat(steps.get(3).holds()).isTrue();

        // when the DNS values were installed as booleans (plain --set), the release drifts
        String booleans = String.join(" ", IstioInstaller.istiodValues(spec, "mcmesh-east").arguments())
                .replace("--set-string", "--set");
        context(spec).runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.HELM,
                ("upgrade --install istiod istiod --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --kube-context mcmesh-east " + booleans).split(" ")));
        // then
        assertThat(steps.get(3).holds()).isFalse();
    }

    @Test
    void plugs_in_one_root_for_every_cluster_before_istiod_and_rebuilds_all_when_the_key_is_lost() throws Exception {
        // given
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        run(istio.installSteps("mcmesh-east"));
        run(istio.installSteps("mcmesh-west"));
        // then
        assertThat(istio.installSteps("mcmesh-east")).extracting(Step::name).containsExactly(
                "create namespace istio-system", "plug in the mesh's CA (secret cacerts)", "helm install istio-base",
                "helm install istiod", "istiod runs at least one replica",
                "turn on the Envoy access log mesh-wide (Telemetry mcmesh-access-log)");
        Secret east = cacerts("mcmesh-east");
        Secret west = cacerts("mcmesh-west");
        assertThat(east.getData()).containsOnlyKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem");
        assertThat(east.getData().get("root-cert.pem")).isEqualTo(west.getData().get("root-cert.pem"));
        assertThat(east.getData().get("ca-cert.pem")).isNotEqualTo(west.getData().get("ca-cert.pem"));
        var rootCert = CertificateAuthorityTest.certificates(decode(east.getData().get("root-cert.pem"))).get(0);
        CertificateAuthorityTest.certificates(decode(east.getData().get("ca-cert.pem"))).get(0).verify(rootCert.getPublicKey());
        assertThat(new IstioInstaller(context(spec), unusedExec()).installSteps("mcmesh-west")).allMatch(Step::holds);
        assertThat(logs.lines()).noneMatch(line -> line.contains(decode(east.getData().get("ca-key.pem")).lines().skip(1).findFirst().orElseThrow()));

        // when the root key is lost, a new installer rebuilds every cluster's CA
        Files.delete(istio.authorityDirectory().resolve("root-key.pem"));
        IstioInstaller again = new IstioInstaller(context(spec), unusedExec());
        assertThat(again.installSteps("mcmesh-east").get(1).holds()).isFalse();
        assertThat(again.installSteps("mcmesh-west").get(1).holds()).isFalse();
        run(again.installSteps("mcmesh-east"));
        run(again.installSteps("mcmesh-west"));
        // then
        assertThat(cacerts("mcmesh-east").getData().get("root-cert.pem"))
                .isEqualTo(cacerts("mcmesh-west").getData().get("root-cert.pem"))
                .isNotEqualTo(east.getData().get("root-cert.pem"));
        assertThat(logs.lines()).anyMatch(line -> line.startsWith("WARN No root CA key kept for mesh"));
    }

    @Test
    void the_cacerts_steps_plug_in_what_prepare_trust_made_and_a_kept_rsa_root_is_not_rotated() throws Exception {
        // given a mesh whose root an earlier mcmesh kept as RSA
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        CertificateAuthorityTest.keepRsaRoot(istio.authorityDirectory());
        String keptRoot = Files.readString(istio.authorityDirectory().resolve("root-cert.pem"));
        String keptKey = Files.readString(istio.authorityDirectory().resolve("root-key.pem"));
        // when the CA is prepared ahead, then the steps run
        istio.prepareTrust();
        run(istio.installSteps("mcmesh-east"));
        run(istio.installSteps("mcmesh-west"));
        // then both clusters chain to the kept root, which stays as it was
        for (String cluster : List.of("mcmesh-east", "mcmesh-west")) {
            assertThat(decode(cacerts(cluster).getData().get("root-cert.pem"))).isEqualTo(keptRoot);
            var intermediate = CertificateAuthorityTest.certificates(decode(cacerts(cluster).getData().get("ca-cert.pem"))).get(0);
            intermediate.verify(CertificateAuthorityTest.certificates(keptRoot).get(0).getPublicKey());
            assertThat(intermediate.getSubjectX500Principal().getName()).isEqualTo("L=" + cluster + ",CN=Intermediate CA,O=Istio");
        }
        assertThat(Files.readString(istio.authorityDirectory().resolve("root-key.pem"))).isEqualTo(keptKey);
        assertThat(logs.lines()).noneMatch(line -> line.startsWith("WARN No root CA key kept for mesh"));
        assertThat(new IstioInstaller(context(spec), unusedExec()).installSteps("mcmesh-east").get(1).holds()).isTrue();
    }

    @Test
    void a_root_prepared_ahead_is_kept_when_the_first_cacerts_step_uses_it() throws Exception {
        // given no kept root
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        istio.prepareTrust();
        run(istio.installSteps("mcmesh-east"));
        // then the root the cluster got is the one now kept, owner-only
        assertThat(decode(cacerts("mcmesh-east").getData().get("root-cert.pem")))
                .isEqualTo(Files.readString(istio.authorityDirectory().resolve("root-cert.pem")));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(istio.authorityDirectory().resolve("root-key.pem")))).isEqualTo("rw-------");
        assertThat(logs.lines()).filteredOn(line -> line.startsWith("WARN No root CA key kept for mesh")).hasSize(1);
        assertThat(new IstioInstaller(context(spec), unusedExec()).installSteps("mcmesh-east").get(1).holds()).isTrue();
    }

    @Test
    void a_remote_secret_waits_for_the_source_base_and_the_target_namespace_not_for_istiod() {
        // given
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        Map<String, List<Step>> install = Map.of("mcmesh-east", istio.installSteps("mcmesh-east"),
                "mcmesh-west", istio.installSteps("mcmesh-west"));
        List<Step> remoteSecrets = istio.remoteSecretSteps();
        // when
        Map<Step, List<Step>> prerequisites = istio.remoteSecretPrerequisites(remoteSecrets, install);
        // then: east's secret in west needs east's istio-base and west's namespace
        assertThat(remoteSecrets).extracting(step -> step.cluster().orElseThrow() + " " + step.name()).containsExactly(
                "mcmesh-west remote secret istio-remote-secret-mcmesh-east", "mcmesh-east remote secret istio-remote-secret-mcmesh-west");
        assertThat(prerequisites.get(remoteSecrets.get(0))).containsExactly(install.get("mcmesh-east").get(2),
                install.get("mcmesh-west").get(0));
        assertThat(prerequisites.get(remoteSecrets.get(1))).extracting(step -> step.cluster().orElseThrow() + " " + step.name())
                .containsExactly("mcmesh-west helm install istio-base", "mcmesh-east create namespace istio-system");
    }

    @Test
    void uninstall_removes_the_secrets_and_resources_mcmesh_put_in_and_keeps_what_another_owner_made() throws Exception {
        // given Istio installed by mcmesh into clusters it did not create, with remote secrets, and objects of the cluster's own
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        run(istio.installSteps("mcmesh-east"));
        run(istio.installSteps("mcmesh-west"));
        CompletableFuture<Void> eastController = playTokenController("mcmesh-east");
        CompletableFuture<Void> westController = playTokenController("mcmesh-west");
        run(istio.remoteSecretSteps());
        eastController.get(10, TimeUnit.SECONDS);
        westController.get(10, TimeUnit.SECONDS);
        KubernetesClient east = clients.get("mcmesh-east");
        east.genericKubernetesResources(PlaintextPolicy.PEER_AUTHENTICATIONS).inNamespace("istio-system").resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("security.istio.io/v1beta1")
                        .withKind("PeerAuthentication").withNewMetadata().withName("default").withNamespace("istio-system")
                        .endMetadata().addToAdditionalProperties("spec", Map.of("mtls", Map.of("mode", "STRICT"))).build())
                .create();
        east.secrets().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("team-secret").withNamespace("istio-system").endMetadata().build()).create();

        // when
        istio.uninstall("mcmesh-east");

        // then
        assertThat(east.secrets().inNamespace("istio-system").list().getItems()).extracting(secret -> secret.getMetadata().getName())
                .containsExactly("team-secret");
        assertThat(new AccessLogTelemetry(east).holds()).isFalse();
        assertThat(east.genericKubernetesResources(PlaintextPolicy.PEER_AUTHENTICATIONS).inNamespace("istio-system")
                .withName("default").get()).isNotNull();
        assertThat(fakes.invocationsOf("helm")).containsSubsequence(
                "helm uninstall istiod -n istio-system --kube-context mcmesh-east --timeout 600s",
                "helm uninstall istio-base -n istio-system --kube-context mcmesh-east --timeout 600s");
        assertThat(clients.get("mcmesh-west").secrets().inNamespace("istio-system").withName("istio-remote-secret-mcmesh-east")
                .get()).as("the peer's own secrets are its uninstall's").isNotNull();
    }

    @Test
    void writes_remote_secrets_as_istioctl_does_after_waiting_for_the_reader_token() throws Exception {
        // given
        MeshSpec spec = spec(MeshSpec.builder());
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        CompletableFuture<Void> eastController = playTokenController("mcmesh-east");
        CompletableFuture<Void> westController = playTokenController("mcmesh-west");
        // when
        List<Step> steps = istio.remoteSecretSteps();
        run(steps);
        // then
        eastController.get(10, TimeUnit.SECONDS);
        westController.get(10, TimeUnit.SECONDS);
        assertThat(steps).extracting(Step::toString).containsExactly(
                "[mcmesh-west] remote secret istio-remote-secret-mcmesh-east",
                "[mcmesh-east] remote secret istio-remote-secret-mcmesh-west");
        Secret secret = clients.get("mcmesh-west").secrets().inNamespace("istio-system")
                .withName("istio-remote-secret-mcmesh-east").get();
        assertThat(secret.getMetadata().getLabels()).containsExactly(Map.entry("istio/multiCluster", "true"));
        assertThat(secret.getMetadata().getAnnotations())
                .containsExactly(Map.entry("networking.istio.io/cluster", "mcmesh-east"));
        assertThat(secret.getData()).containsOnlyKeys("mcmesh-east");
        String yaml = decode(secret.getData().get("mcmesh-east"));
        Config kubeconfig = Serialization.unmarshal(yaml, Config.class);
        assertThat(kubeconfig.getCurrentContext()).isEqualTo("mcmesh-east");
        assertThat(kubeconfig.getClusters()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("mcmesh-east");
            assertThat(c.getCluster().getServer()).isEqualTo("https://192.168.200.2:8443");
            assertThat(c.getCluster().getCertificateAuthorityData()).isEqualTo(CA_DATA);
        });
        assertThat(kubeconfig.getContexts()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("mcmesh-east");
            assertThat(c.getContext().getCluster()).isEqualTo("mcmesh-east");
            assertThat(c.getContext().getUser()).isEqualTo("mcmesh-east");
        });
        assertThat(kubeconfig.getUsers()).singleElement().satisfies(u -> {
            assertThat(u.getName()).isEqualTo("mcmesh-east");
            assertThat(u.getUser().getToken()).isEqualTo(TOKEN + "-mcmesh-east");
        });
        assertThat(yaml).doesNotContain("certificate-authority:", "tokenFile", "client-certificate:", "client-key:");
        Secret tokenSecret = clients.get("mcmesh-east").secrets().inNamespace("istio-system")
                .withName("istio-reader-service-account-istio-remote-secret-token").get();
        assertThat(tokenSecret.getType()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(tokenSecret.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/service-account.name", "istio-reader-service-account");
        assertThat(istio.remoteSecretSteps()).allMatch(Step::holds);
        assertThat(logs.lines()).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void fails_clearly_when_no_token_controller_fills_the_reader_token() {
        // given
        MeshSpec spec = spec(MeshSpec.builder().timeouts(Timeouts.defaults().withCommand(Duration.ofMillis(800))));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        // when
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> istio.remoteSecretSteps().get(0).apply());
        // then
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining(
                "Cluster mcmesh-east did not fill in token and ca.crt of secret"
                        + " istio-system/istio-reader-service-account-istio-remote-secret-token within PT0.8S");
    }

    @Test
    void a_reader_token_and_a_ca_key_a_failing_tool_echoes_are_masked_in_the_log_and_the_exception() throws Exception {
        // given a mesh whose remote secrets and cacerts mcmesh made through this context
        MeshSpec spec = spec(MeshSpec.builder());
        ProvisioningContext context = context(spec);
        IstioInstaller istio = new IstioInstaller(context, unusedExec());
        CompletableFuture<Void> eastController = playTokenController("mcmesh-east");
        CompletableFuture<Void> westController = playTokenController("mcmesh-west");
        run(List.of(istio.installSteps("mcmesh-east").get(1)));
        run(istio.remoteSecretSteps());
        eastController.get(10, TimeUnit.SECONDS);
        westController.get(10, TimeUnit.SECONDS);
        String token = TOKEN + "-mcmesh-east";
        String caKeyLine = decode(clients.get("mcmesh-east").secrets().inNamespace("istio-system").withName("cacerts").get()
                .getData().get("ca-key.pem")).lines().skip(1).findFirst().orElseThrow();
        String rootKeyLine = Files.readAllLines(temp.resolve("state").resolve(SpecFacts.identityFileName(spec)).resolve("root-key.pem"))
                .get(2);
        // and a tool that echoes them to stderr and fails
        fakes.steer("fail-helm-upgrade-istiod", "1\nError: Unauthorized: bearer " + token + "\n" + caKeyLine + "\n" + rootKeyLine);

        // when
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> context.runner().run(
                io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.HELM, "upgrade", "--install", "istiod", "istiod",
                        "--repo", REPO, "--version", "1.30.3", "-n", "istio-system", "--kube-context", "mcmesh-east")
                        .forCluster("mcmesh-east")));

        // then
        assertThat(failure).isInstanceOf(io.github.mcmesh.internal.exec.CommandFailedException.class)
                .hasMessageContaining("Error: Unauthorized: bearer ***\n  ***\n  ***".replace("\n", System.lineSeparator()))
                .hasMessageNotContaining(token).hasMessageNotContaining(caKeyLine).hasMessageNotContaining(rootKeyLine);
        assertThat(logs.lines()).contains("INFO [mcmesh-east] Error: Unauthorized: bearer ***")
                .noneMatch(line -> line.contains(token) || line.contains(caKeyLine) || line.contains(rootKeyLine));
    }

    @Test
    void applies_the_secret_istioctl_prints_in_istioctl_mode() throws Exception {
        // given
        MeshSpec spec = spec(MeshSpec.builder().remoteSecrets(RemoteSecretMode.ISTIOCTL));
        ProvisioningContext context = context(spec);
        IstioInstaller istio = new IstioInstaller(context, unusedExec());
        Files.createDirectories(fakes.stateDirectory().resolve("istioctl/mcmesh-east"));
        fakes.steer("istioctl/mcmesh-east/token", TOKEN);
        fakes.steer("istioctl/mcmesh-east/ca", CA_DATA);
        // when
        istio.remoteSecretSteps().get(0).apply();
        // then
        assertThat(fakes.invocationsOf("istioctl")).containsExactly("istioctl create-remote-secret --context=mcmesh-east"
                + " --name=mcmesh-east --server=https://192.168.200.2:8443 --namespace=istio-system");
        Secret secret = clients.get("mcmesh-west").secrets().inNamespace("istio-system")
                .withName("istio-remote-secret-mcmesh-east").get();
        Config kubeconfig = Serialization.unmarshal(decode(secret.getData().get("mcmesh-east")), Config.class);
        assertThat(kubeconfig.getUsers().get(0).getUser().getToken()).isEqualTo(TOKEN);
        assertThat(secret.getMetadata().getLabels()).containsEntry("istio/multiCluster", "true");
        assertThat(logs.lines()).noneMatch(line -> line.contains(TOKEN));
        // the token istioctl printed is registered with the runner's redactor
        assertThat(context.runner().secrets().redact("bearer " + TOKEN)).isEqualTo("bearer ***");
        assertThat(context.runner().secrets().redact("kind: Config")).as("the kubeconfig's other lines").isEqualTo("kind: Config");
    }

    @Test
    void passes_the_mesh_kubeconfig_to_istioctl_create_remote_secret() throws Exception {
        // given
        Path kubeconfig = Files.writeString(temp.resolve("mesh-kubeconfig"), "apiVersion: v1\nkind: Config\n");
        MeshSpec spec = spec(MeshSpec.builder().remoteSecrets(RemoteSecretMode.ISTIOCTL).kubeconfig(kubeconfig));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
        Files.createDirectories(fakes.stateDirectory().resolve("istioctl/mcmesh-east"));
        fakes.steer("istioctl/mcmesh-east/token", TOKEN);
        fakes.steer("istioctl/mcmesh-east/ca", CA_DATA);
        // when
        istio.remoteSecretSteps().get(0).apply();
        // then
        assertThat(fakes.invocationsOf("istioctl")).containsExactly("istioctl create-remote-secret --context=mcmesh-east"
                + " --kubeconfig=" + kubeconfig + " --name=mcmesh-east --server=https://192.168.200.2:8443"
                + " --namespace=istio-system");
    }

    @Test
    void does_not_upgrade_the_charts_of_a_source_checkout_again_on_a_rerun() throws Exception {
        // given an Istio source checkout, whose charts all say version 1.0.0 whatever the Istio version
        Path checkout = HelmTest.charts(temp.resolve("istio-source"), "1.0.0");
        MeshSpec spec = spec(MeshSpec.builder().sources(Sources.defaults().withIstioCharts(checkout.toString())));
        run(new IstioInstaller(context(spec), unusedExec()).installSteps("mcmesh-east"));

        // when
        IstioInstaller rerun = new IstioInstaller(context(spec), unusedExec());
        run(rerun.installSteps("mcmesh-east"));

        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade")).hasSize(2);
        assertThat(rerun.installSteps("mcmesh-east")).allMatch(Step::holds);

        // when the checkout's istiod chart changes version, that release is upgraded again
        Files.writeString(checkout.resolve("manifests/charts/istio-control/istio-discovery/Chart.yaml"),
                "apiVersion: v2\nname: istiod\nversion: 1.0.1\nappVersion: 1.0.1\n");
        assertThat(rerun.installSteps("mcmesh-east")).filteredOn(step -> !step.holds()).extracting(Step::name)
                .containsExactly("helm install istiod");
    }

    @Test
    void reports_synced_timeout_and_missing_peers_with_likely_causes() {
        // given
        MeshSpec spec = spec(MeshSpec.builder().clusters("aa", "bb").trust(TrustMode.PLAINTEXT));
        ProvisioningContext context = context(spec);
        Map<String, String> clusterz = Map.of(
                "aa", "[{\"id\":\"aa\",\"secretName\":\"\",\"syncStatus\":\"synced\"},"
                        + "{\"id\":\"bb\",\"secretName\":\"istio-system/istio-remote-secret-bb\",\"syncStatus\":\"synced\"}]",
                "bb", "[{\"id\":\"aa\",\"secretName\":\"istio-system/istio-remote-secret-aa\",\"syncStatus\":\"timeout\"}]");
        Map<String, String> clusterzWithoutPeer = Map.of("aa", "[{\"id\":\"aa\",\"secretName\":\"\",\"syncStatus\":\"synced\"}]",
                "bb", "[]");
        List<String> execs = java.util.Collections.synchronizedList(new ArrayList<>());
        PodExec exec = (client, namespace, pod, container, timeout, command) -> {
            String cluster = clients.entrySet().stream().filter(e -> e.getValue() == client).findFirst().orElseThrow().getKey();
            execs.add(cluster + " " + namespace + "/" + pod + " " + container + " " + String.join(" ", command));
            return new ExecResult(0, clusterz.get(cluster), "");
        };
        for (String cluster : spec.clusterNames()) {
            runningIstiod(clients.get(cluster));
        }
        // when
        MeshHealth health = new IstioInstaller(context, exec).health();
        // then
        assertThat(execs).contains("aa istio-system/istiod-abc discovery pilot-discovery request GET /debug/clusterz");
        assertThat(health.ready()).isFalse();
        assertThat(health.cluster("aa").orElseThrow().ready()).isTrue();
        assertThat(health.cluster("aa").orElseThrow().peerStatus()).containsExactly(Map.entry("bb", "synced"));
        assertThat(health.cluster("bb").orElseThrow().problems()).singleElement().asString()
                .contains("cluster aa is in 'timeout'", "https://192.168.200.2:8443", "unreachable from bb's pods",
                        "token in istio-system/istio-remote-secret-aa is wrong");
        assertThat(health.toString()).startsWith("Mesh not ready").contains("[aa] istiod available, peers {bb=synced}");

        // when the peers are missing
        MeshHealth missing = new IstioInstaller(context, (client, namespace, pod, container, timeout, command) ->
                new ExecResult(0, clusterzWithoutPeer.get(client == clients.get("aa") ? "aa" : "bb"), "")).health();
        // then
        assertThat(missing.cluster("aa").orElseThrow().problems()).singleElement().asString()
                .contains("istiod does not know cluster bb: remote secret istio-system/istio-remote-secret-bb is missing in aa");
        assertThat(missing.ready()).isFalse();
    }

    @Test
    void checks_every_clusters_istiod_at_once_its_clusterz_exec_included() {
        // given two healthy clusters whose clusterz execs answer only while both are in flight
        MeshSpec spec = spec(MeshSpec.builder().clusters("aa", "bb").trust(TrustMode.PLAINTEXT));
        ProvisioningContext context = context(spec);
        for (String cluster : spec.clusterNames()) {
            runningIstiod(clients.get(cluster));
        }
        java.util.concurrent.CyclicBarrier bothAsking = new java.util.concurrent.CyclicBarrier(2);
        PodExec exec = (client, namespace, pod, container, timeout, command) -> {
            String cluster = client == clients.get("aa") ? "aa" : "bb";
            String peer = cluster.equals("aa") ? "bb" : "aa";
            try {
                bothAsking.await(io.github.mcmesh.testing.MeetingServers.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return new ExecResult(1, "", "the other istiod was not asked meanwhile");
            }
            return new ExecResult(0, "[{\"id\":\"" + peer + "\",\"secretName\":\"istio-system/istio-remote-secret-" + peer
                    + "\",\"syncStatus\":\"synced\"}]", "");
        };

        // when
        MeshHealth health = new IstioInstaller(context, exec).health();

        // then
        assertThat(health.ready()).as("%s", health).isTrue();
    }

    @Test
    void the_roots_of_every_cluster_are_compared_once_all_are_read_naming_each_cluster_without_one() {
        // given a shared root in aa, none in bb
        MeshSpec spec = spec(MeshSpec.builder().clusters("aa", "bb").trust(TrustMode.SHARED_ROOT_CA));
        ProvisioningContext context = context(spec);
        for (String cluster : spec.clusterNames()) {
            runningIstiod(clients.get(cluster));
        }
        clients.get("aa").secrets().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("cacerts").withNamespace("istio-system").endMetadata()
                .addToData("root-cert.pem", "cm9vdA==").build()).create();

        // when
        MeshHealth health = new IstioInstaller(context, (client, namespace, pod, container, timeout, command) ->
                new ExecResult(0, "[]", "")).health();

        // then
        assertThat(health.toString()).contains("cluster bb has no secret istio-system/cacerts with root-cert.pem: its istiod uses"
                + " a self-signed CA, so mTLS to other clusters fails and retries go local")
                .doesNotContain("cluster aa has no secret");
    }

    @Test
    void reads_clusterz_in_the_ready_istiod_pod_when_another_runs_without_being_ready() {
        // given in every cluster a running istiod pod listed first that fails its readiness probe, and a ready one
        MeshSpec spec = spec(MeshSpec.builder().clusters("aa", "bb").trust(TrustMode.PLAINTEXT));
        ProvisioningContext context = context(spec);
        for (String cluster : spec.clusterNames()) {
            runningIstiod(clients.get(cluster));
            clients.get(cluster).pods().inNamespace("istio-system").resource(IstiodTest.pod("istiod-0", "Running", false, false))
                    .create();
            clients.get(cluster).pods().inNamespace("istio-system").resource(IstiodTest.pod("istiod-xyz", "Running", true, false))
                    .create();
        }
        List<String> pods = java.util.Collections.synchronizedList(new ArrayList<>());
        PodExec exec = (client, namespace, pod, container, timeout, command) -> {
            pods.add(pod);
            return new ExecResult(0, "[]", "");
        };

        // when
        new IstioInstaller(context, exec).health();

        // then the pod the diagnostics pick too (Istiod.pod): ready first
        assertThat(pods).containsExactly("istiod-xyz", "istiod-xyz");
    }

    @Test
    void installs_from_a_local_release_given_its_root_or_its_charts_directory_instead_of_the_repository() throws Exception {
        // given istio-1.18.2/manifests/charts as the release archive unpacks it
        Path charts = temp.resolve("istio-1.18.2/manifests/charts");
        Files.createDirectories(charts.resolve("base"));
        Files.writeString(charts.resolve("base/Chart.yaml"), "apiVersion: v2\nname: base\nversion: 1.18.2\nappVersion: 1.18.2\n");
        Files.createDirectories(charts.resolve("istio-control/istio-discovery"));
        Files.writeString(charts.resolve("istio-control/istio-discovery/Chart.yaml"),
                "apiVersion: v2\nname: istiod\nversion: 1.18.2\nappVersion: 1.18.2\n");

        for (Path given : List.of(temp.resolve("istio-1.18.2"), charts)) {
            MeshSpec spec = spec(MeshSpec.builder().istioVersion("1.18.2").kubernetesVersion("v1.26.8")
                    .sources(Sources.defaults().withIstioCharts(given.toString())));
            IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());
            int before = fakes.invocationsOf("helm").size();

            // when
            run(istio.installSteps("mcmesh-east"));

            // then
            List<String> upgrades = fakes.invocationsOf("helm").subList(before, fakes.invocationsOf("helm").size()).stream()
                    .filter(line -> line.startsWith("helm upgrade")).toList();
            assertThat(upgrades).as("given %s", given).hasSize(2).noneMatch(line -> line.contains("--repo"));
            assertThat(upgrades.get(0)).startsWith("helm upgrade --install istio-base " + charts.resolve("base") + " -n istio-system");
            assertThat(upgrades.get(1)).startsWith("helm upgrade --install istiod "
                    + charts.resolve("istio-control/istio-discovery") + " -n istio-system");
            assertThat(istio.installSteps("mcmesh-east")).allMatch(Step::holds);
            clients.values().forEach(client -> client.namespaces().withName("istio-system").delete());
            Files.walk(fakes.stateDirectory().resolve("helm")).sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void uses_a_chart_repository_mirror_with_repo_and_an_oci_registry_by_reference() {
        // given
        MeshSpec mirror = spec(MeshSpec.builder().sources(Sources.defaults().withIstioCharts("https://charts.example.com/istio")));
        MeshSpec oci = spec(MeshSpec.builder().clusters("aa", "bb")
                .sources(Sources.defaults().withIstioCharts("oci://registry.example.com/istio-release/charts/")));

        // when
        run(new IstioInstaller(context(mirror), unusedExec()).installSteps("mcmesh-east"));
        run(new IstioInstaller(context(oci), unusedExec()).installSteps("aa"));

        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade --install istio-base"))
                .containsExactly(
                        "helm upgrade --install istio-base base --repo https://charts.example.com/istio --version 1.30.3"
                                + " -n istio-system --create-namespace --kube-context mcmesh-east --wait --timeout 600s",
                        "helm upgrade --install istio-base oci://registry.example.com/istio-release/charts/base --version 1.30.3"
                                + " -n istio-system --create-namespace --kube-context aa --wait --timeout 600s");
    }

    @Test
    void sets_the_hub_and_the_pass_through_values_after_its_own_and_upgrades_again_when_a_values_file_changes() throws Exception {
        // given a values file (JSON, which is YAML too) and values as a user writes them for --set
        Path file = Files.writeString(temp.resolve("istiod-values.yaml"), "{\"pilot\": {\"traceSampling\": 1.0}}");
        MeshSpec spec = spec(MeshSpec.builder().dnsProxying(false)
                .sources(Sources.defaults().withIstioHub("registry.example.com/istio"))
                .passThrough(PassThrough.none().withHelmValues(List.of("pilot.env.PILOT_TRACE=true", "meshConfig.note=a\\,b"))
                        .withHelmValuesFiles(List.of(file))));
        IstioInstaller istio = new IstioInstaller(context(spec), unusedExec());

        // when
        run(istio.installSteps("mcmesh-east"));

        // then
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade --install istiod")).containsExactly(
                "helm upgrade --install istiod istiod --repo " + REPO + " --version 1.30.3 -n istio-system"
                        + " --create-namespace --kube-context mcmesh-east --wait --timeout 600s"
                        + " --set global.meshID=mesh1 --set global.multiCluster.clusterName=mcmesh-east"
                        + " --set global.network=network1 --set resources.requests.cpu=100m"
                        + " --set resources.requests.memory=512Mi --set global.hub=registry.example.com/istio"
                        + " --set pilot.env.PILOT_TRACE=true --set meshConfig.note=a\\,b --values " + file);
        assertThat(istio.installSteps("mcmesh-east")).allMatch(Step::holds);

        // when the values file changes
        Files.writeString(file, "{\"pilot\": {\"traceSampling\": 5.0}}");

        // then the istiod release no longer holds, and a rerun upgrades it
        List<Step> steps = istio.installSteps("mcmesh-east");
        assertThat(steps).filteredOn(step -> step.name().equals("helm install istiod")).noneMatch(Step::holds);
        run(steps);
        assertThat(fakes.invocationsOf("helm")).filteredOn(line -> line.startsWith("helm upgrade --install istiod")).hasSize(2);
        assertThat(istio.installSteps("mcmesh-east")).allMatch(Step::holds);
    }

    // --- fixtures

    private MeshSpec spec(MeshSpec.Builder builder) {
        MeshSpec defaults = builder.stateDirectory(temp.resolve("state")).build();
        Timeouts timeouts = defaults.timeouts().command().equals(Timeouts.defaults().command())
                ? defaults.timeouts().withCommand(Duration.ofSeconds(10)) : defaults.timeouts();
        return defaults.toBuilder().timeouts(timeouts).build();
    }

    private ProvisioningContext context(MeshSpec spec) {
        ProvisioningContext context = new ProvisioningContext(spec, fakes.runner());
        for (int i = 0; i < spec.clusterNames().size(); i++) {
            String name = spec.clusterNames().get(i);
            String ip = "192.168.200." + (2 + i);
            context.register(new ClusterConnection(name, clients.computeIfAbsent(name, n -> newCluster()), ip,
                    "https://" + ip + ":8443"));
        }
        return context;
    }

    private KubernetesClient newCluster() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        for (var definition : List.of(PlaintextPolicy.DESTINATION_RULES, PlaintextPolicy.PEER_AUTHENTICATIONS,
                AccessLogTelemetry.TELEMETRIES)) {
            server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(definition.getGroup())
                    .withVersion(definition.getVersion()).withKind(definition.getKind())
                    .withPlural(definition.getPlural()).withScope("Namespaced").build());
        }
        servers.add(server);
        return server.createClient();
    }

    /** Fills in the reader token once the secret appears, a little later, as kube-controller-manager would. */
    private CompletableFuture<Void> playTokenController(String cluster) {
        KubernetesClient client = clients.get(cluster);
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < deadline) {
                Secret secret = client.secrets().inNamespace("istio-system")
                        .withName("istio-reader-service-account-istio-remote-secret-token").get();
                if (secret != null) {
                    sleep(300);
                    secret.setData(Map.of("token", Base64.getEncoder().encodeToString((TOKEN + "-" + cluster).getBytes()),
                            "ca.crt", CA_DATA, "namespace", Base64.getEncoder().encodeToString("istio-system".getBytes())));
                    client.secrets().inNamespace("istio-system").resource(secret).update();
                    return;
                }
                sleep(50);
            }
            throw new IllegalStateException("no token secret was created in " + cluster);
        });
    }

    private static void runningIstiod(KubernetesClient client) {
        client.apps().deployments().inNamespace("istio-system").resource(new DeploymentBuilder().withNewMetadata()
                .withName("istiod").withNamespace("istio-system").endMetadata().withNewStatus().withAvailableReplicas(1)
                .endStatus().build()).create();
        client.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata().withName("istiod-abc")
                .withNamespace("istio-system").addToLabels("app", "istiod").endMetadata().withNewStatus()
                .withPhase("Running").endStatus().build()).create();
    }

    private Secret cacerts(String cluster) {
        return clients.get(cluster).secrets().inNamespace("istio-system").withName("cacerts").get();
    }

    private static void run(List<Step> steps) {
        steps.stream().filter(step -> !step.holds()).forEach(Step::apply);
    }

    private static PodExec unusedExec() {
        return (client, namespace, pod, container, timeout, command) -> {
            throw new AssertionError("no exec expected");
        };
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
