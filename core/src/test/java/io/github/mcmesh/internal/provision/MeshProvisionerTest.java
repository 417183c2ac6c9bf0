package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandFailedException;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.ToolNotFoundException;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.spec.CleanupPolicy;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.ReusePolicy;
import io.github.mcmesh.spec.ToolPaths;
import io.github.mcmesh.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MeshProvisionerTest {

    private static final String EAST = "mcmesh-east";
    private static final String WEST = "mcmesh-west";
    /** As minikube creates its networks (network_create.go), with the default bridge's MTU. */
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

    private MeshFixture fixture(MeshSpec spec) {
        fixture = MeshFixture.create(tmp, spec);
        return fixture;
    }

    private List<String> tools() {
        return fixture.fakes().invocations();
    }

    private List<String> since(int mark) {
        List<String> all = tools();
        return all.subList(mark, all.size());
    }

    private void provisionAndClose(MeshSpec spec) {
        fixture.provisioner(spec).provision().close();
    }

    @Test
    void cold_provision_creates_the_network_then_starts_both_clusters_in_parallel_then_routes_and_marks() throws IOException {
        // given
        fixture(MeshSpec.defaults());
        fixture.fakes().steer("delay-minikube-start", "1");

        // when
        try (ProvisionedMesh mesh = fixture.provisioner().provision()) {

            // then
            assertThat(tools()).contains(
                    fixture.networkCreate(),
                    "minikube start -p mcmesh-east --driver=docker --container-runtime=docker --kubernetes-version=v1.35.1"
                            + " --cni=kindnet --extra-config=kubeadm.pod-network-cidr=10.10.0.0/16"
                            + " --service-cluster-ip-range=10.255.10.0/24 --memory=4096 --cpus=2 --network=mcmesh"
                            + " --static-ip=192.168.200.2 --keep-context --wait=all " + fixture.nodeLabelFlag(EAST),
                    "docker exec mcmesh-east ip route replace 10.20.0.0/16 via 192.168.200.3",
                    "docker exec mcmesh-east ip route replace 10.255.20.0/24 via 192.168.200.3",
                    "docker exec mcmesh-west ip route replace 10.10.0.0/16 via 192.168.200.2",
                    "docker exec mcmesh-west ip route replace 10.255.10.0/24 via 192.168.200.2");
            assertThat(tools().indexOf(fixture.networkCreate()))
                    .isLessThan(firstIndexStartingWith("minikube start"));
            assertThat(startInterval(EAST)[0]).as("east starts before west's start ends").isLessThan(startInterval(WEST)[1]);
            assertThat(startInterval(WEST)[0]).as("west starts before east's start ends").isLessThan(startInterval(EAST)[1]);
            assertThat(mesh.connections()).extracting(ClusterConnection::name, ClusterConnection::nodeIp, ClusterConnection::apiServerUrl)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(EAST, "192.168.200.2", "https://192.168.200.2:8443"),
                            org.assertj.core.groups.Tuple.tuple(WEST, "192.168.200.3", "https://192.168.200.3:8443"));
            assertThat(fixture.istioLog).contains("install mcmesh-east", "install mcmesh-west",
                    "remote secrets mcmesh-east", "remote secrets mcmesh-west");
            ClusterMarker marker = ClusterMarker.from(fixture.marker(EAST));
            assertThat(marker.owned()).isTrue();
            assertThat(marker.identity()).isEqualTo("mcmesh-east+mcmesh-west@mesh1");
            assertThat(marker.bootId()).isEqualTo("boot-1");
            assertThat(Fingerprint.of(fixture.spec()).changesFrom(marker.fingerprint())).isEmpty();
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.matches("\\[mcmesh-west] start cluster done in \\d+\\.\\d s"));
        }
    }

    @Test
    void given_clusters_on_different_networks_when_provisioned_then_no_routes_go_between_their_pod_networks() {
        // given
        MeshSpec spec = MeshSpec.builder().cluster(EAST, c -> c.network("net-east")).cluster(WEST, c -> c.network("net-west"))
                .build();
        fixture(spec);
        // when
        fixture.provisioner().provision().close();
        // then
        assertThat(tools()).noneMatch(call -> call.contains("ip route replace"));
        assertThat(Fingerprint.of(fixture.spec()).changesFrom(ClusterMarker.from(fixture.marker(EAST)).fingerprint())).isEmpty();
    }

    @Test
    void a_rerun_of_a_healthy_mesh_reads_each_routing_table_once_and_changes_nothing() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        int toolCalls = tools().size();
        int requests = fixture.apiRequests();

        // when (how long it takes is ProvisioningBenchmark's to show)
        try (ProvisionedMesh mesh = fixture.provisioner().provision()) {

            // then: the marker and node per cluster through the API, and one routing table read per cluster
            assertThat(since(toolCalls)).containsExactlyInAnyOrder("docker exec mcmesh-east ip route show",
                    "docker exec mcmesh-west ip route show");
            assertThat(fixture.apiRequests() - requests).as("marker + node per cluster").isEqualTo(4);
            assertThat(mesh.connections()).extracting(ClusterConnection::nodeIp).containsExactly("192.168.200.2", "192.168.200.3");
        }
    }

    @Test
    void an_unreadable_routing_table_keeps_the_mesh_from_the_warm_path_naming_the_cluster_and_the_reason() {
        // given a healthy mesh whose docker daemon no longer answers execs into the nodes
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        fixture.fakes().steer("fail-docker-exec", "1\nError response from daemon: container 4f2a9c0d3b6e is not running\nmore");

        // when
        Optional<ProvisionedMesh> warm = fixture.provisioner().reuseIfReady();

        // then
        assertThat(warm).isEmpty();
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains(
                "the node of 'mcmesh-east' lacks the routes [(routing table unreadable: "))
                .anyMatch(m -> m.contains("the node of 'mcmesh-west' lacks the routes [(routing table unreadable: "));
    }

    @Test
    void a_route_removed_without_a_reboot_is_seen_on_reuse_and_reapplied() throws IOException {
        // given: west's route to east's pods is gone, the node did not reboot (same boot ID)
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        Path routes = fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-west/routes");
        Files.write(routes, Files.readAllLines(routes).stream().filter(line -> !line.startsWith("10.10.0.0/16 ")).toList());
        int mark = tools().size();

        // when
        provisionAndClose(fixture.spec());

        // then
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains(
                "the node of 'mcmesh-west' lacks the routes [10.10.0.0/16 via 192.168.200.2]"));
        assertThat(since(mark)).contains("docker exec mcmesh-west ip route replace 10.10.0.0/16 via 192.168.200.2")
                .noneMatch(line -> line.startsWith("minikube start") || line.startsWith("docker exec mcmesh-east ip route replace"));
        assertThat(Files.readAllLines(routes)).contains("10.10.0.0/16 via 192.168.200.2 dev eth0 ");
    }

    @Test
    void with_a_vm_driver_the_warm_path_reads_the_routing_tables_through_minikube_ssh() {
        // given a mesh of kvm2 VMs (no node container to docker exec into)
        fixture(MeshSpec.builder().driver("kvm2").build());
        provisionAndClose(fixture.spec());
        int mark = tools().size();

        // when
        provisionAndClose(fixture.spec());

        // then
        assertThat(since(mark)).containsExactlyInAnyOrder("minikube ssh -p mcmesh-east -- ip route show",
                "minikube ssh -p mcmesh-west -- ip route show");
    }

    @Test
    void routes_in_place_are_recognised_in_ip_route_show_output_and_not_reapplied() throws IOException {
        // given: a provisioned mesh whose marker is gone, so the routes step runs its check
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        try (var client = fixture.client(EAST)) {
            client.configMaps().inNamespace(ClusterMarker.NAMESPACE).withName(ClusterMarker.NAME).delete();
        }
        int mark = tools().size();

        // when
        provisionAndClose(fixture.spec());

        // then: "10.20.0.0/16 via 192.168.200.3 dev eth0" holds the route "10.20.0.0/16 via 192.168.200.3"
        assertThat(since(mark)).contains("docker exec mcmesh-east ip route show")
                .noneMatch(line -> line.contains("ip route replace"));
    }

    @Test
    void after_a_node_reboot_the_routes_are_checked_and_reapplied_without_restarting_the_cluster() throws IOException {
        // given: east's node rebooted, which dropped its routes
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        fixture.nodeAndCoreDns(EAST, "192.168.200.2", "boot-2", "10.10.0.2");
        Files.delete(fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-east/routes"));
        int mark = tools().size();

        // when
        provisionAndClose(fixture.spec());

        // then
        assertThat(since(mark)).noneMatch(line -> line.startsWith("minikube start") || line.startsWith("docker network create"))
                .contains("docker exec mcmesh-east ip route show",
                        "docker exec mcmesh-east ip route replace 10.20.0.0/16 via 192.168.200.3")
                .noneMatch(line -> line.startsWith("minikube ssh -p mcmesh-west"));
        assertThat(ClusterMarker.from(fixture.marker(EAST)).bootId()).isEqualTo("boot-2");
    }

    enum Failure {
        NETWORK("create node network", null, f -> f.fakes().steer("fail-docker-network-create",
                "1\nError response from daemon: Pool overlaps with other one on this address space")),
        START("start cluster", WEST, f -> f.fakes().steer("fail-minikube-start-mcmesh-west",
                "80\nX Exiting due to GUEST_PROVISION: Failed to start host: can't create with that IP, address already in use")),
        ROUTE("route peer pod networks", EAST, f -> f.fakes().steer("fail-docker-exec-route-replace-mcmesh-east",
                "2\nError: Nexthop has invalid gateway.")),
        ISTIO("install istio", WEST, f -> f.istioFailing.add(WEST)),
        VERIFY("verify mesh", null, f -> f.istioReady = false);

        final String step;
        final String cluster;
        final Consumer<MeshFixture> inject;

        Failure(String step, String cluster, Consumer<MeshFixture> inject) {
            this.step = step;
            this.cluster = cluster;
            this.inject = inject;
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void a_rerun_after_a_failure_resumes_without_redoing_what_holds(Failure failure) throws IOException {
        // given
        fixture(MeshSpec.defaults());
        failure.inject.accept(fixture);

        // when
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOfSatisfying(ProvisioningException.class, e -> {
                    assertThat(e.step()).hasValueSatisfying(step -> assertThat(step).startsWith(failure.step));
                    assertThat(e.cluster()).isEqualTo(java.util.Optional.ofNullable(failure.cluster));
                });
        assertThat(fixture.marker(EAST)).as("no marker before the mesh is complete").isNull();
        clearInjections();
        List<String> running = runningProfiles();
        int mark = tools().size();
        provisionAndClose(fixture.spec());

        // then
        assertThat(since(mark)).noneMatch(line -> running.stream().anyMatch(p -> line.startsWith("minikube start -p " + p + " ")))
                .noneMatch(line -> line.startsWith("minikube delete"));
        assertThat(fixture.marker(EAST)).isNotNull();
        assertThat(fixture.marker(WEST)).isNotNull();
        assertThat(tools()).filteredOn(line -> line.startsWith("docker network create")).hasSize(failure == Failure.NETWORK ? 2 : 1);
    }

    @Test
    void a_failing_start_names_cluster_step_command_exit_code_and_stderr() {
        // given
        fixture(MeshSpec.defaults());
        fixture.fakes().steer("fail-minikube-start-mcmesh-west",
                "80\nX Exiting due to GUEST_PROVISION: Failed to start host: can't create with that IP, address already in use");

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageStartingWith("[mcmesh-west] start cluster failed: ")
                .hasCauseInstanceOf(CommandFailedException.class)
                .satisfies(e -> {
                    CommandFailedException cause = (CommandFailedException) e.getCause();
                    assertThat(cause.commandLine()).startsWith("minikube start -p mcmesh-west --driver=docker");
                    assertThat(cause.exitCode()).hasValue(80);
                    assertThat(cause.getMessage()).contains("can't create with that IP");
                });
    }

    @Test
    void a_foreign_cluster_that_differs_from_the_spec_is_refused_with_the_diff_and_never_touched() {
        // given: someone else's profile with the requested name, on another Kubernetes version
        fixture(MeshSpec.defaults());
        MeshSpec theirs = fixture.spec(b -> b.kubernetesVersion("1.34.2"));
        fixture.minikube()
                .start(theirs, theirs.clusters().get(0), MinikubeTest.MINIKUBE);
        int mark = tools().size();

        // when / then
        for (ReusePolicy policy : List.of(ReusePolicy.IF_HEALTHY, ReusePolicy.NEVER)) {
            assertThatThrownBy(() -> fixture.provisioner(fixture.spec(b -> b.reuse(policy))).provision())
                    .isInstanceOf(ProvisioningException.class)
                    .hasMessageContaining("mcmesh-east: ")
                    .hasMessageContaining(policy == ReusePolicy.NEVER ? "never deletes it" : "mcmesh.kubernetes.version: v1.34.2 -> v1.35.1");
        }
        assertThat(since(mark)).noneMatch(line -> line.startsWith("minikube start") || line.startsWith("minikube delete")
                || line.startsWith("minikube ssh") || line.startsWith("docker network create"));
    }


    @Test
    void node_level_drift_on_owned_clusters_deletes_and_recreates_them() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        int mark = tools().size();

        // when
        provisionAndClose(fixture.spec(b -> b.kubernetesVersion("1.34.2")));

        // then
        assertThat(since(mark)).contains("minikube delete -p mcmesh-east", "minikube delete -p mcmesh-west")
                .anyMatch(line -> line.startsWith("minikube start -p mcmesh-east ") && line.contains("--kubernetes-version=v1.34.2"));
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("[mcmesh-east] deleting and recreating the cluster: node-level drift [mcmesh.kubernetes.version: 1.35.1 -> 1.34.2]"));
    }

    @Test
    void istio_level_drift_keeps_the_clusters_and_rewrites_the_marker() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        int mark = tools().size();
        MeshSpec changed = fixture.spec(b -> b.istiodResources("200m", "1Gi"));

        // when
        provisionAndClose(changed);

        // then
        assertThat(since(mark)).noneMatch(line -> line.startsWith("minikube start") || line.startsWith("minikube delete"));
        assertThat(Fingerprint.of(changed).changesFrom(ClusterMarker.from(fixture.marker(WEST)).fingerprint())).isEmpty();
    }

    @Test
    void reuse_never_deletes_and_recreates_owned_clusters() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        int mark = tools().size();

        // when
        provisionAndClose(fixture.spec(b -> b.reuse(ReusePolicy.NEVER)));

        // then
        assertThat(since(mark)).contains("minikube delete -p mcmesh-east", "minikube delete -p mcmesh-west")
                .anyMatch(line -> line.startsWith("minikube start -p mcmesh-west "));
    }

    @Test
    void reuse_required_fails_with_the_diff_and_changes_nothing() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        int mark = tools().size();

        // when / then
        assertThatThrownBy(() -> fixture.provisioner(fixture.spec(b -> b.reuse(ReusePolicy.REQUIRED).kubernetesVersion("1.34.2")))
                .provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("mcmesh.reuse=required, but mesh")
                .hasMessageContaining("cluster 'mcmesh-east' drifted: [mcmesh.kubernetes.version: 1.35.1 -> 1.34.2]");
        assertThat(since(mark)).isEmpty();
    }

    @Test
    void pod_ips_outside_the_pod_cidr_fail_and_explain_the_bridge_cni() {
        // given: west's CNI hands out minikube's bridge range whatever the pod-network-cidr
        fixture(MeshSpec.defaults());
        fixture.nodeAndCoreDns(WEST, "192.168.200.3", "boot-1", "10.244.0.3");

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOfSatisfying(ProvisioningException.class, e -> {
                    assertThat(e.cluster()).hasValue(WEST);
                    assertThat(e.step()).hasValue("connect and check pod network");
                })
                .hasMessageContaining("pods get IPs [10.244.0.3] outside the cluster's podCidr 10.20.0.0/16")
                .hasMessageContaining("Use cni=kindnet");
    }

    @Test
    void a_missing_minikube_fails_before_anything_runs() throws IOException {
        // given
        fixture(MeshSpec.defaults());
        Path empty = Files.createDirectories(tmp.resolve("no-tools"));
        MeshSpec spec = fixture.spec(b -> b.tools(ToolPaths.onPath().withSearchPath(empty.toString())));

        // when / then
        assertThatThrownBy(() -> fixture.provisioner(spec).provision())
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("minikube");
        assertThat(tools()).isEmpty();
    }

    @Test
    void a_minikube_too_old_for_the_kubernetes_version_fails_before_any_change_naming_the_minimum() throws IOException {
        // given
        fixture(MeshSpec.defaults());
        Files.createDirectories(fixture.fakes().stateDirectory().resolve("minikube"));
        fixture.fakes().steer("minikube/version", "v1.34.0");

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .hasMessageContaining("minikube 1.34.0 is too old for Kubernetes v1.35.1")
                .hasMessageContaining("install minikube 1.38.0 or newer");
        // the preflight's reads run at once; none of them changes anything
        assertThat(tools()).contains("minikube version -o json").isSubsetOf("minikube version -o json",
                "minikube profile list -o json", "docker network inspect mcmesh", "docker network inspect bridge");
    }

    @Test
    void a_minikube_start_beyond_its_timeout_is_killed_and_reported() {
        // given
        fixture(MeshSpec.defaults());
        fixture.fakes().steer("delay-minikube-start", "30");
        MeshSpec spec = fixture.spec(b -> b.timeouts(fixture.spec().timeouts().withClusterStart(Duration.ofSeconds(1))));

        // when / then
        long started = System.nanoTime();
        assertThatThrownBy(() -> fixture.provisioner(spec).provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("start cluster failed")
                .cause().isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.timedOut()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void teardown_deletes_the_owned_clusters_and_the_network_mcmesh_created() {
        // given
        fixture(MeshSpec.defaults());
        ProvisionedMesh mesh = fixture.provisioner().provision();
        int mark = tools().size();

        // when
        mesh.teardown();
        mesh.close();

        // then
        assertThat(since(mark)).contains("minikube delete -p mcmesh-east", "minikube delete -p mcmesh-west", "docker network rm mcmesh");
        assertThat(fixture.spec().stateDirectory().resolve("owned")).isEmptyDirectory();
    }

    @Test
    void the_write_up_spec_starts_with_force_and_warns_why() {
        // given
        fixture(MinikubeTest.writeUpSpec());

        // when
        provisionAndClose(fixture.spec());

        // then
        assertThat(tools()).anyMatch(line -> line.startsWith("minikube start -p minikube ") && line.contains(" --force ")
                && line.contains("--docker-opt=bip=10.254.17.1/24") && line.contains("--extra-config=kubeadm.pod-network-cidr=172.17.0.0/16"));
        assertThat(logs.events()).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                && e.getFormattedMessage().equals("[test] Kubernetes v1.26.8 is older than minikube 1.38.1 supports; starting with --force"));
    }

    @Test
    void the_existing_provider_runs_no_tool_and_uninstalls_only_istio_on_teardown() {
        // given
        fixture(MeshSpec.builder().provider(Provider.EXISTING).build());

        // when
        ProvisionedMesh mesh = fixture.provisioner().provision();
        mesh.teardown();
        mesh.close();

        // then
        assertThat(tools()).isEmpty();
        assertThat(mesh.connections()).allSatisfy(c -> assertThat(c.apiServerUrl()).startsWith("http://"));
        assertThat(fixture.istioLog).contains("uninstall mcmesh-east", "uninstall mcmesh-west");
        assertThat(fixture.marker(EAST)).isNull();
    }

    @Test
    void the_existing_provider_rejects_clusters_whose_pods_use_another_clusters_range() {
        // given: west's pods come from east's range
        fixture(MeshSpec.builder().provider(Provider.EXISTING).build());
        fixture.nodeAndCoreDns(WEST, "10.0.0.9", "boot-1", "10.10.0.7");

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("[mcmesh-west] connect and check pod network failed: pods get IPs [10.10.0.7]");
    }

    @Test
    void the_view_scopes_every_cluster_to_its_namespace_with_its_own_client_and_node_ip() {
        // given
        fixture(MeshSpec.defaults());
        try (ProvisionedMesh mesh = fixture.provisioner().provision()) {

            // when
            io.github.mcmesh.Mesh view = mesh.view("orders-it");

            // then (apply/deploy go through WorkloadDeployer's server-side apply, which the CRUD mock server lacks)
            assertThat(view.namespace()).isEqualTo("orders-it");
            assertThat(view.clusterNames()).containsExactly(EAST, WEST);
            assertThat(view.cluster(WEST).nodeIp()).isEqualTo("192.168.200.3");
            assertThat(view.cluster(WEST).client().nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactly(WEST);
            assertThat(view.inNamespace("other").cluster(EAST).namespace()).isEqualTo("other");
        }
    }

    private void dockerEngine(String version) throws IOException {
        Files.createDirectories(fixture.fakes().stateDirectory().resolve("docker"));
        fixture.fakes().steer("docker/version", version);
    }

    @Test
    void an_existing_network_with_another_subnet_is_refused_before_any_start_naming_the_properties() throws IOException {
        // given a network of that name made by hand in another range
        fixture(MeshSpec.defaults());
        fixture.runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.DOCKER, "network", "create",
                "--driver=bridge", "--subnet=192.168.77.0/24", "--gateway=192.168.77.1", "mcmesh"));

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessage("docker network 'mcmesh' exists with subnet 192.168.77.0/24, but mcmesh.node.subnet is"
                        + " 192.168.200.0/24 and the static IPs lie in it; set mcmesh.node.subnet to 192.168.77.0/24 (and"
                        + " each @Cluster(staticIp) in it), choose another mcmesh.node.network, or remove the network");
        assertThat(tools()).noneMatch(line -> line.startsWith("minikube start"));
    }

    @Test
    void an_existing_network_without_gateway_is_refused_before_any_start_with_the_fix() throws IOException {
        // given a network made by hand with --subnet alone on Docker 28, which reports no gateway for it
        fixture(MeshSpec.defaults());
        dockerEngine("28.5.2");
        fixture.runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.DOCKER, "network", "create",
                "--driver=bridge", "--subnet=192.168.200.0/24", "mcmesh"));

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessage("docker network 'mcmesh' (192.168.200.0/24) reports no gateway in 'docker network inspect' (Docker"
                        + " Engine up to 28.x leaves it out for a network created with --subnet alone), so minikube passes"
                        + " neither --network nor --ip to 'docker run': the nodes land on Docker's default bridge with dynamic"
                        + " addresses and --static-ip is dropped, although the profile still records it. Remove it (docker"
                        + " network rm mcmesh) so mcmesh creates it as minikube does, or create it yourself with"
                        + " --gateway=192.168.200.1; or choose another nodeNetwork (mcmesh.node.network)");
        assertThat(tools()).noneMatch(line -> line.startsWith("minikube start") || line.startsWith("docker network create --driver=bridge --subnet=192.168.200.0/24 --gateway"));
    }

    @Test
    void a_node_without_its_static_ip_fails_naming_both_addresses_and_the_missing_gateway() throws IOException {
        // given east started on a network without gateway (Docker 28): minikube put the node on the default bridge
        fixture(MeshSpec.defaults());
        dockerEngine("28.5.2");
        fixture.runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.DOCKER, "network", "create",
                "--subnet=192.168.200.0/24", "mcmesh"));
        MeshSpec spec = fixture.spec();
        Minikube minikube = fixture.minikube();
        minikube.start(spec, spec.clusters().get(0), MinikubeTest.MINIKUBE);
        MinikubeProvider provider = new MinikubeProvider(new ProvisioningContext(spec, fixture.runner()), java.util.Map.of());

        // when
        KubeAccess.NodeFacts node;
        try (var client = fixture.client(EAST)) {
            node = KubeAccess.node(client);
        }

        // then: the profile still records the static IP, the node has another
        assertThat(minikube.profiles()).singleElement().extracting(Minikube.Profile::staticIp).isEqualTo("192.168.200.2");
        assertThat(minikube.ip(EAST)).isEqualTo("172.17.0.2");
        assertThatThrownBy(() -> provider.checkNode(spec.clusters().get(0), node))
                .hasMessage("node mcmesh-east of cluster mcmesh-east has InternalIP 172.17.0.2, not its static IP"
                        + " 192.168.200.2: docker network 'mcmesh' (192.168.200.0/24) reports no gateway in 'docker network"
                        + " inspect' (Docker Engine up to 28.x leaves it out for a network created with --subnet alone), so"
                        + " minikube passes neither --network nor --ip to 'docker run': the nodes land on Docker's default"
                        + " bridge with dynamic addresses and --static-ip is dropped, although the profile still records it."
                        + " Remove the network and the clusters (minikube delete -p mcmesh-east; docker network rm mcmesh)"
                        + " and rerun: mcmesh creates the network with --gateway=192.168.200.1");
    }

    @Test
    void a_node_that_got_another_address_fails_the_connect_step() {
        // given a provisioned mesh; after a reboot west's node reports an address other than its static IP
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        fixture.nodeAndCoreDns(WEST, "192.168.200.9", "boot-2", "10.20.0.2");

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOfSatisfying(ProvisioningException.class, e -> {
                    assertThat(e.cluster()).hasValue(WEST);
                    assertThat(e.step()).hasValue("connect and check pod network");
                })
                .hasMessageContaining("node mcmesh-west of cluster mcmesh-west has InternalIP 192.168.200.9, not its static IP"
                        + " 192.168.200.3: docker network 'mcmesh' reports gateway 192.168.200.1");
    }

    @Test
    void kindnet_gets_every_clusters_pod_range_as_its_pod_subnet_after_start() {
        // given minikube's kindnet manifest, POD_SUBNET=10.244.0.0/16 in every cluster
        fixture(MeshSpec.defaults());
        assertThat(fixture.kindnetPodSubnet(EAST)).isEqualTo("10.244.0.0/16");

        // when
        provisionAndClose(fixture.spec());

        // then kindnetd does not masquerade traffic to any cluster's pods
        assertThat(fixture.kindnetPodSubnet(EAST)).isEqualTo("10.10.0.0/16,10.20.0.0/16");
        assertThat(fixture.kindnetPodSubnet(WEST)).isEqualTo("10.10.0.0/16,10.20.0.0/16");
    }

    @Test
    void kindnet_pod_subnet_is_set_again_after_minikube_reapplied_its_manifest() {
        // given a provisioned mesh; east's node rebooted and minikube re-applied kindnet's manifest
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        try (var client = fixture.client(EAST)) {
            client.apps().daemonSets().inNamespace("kube-system").resource(MeshFixture.kindnetDaemonSet("10.244.0.0/16")).update();
        }
        fixture.nodeAndCoreDns(EAST, "192.168.200.2", "boot-2", "10.10.0.2");
        int logMark = logs.events().size();

        // when
        provisionAndClose(fixture.spec());

        // then
        assertThat(fixture.kindnetPodSubnet(EAST)).isEqualTo("10.10.0.0/16,10.20.0.0/16");
        assertThat(logs.events().subList(logMark, logs.events().size())).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("[mcmesh-east] exempt peer pod ranges from kindnet's masquerade done"))
                .noneMatch(m -> m.startsWith("[mcmesh-west] exempt peer pod ranges from kindnet's masquerade done"));
    }

    private void clearInjections() throws IOException {
        try (var files = Files.list(fixture.fakes().stateDirectory())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("fail-")).toList()) {
                Files.delete(file);
            }
        }
        fixture.istioFailing.clear();
        fixture.istioReady = true;
    }

    private List<String> runningProfiles() throws IOException {
        Path profiles = fixture.fakes().stateDirectory().resolve("minikube/profiles");
        if (!Files.isDirectory(profiles)) {
            return List.of();
        }
        try (var dirs = Files.list(profiles)) {
            // as minikube status says: a start killed before it wrote the kube context left a profile that is not running
            return dirs.filter(d -> Files.exists(d.resolve("args"))).map(d -> d.getFileName().toString())
                    .filter(profile -> fixture.minikube().status(profile).running()).toList();
        }
    }

    private int firstIndexStartingWith(String prefix) {
        List<String> all = tools();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private double[] startInterval(String profile) throws IOException {
        Path dir = fixture.fakes().stateDirectory().resolve("minikube");
        return new double[] {Double.parseDouble(Files.readString(dir.resolve("start-" + profile + ".begin")).strip()),
                Double.parseDouble(Files.readString(dir.resolve("start-" + profile + ".end")).strip())};
    }

    @Test
    void the_warm_check_alone_reuses_a_healthy_mesh_reading_only_the_routing_tables() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        int toolCalls = tools().size();

        // when
        java.util.Optional<ProvisionedMesh> warm = fixture.provisioner().reuseIfReady();

        // then
        assertThat(warm).hasValueSatisfying(mesh -> assertThat(mesh.connections()).extracting(ClusterConnection::nodeIp)
                .containsExactly("192.168.200.2", "192.168.200.3"));
        warm.get().close();
        assertThat(since(toolCalls)).containsExactlyInAnyOrder("docker exec mcmesh-east ip route show",
                "docker exec mcmesh-west ip route show");
    }

    @Test
    void the_warm_check_alone_changes_nothing_when_the_mesh_is_not_ready_and_under_reuse_never() {
        // given: no mesh yet
        fixture(MeshSpec.defaults());

        // when
        java.util.Optional<ProvisionedMesh> cold = fixture.provisioner().reuseIfReady();
        provisionAndClose(fixture.spec());
        int toolCalls = tools().size();
        java.util.Optional<ProvisionedMesh> never = fixture.provisioner(fixture.spec(b -> b.reuse(ReusePolicy.NEVER))).reuseIfReady();

        // then
        assertThat(cold).isEmpty();
        assertThat(never).isEmpty();
        assertThat(since(toolCalls)).isEmpty();
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains(
                "Mesh mcmesh-east+mcmesh-west@mesh1 is not ready to reuse as it is: no kube context 'mcmesh-east';"
                        + " no kube context 'mcmesh-west'");
    }

    @Test
    void istio_is_installed_beside_the_routes_not_after_them() {
        // given: east's route replace goes on only once Istio's install into east has begun (it fails after 20 s otherwise)
        fixture(MeshSpec.defaults());
        fixture.fakes().steer("await-docker-exec-route-replace-mcmesh-east", fixture.istioInstallBegun(EAST).toString());

        // when
        provisionAndClose(fixture.spec());

        // then: both ran, and the routes were in place before the mesh was verified and its markers written
        assertThat(fixture.istioLog).contains("install mcmesh-east");
        assertThat(tools()).contains("docker exec mcmesh-east ip route replace 10.20.0.0/16 via 192.168.200.3");
        assertThat(fixture.marker(EAST)).isNotNull();
    }

    @Test
    void a_cold_run_on_a_machine_without_the_clusters_contexts_opens_no_client_before_the_starts() {
        // given: no cluster yet, so the kubeconfig holds only the user's own context, as after minikube delete
        fixture(MeshSpec.defaults());
        requests(EAST);
        requests(WEST);
        try (WarmCheck check = fixture.provisioner().warmCheck()) {

            // when
            assertThat(check.reuseIfReady()).isEmpty();

            // then: nothing to read, nothing opened; provisioning opens each client after its start, lists each node once
            assertThat(check.context().clusters()).allSatisfy(cluster -> assertThat(cluster.client()).isEmpty());
            assertThat(check.context().clusters()).extracting(cluster -> cluster.problem().orElseThrow())
                    .containsExactly("no kube context 'mcmesh-east'", "no kube context 'mcmesh-west'");
            assertThat(requests(EAST)).isEmpty();
            try (ProvisionedMesh mesh = check.provision()) {
                assertThat(mesh.connections()).hasSize(2);
                assertThat(requests(EAST)).filteredOn(line -> line.equals("GET /api/v1/nodes")).hasSize(1);
                assertThat(requests(WEST)).filteredOn(line -> line.equals("GET /api/v1/nodes")).hasSize(1);
            }
        }
    }

    @Test
    void a_rerun_after_a_failed_provisioning_goes_on_with_the_clients_and_node_reads_of_its_warm_check() {
        // given: the clusters run (their contexts written), but Istio failed in west, so there is no marker yet
        fixture(MeshSpec.defaults());
        fixture.istioFailing.add(WEST);
        assertThatThrownBy(() -> fixture.provisioner().provision()).isInstanceOf(ProvisioningException.class);
        fixture.istioFailing.clear();
        requests(EAST);
        requests(WEST);
        try (WarmCheck check = fixture.provisioner().warmCheck()) {
            assertThat(check.reuseIfReady()).isEmpty();
            KubernetesClient eastClient = check.context().cluster(EAST).client().orElseThrow();
            KubernetesClient westClient = check.context().cluster(WEST).client().orElseThrow();

            // when provisioning takes over (the exclusive gate, nothing changed in between)
            try (ProvisionedMesh mesh = check.provision()) {

                // then: the check's clients serve the mesh; each node is listed by the check and once more by the
                // connect step; the marker alone is read again
                assertThat(mesh.connections()).extracting(ClusterConnection::client).containsExactly(eastClient, westClient);
                assertThat(requests(EAST)).filteredOn(line -> line.equals("GET /api/v1/nodes")).hasSize(2);
                List<String> west = requests(WEST);
                assertThat(west).filteredOn(line -> line.equals("GET /api/v1/nodes")).hasSize(2);
                assertThat(west).filteredOn(line -> line.equals("GET /api/v1/namespaces/kube-system/configmaps/mcmesh-marker"))
                        .hasSizeGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void a_mesh_another_jvm_provisioned_between_the_gates_is_reused_through_the_markers_read_again() {
        // given: this JVM's warm check found no mesh, then another JVM provisioned it before this one got the exclusive gate
        fixture(MeshSpec.defaults());
        try (WarmCheck check = fixture.provisioner().warmCheck()) {
            assertThat(check.reuseIfReady()).isEmpty();
            provisionAndClose(fixture.spec());
            int toolCalls = tools().size();

            // when
            try (ProvisionedMesh mesh = check.provision()) {

                // then: reused as it is, the routing tables read and nothing run
                assertThat(since(toolCalls)).containsExactlyInAnyOrder("docker exec mcmesh-east ip route show",
                        "docker exec mcmesh-west ip route show");
                assertThat(mesh.connections()).extracting(ClusterConnection::nodeIp).containsExactly("192.168.200.2", "192.168.200.3");
            }
        }
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(message -> message.startsWith("Reusing mesh mcmesh-east+mcmesh-west@mesh1"));
    }

    @Test
    void a_node_another_jvm_restarted_between_the_gates_is_read_again_with_its_new_marker() {
        // given: the check saw a healthy mesh's marker, then another JVM rebooted east's node and provisioned again
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        fixture.istioReady = false;
        try (WarmCheck check = fixture.provisioner().warmCheck()) {
            assertThat(check.reuseIfReady()).isEmpty();
            fixture.istioReady = true;
            fixture.nodeAndCoreDns(EAST, "192.168.200.2", "boot-2", "10.10.0.2");
            provisionAndClose(fixture.spec());

            // when
            try (ProvisionedMesh mesh = check.provision()) {

                // then: the new boot ID was read with the new marker, so the routes count as applied under it
                assertThat(check.context().cluster(EAST).node()).hasValueSatisfying(node -> assertThat(node.bootId()).isEqualTo("boot-2"));
                assertThat(mesh.connections()).hasSize(2);
            }
        }
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(message -> message.startsWith("Reusing mesh mcmesh-east+mcmesh-west@mesh1"));
    }

    @Test
    void the_clients_of_a_warm_check_are_closed_once_when_provisioning_fails_and_when_nobody_takes_them_over() {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        fixture.istioReady = false;
        fixture.istioFailing.add(WEST);
        WarmCheck failing = fixture.provisioner().warmCheck();
        assertThat(failing.reuseIfReady()).isEmpty();
        KubernetesClient taken = failing.context().cluster(EAST).client().orElseThrow();
        WarmCheck abandoned = fixture.provisioner().warmCheck();
        assertThat(abandoned.reuseIfReady()).isEmpty();
        KubernetesClient left = abandoned.context().cluster(EAST).client().orElseThrow();

        // when
        assertThatThrownBy(failing::provision).isInstanceOf(ProvisioningException.class);
        failing.close();
        abandoned.close();
        abandoned.close();

        // then
        assertThat(taken.getHttpClient().isClosed()).isTrue();
        assertThat(left.getHttpClient().isClosed()).isTrue();
        assertThat(failing.context().clusters()).allSatisfy(cluster -> assertThat(cluster.client()).isEmpty());
        assertThat(abandoned.context().clusters()).allSatisfy(cluster -> assertThat(cluster.client()).isEmpty());
        assertThatThrownBy(abandoned::provision).isInstanceOf(IllegalStateException.class)
                .hasMessage("this warm check already handed its clients on (or was closed)");
    }

    /** The requests a cluster's API server received so far, as {@code METHOD path}; taken from its queue. */
    private List<String> requests(String cluster) {
        List<String> lines = new java.util.ArrayList<>();
        try {
            for (io.fabric8.mockwebserver.http.RecordedRequest request; (request = fixture.server(cluster).takeRequest(50,
                    java.util.concurrent.TimeUnit.MILLISECONDS)) != null;) {
                lines.add(request.getMethod() + " " + request.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return lines;
    }

    @Test
    void a_running_cluster_mcmesh_did_not_create_that_matches_the_spec_is_refused_and_left_unchanged() {
        // given: both profiles exist as the spec asks, created outside mcmesh
        fixture(MeshSpec.defaults());
        Minikube minikube = fixture.minikube();
        fixture.spec().clusters().forEach(c -> minikube.start(fixture.spec(), c, MinikubeTest.MINIKUBE));
        int mark = tools().size();

        // when / then
        assertThatThrownBy(() -> fixture.provisioner().provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("mcmesh-east: a running cluster that matches the spec exists, but mcmesh did not create it"
                        + " (it carries no creation id matching this machine's record, e.g. it was made by hand after a reset;"
                        + " it has no mcmesh marker), and mcmesh changes no cluster it did not create. To let mcmesh install"
                        + " Istio, its secrets and marker into it (it is still never deleted), set mcmesh.adopt.clusters=true;"
                        + " to use clusters you made yourself as they are, use the existing provider (mcmesh.provider=existing);"
                        + " or delete it (minikube delete -p mcmesh-east) so mcmesh creates its own")
                .hasMessageContaining("mcmesh-west: a running cluster that matches the spec exists");
        assertThat(since(mark)).noneMatch(line -> line.startsWith("minikube start") || line.startsWith("minikube delete")
                || line.startsWith("minikube ssh") || line.startsWith("helm "));
        assertThat(fixture.istioLog).isEmpty();
        assertThat(fixture.marker(EAST)).isNull();
    }

    @Test
    void with_adopt_clusters_a_matching_cluster_mcmesh_did_not_create_gets_istio_but_is_never_deleted() {
        // given: both profiles exist as the spec asks, created outside mcmesh
        fixture(MeshSpec.defaults());
        Minikube minikube = fixture.minikube();
        fixture.spec().clusters().forEach(c -> minikube.start(fixture.spec(), c, MinikubeTest.MINIKUBE));
        int mark = tools().size();

        // when
        ProvisionedMesh mesh = fixture.provisioner(fixture.spec(b -> b.adoptClusters(true))).provision();
        mesh.teardown();
        mesh.close();

        // then
        assertThat(fixture.istioLog).contains("install mcmesh-east", "install mcmesh-west");
        assertThat(since(mark)).noneMatch(line -> line.startsWith("minikube start") || line.startsWith("minikube delete"));
        assertThat(ClusterMarker.from(fixture.marker(EAST)).owned()).isFalse();
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                .contains("[mcmesh-east] kept: mcmesh did not create this cluster");
    }

    @Test
    void after_a_reset_by_hand_look_alike_clusters_and_network_are_neither_changed_nor_deleted() throws IOException {
        // given: mcmesh created the mesh, then the user reset it by hand as README says and made their own look-alikes
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        resetByHand();
        fixture.fakes().runner().run(Command.of(Tool.DOCKER, "network", "create", "--driver=bridge",
                "--subnet=192.168.200.0/24", "--gateway=192.168.200.1", "mcmesh"));
        Minikube minikube = fixture.minikube();
        fixture.spec().clusters().forEach(c -> minikube.start(fixture.spec(), c, MinikubeTest.MINIKUBE));
        assertThat(fixture.spec().stateDirectory().resolve("owned/cluster-mcmesh-west")).exists();
        int mark = tools().size();

        // when the next cleanup=always run comes
        MeshSpec always = fixture.spec(b -> b.cleanup(CleanupPolicy.ALWAYS));
        assertThatThrownBy(() -> fixture.provisioner(always).provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("mcmesh-west: a running cluster that matches the spec exists, but mcmesh did not create it");
        List<String> refusedRun = since(mark);

        // and even when the user lets mcmesh adopt them, its teardown
        ProvisionedMesh adopted = fixture.provisioner(fixture.spec(b -> b.adoptClusters(true).cleanup(CleanupPolicy.ALWAYS)))
                .provision();
        int adoptedMark = tools().size();
        adopted.teardown();
        adopted.close();

        // then: the refused run changed nothing, and the teardown deleted neither the clusters nor the network
        assertThat(refusedRun).noneMatch(line -> line.startsWith("minikube start")
                || line.startsWith("minikube delete") || line.startsWith("minikube ssh") || line.startsWith("docker network rm"));
        assertThat(since(adoptedMark)).noneMatch(line -> line.startsWith("minikube delete") || line.startsWith("docker network rm"));
        assertThat(fixture.fakes().stateDirectory().resolve("minikube/profiles/mcmesh-west")).isDirectory();
        assertThat(fixture.fakes().stateDirectory().resolve("docker/networks/mcmesh")).exists();
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains(
                "[mcmesh-west] kept: mcmesh did not create this cluster")
                .anyMatch(m -> m.startsWith("Kept docker network mcmesh: mcmesh did not create it (its label"
                        + " io.github.mcmesh.creation-id is missing, this machine recorded "));
    }

    @Test
    void a_look_alike_cluster_after_a_reset_by_hand_gets_no_istio_before_the_refusal() throws IOException {
        // given
        fixture(MeshSpec.defaults());
        provisionAndClose(fixture.spec());
        resetByHand();
        Minikube minikube = fixture.minikube();
        fixture.spec().clusters().forEach(c -> minikube.start(fixture.spec(), c, MinikubeTest.MINIKUBE));

        // when
        assertThatThrownBy(() -> fixture.provisioner().provision()).isInstanceOf(ProvisioningException.class);

        // then
        assertThat(fixture.istioLog).doesNotContain("install mcmesh-east", "install mcmesh-west");
        assertThat(fixture.marker(EAST)).isNull();
        assertThat(fixture.marker(WEST)).isNull();
    }

    @Test
    void a_start_that_failed_after_minikube_saved_the_profile_is_resumed_and_deleted_as_mcmeshs() throws IOException {
        // given: west's first start failed once minikube had saved the profile
        fixture(MeshSpec.defaults());
        fixture.fakes().steer("fail-minikube-start-after-save-mcmesh-west", "80\nExiting due to GUEST_PROVISION: error provisioning guest");
        assertThatThrownBy(() -> fixture.provisioner().provision()).isInstanceOf(ProvisioningException.class)
                .hasMessageStartingWith("[mcmesh-west] start cluster failed: ");
        String firstId = fixture.creationId("cluster-mcmesh-west");
        Files.delete(fixture.fakes().stateDirectory().resolve("fail-minikube-start-after-save-mcmesh-west"));
        int mark = tools().size();

        // when
        ProvisionedMesh mesh = fixture.provisioner().provision();
        mesh.teardown();
        mesh.close();

        // then: restarted under the same creation id, then recognised as mcmesh's and deleted
        assertThat(since(mark)).anyMatch(line -> line.startsWith("minikube start -p mcmesh-west ")
                && line.endsWith(" --extra-config=kubelet.node-labels=topology.kubernetes.io/region=mcmesh-west,"
                        + "topology.kubernetes.io/zone=mcmesh-west-a,mcmesh.github.io/creation-id=" + firstId))
                .contains("minikube delete -p mcmesh-east", "minikube delete -p mcmesh-west");
    }

    /** README's reset: minikube delete -p each, docker network rm; the mock API servers lose what the clusters held. */
    private void resetByHand() {
        CommandRunner runner = fixture.fakes().runner();
        for (String cluster : fixture.spec().clusterNames()) {
            runner.run(Command.of(Tool.MINIKUBE, "delete", "-p", cluster));
            try (KubernetesClient client = fixture.client(cluster)) {
                ClusterMarker.delete(client);
            }
        }
        runner.run(Command.of(Tool.DOCKER, "network", "rm", "mcmesh"));
        fixture.istioInstalled.clear();
        fixture.istioLog.clear();
    }

    @Test
    void ownership_records_and_the_ca_files_are_owner_only() throws IOException {
        // given
        fixture(MeshSpec.defaults());

        // when
        fixture.provisionerWithRealIstio(fixture.clusterzSynced(true)).provision().close();

        // then: every directory and file mcmesh made under the state directory
        Path state = fixture.spec().stateDirectory();
        assertThat(state.resolve("owned/cluster-mcmesh-east")).exists();
        assertThat(state.resolve("owned/network-mcmesh")).exists();
        try (java.util.stream.Stream<Path> paths = Files.walk(state)) {
            List<Path> all = paths.toList();
            assertThat(all).anyMatch(path -> path.getFileName().toString().equals("root-key.pem"));
            for (Path path : all) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                        .as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
    }
}
