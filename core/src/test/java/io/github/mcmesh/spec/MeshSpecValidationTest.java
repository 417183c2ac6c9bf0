package io.github.mcmesh.spec;

import static io.github.mcmesh.spec.Rejections.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshSpecValidationTest {

    @Test
    void rejects_fewer_than_two_clusters() {
        assertThat(messageOf(MeshSpec.builder().clusters("solo")))
                .isEqualTo("Invalid mesh specification: clusters = '[solo]' (set by MeshSpec.Builder.clusters(...)): a"
                        + " multi-cluster mesh needs two or more clusters; add another cluster");
    }

    @Test
    void rejects_duplicate_cluster_names() {
        assertThat(messageOf(MeshSpec.builder()
                .cluster("east", c -> { })
                .cluster("east", c -> c.podCidr("10.30.0.0/16").serviceCidr("10.255.30.0/24"))))
                .contains("clusters = 'east' (set by MeshSpec.Builder.cluster(\"east\", ...)): cluster name used twice;"
                        + " give every cluster its own name");
    }

    @Test
    void rejects_cluster_names_that_are_not_dns_labels() {
        assertThat(messageOf(MeshSpec.builder().clusters("East_1", "west")))
                .contains("clusters[East_1].name = 'East_1' (set by MeshSpec.Builder.clusters(...)): a"
                        + " cluster name is a minikube profile, kube context and"
                        + " Istio cluster ID, so it must be a DNS-1123 label")
                .contains("e.g. mcmesh-east");
        assertThat(messageOf(MeshSpec.builder().clusters("a", "west"))).contains("clusters[a].name = 'a'");
        assertThat(messageOf(MeshSpec.builder().clusters("east-", "west"))).contains("clusters[east-].name = 'east-'");
    }

    @Test
    void rejects_malformed_cidrs() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.podCidr("10.10.0.0")).clusters("west")))
                .contains("clusters[east].podCidr = '10.10.0.0' (set by MeshSpec.Builder.cluster(\"east\", ...)): no"
                        + " prefix length; expected an IPv4 range such as"
                        + " 10.10.0.0/16; e.g. 10.10.0.0/16");
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.serviceCidr("10.300.0.0/24")).clusters("west")))
                .contains("clusters[east].serviceCidr = '10.300.0.0/24' (set by MeshSpec.Builder.cluster(\"east\","
                        + " ...)): '10.300.0.0' is not an IPv4 address");
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.podCidr("10.10.0.0/33")).clusters("west")))
                .contains("prefix length '33' is not a number from 0 to 32");
    }

    @Test
    void rejects_ranges_with_host_bits_set() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.podCidr("10.10.0.1/16")).clusters("west")))
                .contains("clusters[east].podCidr = '10.10.0.1/16' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " host bits are set; write the range as 10.10.0.0/16");
    }

    @Test
    void rejects_overlapping_pod_cidrs() {
        assertThat(messageOf(MeshSpec.builder()
                .cluster("east", c -> c.podCidr("10.10.0.0/16"))
                .cluster("west", c -> c.podCidr("10.10.128.0/17"))))
                .contains("clusters[west].podCidr = '10.10.128.0/17' (set by MeshSpec.Builder.cluster(\"west\", ...)):"
                        + " overlaps clusters[east].podCidr = '10.10.0.0/16';"
                        + " pod and service ranges must not share addresses within or across clusters");
    }

    @Test
    void rejects_pod_and_service_ranges_overlapping_within_a_cluster() {
        assertThat(messageOf(MeshSpec.builder()
                .cluster("east", c -> c.podCidr("10.10.0.0/16").serviceCidr("10.10.255.0/24"))
                .clusters("west")))
                .contains("clusters[east].serviceCidr = '10.10.255.0/24' (set by MeshSpec.Builder.cluster(\"east\","
                        + " ...)): overlaps clusters[east].podCidr = '10.10.0.0/16'");
    }

    @Test
    void rejects_two_default_kubernetes_service_ranges() {
        // the default 10.96.0.0/12 in both clusters is what the write-up's clusters would get
        assertThat(messageOf(MeshSpec.builder()
                .cluster("east", c -> c.serviceCidr("10.96.0.0/12"))
                .cluster("west", c -> c.serviceCidr("10.96.0.0/12"))))
                .contains("clusters[west].serviceCidr = '10.96.0.0/12' (set by MeshSpec.Builder.cluster(\"west\","
                        + " ...)): overlaps clusters[east].serviceCidr = '10.96.0.0/12'");
    }

    @Test
    void rejects_ranges_overlapping_the_node_network() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.podCidr("192.168.0.0/16")).clusters("west")))
                .contains("clusters[east].podCidr = '192.168.0.0/16' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " overlaps mcmesh.node.subnet = '192.168.200.0/24'");
    }

    @Test
    void rejects_a_bridge_outside_the_private_ranges() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.bridge("8.8.8.1/24")).clusters("west")))
                .contains("clusters[east].bridge = '8.8.8.1/24' (set by MeshSpec.Builder.cluster(\"east\", ...)): a"
                        + " docker bridge must lie in a private range"
                        + " (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), e.g. 10.254.17.1/24");
    }

    @Test
    void rejects_a_bridge_given_as_a_range_instead_of_an_address() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.bridge("10.254.17.0/24")).clusters("west")))
                .contains("clusters[east].bridge = '10.254.17.0/24' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " bip is the bridge's own address, not its range;"
                        + " use a host address such as 10.254.17.1/24");
    }

    @Test
    void rejects_the_write_up_bridge_inside_the_pod_range_on_kubernetes_1_24_and_later() {
        // given the write-up's literal bip=172.17.0.1/24 inside its pod range 172.17.0.0/16, and likewise for test
        // then
        assertThat(messageOf(MeshSpec.builder().kubernetesVersion("1.26.8").istioVersion("1.18.2")
                .cluster("minikube", c -> c.podCidr("172.17.0.0/16").serviceCidr("10.255.10.0/24").bridge("172.17.0.1/24"))
                .cluster("test", c -> c.podCidr("172.18.0.0/16").serviceCidr("10.255.20.0/24").bridge("172.18.0.1/24"))))
                .contains("clusters[minikube].bridge = '172.17.0.1/24' (set by MeshSpec.Builder.cluster(\"minikube\","
                        + " ...)): lies inside podCidr '172.17.0.0/16'. On Kubernetes"
                        + " 1.24 and later pods get their IPs from the CNI, not from docker0")
                .contains("clusters[test].bridge = '172.18.0.1/24' (set by MeshSpec.Builder.cluster(\"test\", ...)):"
                        + " lies inside podCidr '172.18.0.0/16'");
    }

    @Test
    void accepts_a_bridge_inside_the_pod_range_before_kubernetes_1_24() {
        assertThatNoException().isThrownBy(() -> MeshSpec.builder()
                .kubernetesVersion("1.23.17").istioVersion("1.17.8")
                .cluster("minikube", c -> c.podCidr("172.17.0.0/16").serviceCidr("10.255.10.0/24").bridge("172.17.0.1/24"))
                .cluster("test", c -> c.podCidr("172.18.0.0/16").serviceCidr("10.255.20.0/24").bridge("172.18.0.1/24"))
                .build());
    }

    @Test
    void rejects_a_bridge_overlapping_another_range() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.bridge("10.20.0.1/24")).clusters("west")))
                .contains("clusters[east].bridge = '10.20.0.1/24' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " overlaps 10.20.0.0/16; move the bridge out of every"
                        + " pod and service range");
    }

    @Test
    void rejects_a_bridge_with_a_runtime_other_than_docker() {
        assertThat(messageOf(MeshSpec.builder().containerRuntime("containerd")
                .cluster("east", c -> c.bridge("10.254.17.1/24")).clusters("west")))
                .contains("clusters[east].bridge = '10.254.17.1/24' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " --docker-opt only applies to the docker container"
                        + " runtime, not 'containerd'; remove the bridge");
    }

    @Test
    void requires_a_bridge_when_a_range_overlaps_dockers_default_bridge() {
        assertThat(messageOf(MeshSpec.builder().kubernetesVersion("1.26.8").istioVersion("1.18.2")
                .cluster("minikube", c -> c.podCidr("172.17.0.0/16").serviceCidr("10.255.10.0/24"))
                .cluster("test", c -> c.podCidr("172.18.0.0/16").serviceCidr("10.255.20.0/24"))))
                .contains("clusters[minikube].bridge = '(not set)' (the default; not set anywhere): range 172.17.0.0/16"
                        + " overlaps docker's default bridge"
                        + " 172.17.0.0/16, which dockerd creates inside every node; set this cluster's bridge to a private"
                        + " range outside every pod and service range, e.g. 10.254.17.1/24");
    }

    @Test
    void rejects_versions_that_do_not_parse() {
        assertThat(messageOf(MeshSpec.builder().kubernetesVersion("latest")))
                .contains("mcmesh.kubernetes.version = 'latest' (set by MeshSpec.Builder.kubernetesVersion(...)): not a"
                        + " version of the form major.minor.patch; e.g. v1.35.1");
        assertThat(messageOf(MeshSpec.builder().istioVersion("1.30")))
                .contains("mcmesh.istio.version = '1.30' (set by MeshSpec.Builder.istioVersion(...)): not a version of"
                        + " the form major.minor.patch; e.g. 1.30.3");
    }

    @Test
    void rejects_an_istio_kubernetes_pair_outside_the_support_window() {
        assertThat(messageOf(MeshSpec.builder().istioVersion("1.18.2")))
                .contains("mcmesh.kubernetes.version = 'v1.35.1' (the default; not set anywhere): Istio 1.18.2 supports"
                        + " Kubernetes 1.24 - 1.27 only; choose a Kubernetes version in that window, another Istio version,"
                        + " or set mcmesh.allow.unsupported.versions=true (allowUnsupportedVersions(true) on the builder) to"
                        + " try anyway");
    }

    @Test
    void accepts_an_unsupported_pair_when_explicitly_allowed_and_an_unknown_istio_release() {
        assertThatNoException().isThrownBy(() -> MeshSpec.builder().istioVersion("1.18.2").allowUnsupportedVersions(true).build());
        assertThatNoException().isThrownBy(() -> MeshSpec.builder().istioVersion("1.31.0").build());
    }

    @Test
    void rejects_unknown_driver_runtime_and_cni() {
        String message = messageOf(MeshSpec.builder().driver("hyperv2").containerRuntime("rkt").cni("weave"));

        assertThat(message).contains("mcmesh.driver = 'hyperv2' (set by MeshSpec.Builder.driver(...)): not a minikube"
                + " driver; use one of [docker, hyperkit, hyperv,")
                .contains("mcmesh.container.runtime = 'rkt' (set by MeshSpec.Builder.containerRuntime(...)): not a"
                        + " minikube container runtime; use one of [containerd, cri-o, crio, docker]")
                .contains("mcmesh.cni = 'weave' (set by MeshSpec.Builder.cni(...)): use one of [auto, bridge, calico,"
                        + " cilium, false, flannel, kindnet] or a CNI manifest path");
    }

    @Test
    void rejects_cnis_that_ignore_the_pod_range() {
        assertThat(messageOf(MeshSpec.builder().cni("bridge")))
                .contains("mcmesh.cni = 'bridge' (set by MeshSpec.Builder.cni(...)): with this CNI every cluster hands"
                        + " out pod IPs from 10.244.0.0/16 whatever its"
                        + " podCidr, so pod IPs collide across clusters; use kindnet");
    }

    @Test
    void rejects_too_little_memory_or_cpu() {
        String message = messageOf(MeshSpec.builder().memoryMb(0).cpus(1));

        assertThat(message).contains("mcmesh.memory = '0' (set by MeshSpec.Builder.memoryMb(...)): minikube needs at"
                + " least 1800 MB per cluster, and Istio more; use 4096")
                .contains("mcmesh.cpus = '1' (set by MeshSpec.Builder.cpus(...)): minikube needs at least 2 CPUs per"
                        + " cluster; use 2");
    }

    @Test
    void rejects_a_bad_node_network() {
        assertThat(messageOf(MeshSpec.builder().nodeNetwork("My Net")))
                .contains("mcmesh.node.network = 'My Net' (set by MeshSpec.Builder.nodeNetwork(...)): a network name of"
                        + " lower-case letters, digits and '-', e.g. mcmesh");
        assertThat(messageOf(MeshSpec.builder().nodeSubnet("8.8.8.0/24")))
                .contains("mcmesh.node.subnet = '8.8.8.0/24' (set by MeshSpec.Builder.nodeSubnet(...)): must be a"
                        + " private range of at least 8 addresses");
        assertThat(messageOf(MeshSpec.builder().nodeSubnet("192.168.200.0")))
                .contains("mcmesh.node.subnet = '192.168.200.0' (set by MeshSpec.Builder.nodeSubnet(...)): no prefix"
                        + " length");
    }

    @Test
    void rejects_a_static_ip_outside_the_node_network() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.staticIp("192.168.201.2")).clusters("west")))
                .contains("clusters[east].staticIp = '192.168.201.2' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " outside mcmesh.node.subnet '192.168.200.0/24'; use an"
                        + " address in it, e.g. 192.168.200.2");
    }

    @Test
    void rejects_the_gateway_as_a_static_ip_and_a_malformed_one() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.staticIp("192.168.200.1")).clusters("west")))
                .contains("clusters[east].staticIp = '192.168.200.1' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " the network address, the gateway (.1) and the"
                        + " broadcast address cannot be a node's");
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.staticIp("192.168.200")).clusters("west")))
                .contains("clusters[east].staticIp = '192.168.200' (set by MeshSpec.Builder.cluster(\"east\", ...)):"
                        + " '192.168.200' is not an IPv4 address");
    }

    @Test
    void rejects_static_ips_ending_in_0_1_or_255_inside_subnets_larger_than_a_24() {
        // minikube start.go validateStaticIP: "static IPs last octet must be between 2 and 254", exit 14
        assertThat(messageOf(MeshSpec.builder().nodeSubnet("192.168.200.0/23")
                .cluster("east", c -> c.staticIp("192.168.200.255")).clusters("west")))
                .isEqualTo("Invalid mesh specification: clusters[east].staticIp = '192.168.200.255' (set by MeshSpec.Builder.cluster(\"east\", ...)): minikube accepts only a"
                        + " static IP whose last octet is 2 to 254, also inside a subnet larger than /24 (nodeSubnet"
                        + " mcmesh.node.subnet = '192.168.200.0/23'); set @Cluster(staticIp) to another address in it,"
                        + " e.g. 192.168.200.2");
        assertThat(messageOf(MeshSpec.builder().nodeSubnet("10.0.0.0/16")
                .cluster("east", c -> c.staticIp("10.0.1.1")).cluster("west", c -> c.staticIp("10.0.2.0"))))
                .contains("clusters[east].staticIp = \'10.0.1.1\' (set by MeshSpec.Builder.cluster(\"east\", ...)): minikube accepts only a static IP whose last octet is 2 to 254")
                .contains("clusters[west].staticIp = \'10.0.2.0\' (set by MeshSpec.Builder.cluster(\"west\", ...)): minikube accepts only a static IP whose last octet is 2 to 254")
                .contains("e.g. 10.0.2.2");
        assertThatNoException().isThrownBy(() -> MeshSpec.builder().nodeSubnet("10.0.0.0/16")
                .cluster("east", c -> c.staticIp("10.0.1.2")).cluster("west", c -> c.staticIp("10.0.2.254")).build());
    }

    @Test
    void qemu_drivers_default_to_the_socket_vmnet_network_and_reject_others_naming_the_property() {
        // minikube start_flags.go validateQemuNetwork: only builtin (user) or socket_vmnet
        assertThat(MeshSpec.builder().driver("qemu2").build().nodeNetwork()).isEqualTo("socket_vmnet");
        assertThat(MeshSpec.builder().driver("docker").build().nodeNetwork()).isEqualTo("mcmesh");
        assertThat(messageOf(MeshSpec.builder().driver("qemu2").nodeNetwork("mcmesh")))
                .isEqualTo("Invalid mesh specification: mcmesh.node.network = 'mcmesh' (set by MeshSpec.Builder.nodeNetwork(...)): with driver qemu2 minikube takes --network"
                        + " as a QEMU network mode, 'builtin' or 'socket_vmnet', not a network name; set"
                        + " mcmesh.node.network=socket_vmnet (the default for QEMU: the VMs share one network; macOS with"
                        + " socket_vmnet installed), or the docker or kvm2 driver");
        assertThat(messageOf(MeshSpec.builder().driver("qemu").nodeNetwork("builtin")))
                .contains("mcmesh.node.network = 'builtin' (set by MeshSpec.Builder.nodeNetwork(...)): with driver qemu this is QEMU's user-mode network, where every VM sits"
                        + " alone behind its own NAT");
        assertThat(messageOf(MeshSpec.builder().driver("qemu2").nodeNetwork("user"))).contains("mcmesh.node.network = 'user' (set by MeshSpec.Builder.nodeNetwork(...)):");
    }

    @Test
    void rejects_the_default_bridge_as_node_network() {
        // minikube CreateNetwork skips the default network and returns no gateway: no --network/--ip for the node
        assertThat(messageOf(MeshSpec.builder().nodeNetwork("bridge")))
                .isEqualTo("Invalid mesh specification: mcmesh.node.network = 'bridge' (set by MeshSpec.Builder.nodeNetwork(...)): this is docker's default network, on which"
                        + " minikube gives no node its static IP; set mcmesh.node.network to a network of its own, e.g. mcmesh");
        assertThat(messageOf(MeshSpec.builder().driver("podman").nodeNetwork("podman"))).contains("mcmesh.node.network = 'podman' (set by MeshSpec.Builder.nodeNetwork(...)):");
    }

    @Test
    void rejects_a_duplicated_static_ip() {
        assertThat(messageOf(MeshSpec.builder()
                .cluster("east", c -> c.staticIp("192.168.200.9"))
                .cluster("west", c -> c.staticIp("192.168.200.9"))))
                .contains("clusters[west].staticIp = '192.168.200.9' (set by MeshSpec.Builder.cluster(\"west\", ...)):"
                        + " already the static IP of cluster 'east';"
                        + " every node needs its own address");
    }

    @Test
    void ignores_node_settings_for_existing_clusters() {
        assertThatNoException().isThrownBy(() -> MeshSpec.builder().provider(Provider.EXISTING)
                .driver("whatever").memoryMb(1).cluster("east", c -> c.staticIp("1.2.3.4")).clusters("west").build());
    }

    @Test
    void rejects_bad_istio_names_and_quantities() {
        String message = messageOf(MeshSpec.builder().meshId("Mesh 1").networkName("").istiodResources("lots", "1 GB"));

        assertThat(message).contains("mcmesh.mesh.id = 'Mesh 1' (set by MeshSpec.Builder.meshId(...)): a mesh ID of"
                + " lower-case letters, digits and '-', e.g. mesh1")
                .contains("mcmesh.mesh.network = '' (set by MeshSpec.Builder.networkName(...)): a network name of"
                        + " lower-case letters, digits and '-', e.g. network1")
                .contains("mcmesh.istiod.cpu = 'lots' (set by MeshSpec.Builder.istiodResources(...)): a Kubernetes"
                        + " quantity, e.g. 100m")
                .contains("mcmesh.istiod.memory = '1 GB' (set by MeshSpec.Builder.istiodResources(...)): a Kubernetes"
                        + " quantity, e.g. 512Mi");
    }

    @Test
    void rejects_non_positive_timeouts() {
        assertThat(messageOf(MeshSpec.builder().timeouts(Timeouts.defaults()
                .withClusterStart(Duration.ZERO).withAssertion(Duration.ofSeconds(-1)))))
                .contains("mcmesh.timeout.cluster.start = 'PT0S' (set by MeshSpec.Builder.timeouts(...)): must be"
                        + " positive, e.g. 5m")
                .contains("mcmesh.timeout.assertion = 'PT-1S' (set by MeshSpec.Builder.timeouts(...)): must be"
                        + " positive, e.g. 5m");
    }

    @Test
    void lists_every_problem_at_once() {
        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshSpec.builder().cpus(1).meshId("X").build());

        // then
        assertThat(e.problems()).extracting(InvalidMeshSpecException.Problem::field)
                .containsExactly("mcmesh.cpus", "mcmesh.mesh.id");
        assertThat(e.getMessage()).startsWith("Invalid mesh specification (2 problems):" + System.lineSeparator()
                + "  - mcmesh.cpus = '1' (set by MeshSpec.Builder.cpus(...))");
    }

    @Test
    void region_and_zone_default_to_the_cluster_name_and_its_zone_a() {
        MeshSpec spec = MeshSpec.builder().cluster("east", c -> c.region("eu-west").zone("eu-west-b")).clusters("west").build();

        assertThat(spec.cluster("east").orElseThrow()).extracting(ClusterSpec::region, ClusterSpec::zone)
                .containsExactly("eu-west", "eu-west-b");
        assertThat(spec.cluster("west").orElseThrow()).extracting(ClusterSpec::region, ClusterSpec::zone)
                .containsExactly("west", "west-a");
    }

    @Test
    void rejects_a_region_or_zone_that_is_no_label_value_naming_the_setting() {
        String tooLong = "z".repeat(64);
        String message = messageOf(MeshSpec.builder().cluster("east", c -> c.region("eu/west").zone(tooLong))
                .cluster("west", c -> c.region("")));

        assertThat(message).contains("clusters[east].region = 'eu/west' (set by MeshSpec.Builder.cluster(\"east\", ...)): it"
                        + " becomes the node label value of topology.kubernetes.io/region, so it must be 1 to 63 characters:"
                        + " letters, digits, '-', '_' and '.', starting and ending with a letter or digit, e.g. eu-west")
                .contains("clusters[east].zone = '" + tooLong + "' (set by MeshSpec.Builder.cluster(\"east\", ...)): it"
                        + " becomes the node label value of topology.kubernetes.io/zone")
                .contains("clusters[west].region = '' (set by MeshSpec.Builder.cluster(\"west\", ...))");
    }

    @Test
    void rejects_locality_node_labels_passed_through_to_minikube_start() {
        assertThat(messageOf(MeshSpec.builder().passThrough(PassThrough.none().withMinikubeStartArgs(
                List.of("--extra-config=kubelet.node-labels=topology.kubernetes.io/zone=b")))))
                .contains("mcmesh.minikube.args = '--extra-config=kubelet.node-labels=topology.kubernetes.io/zone=b'")
                .contains("contradicts @Cluster(zone), which mcmesh passes as --extra-config itself; set @Cluster(zone) instead");
    }
}
