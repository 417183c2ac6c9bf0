package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.InvalidMeshSpecException.Problem;
import io.github.mcmesh.spec.InvalidMeshSpecException;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.spec.TrustMode;
import io.github.mcmesh.spec.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks a mesh specification as a whole; collects every problem before failing. */
public final class SpecValidator {

    private static final Logger LOG = LoggerFactory.getLogger(SpecValidator.class);

    /** A DNS-1123 label, which also satisfies minikube's profile name rule. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A Kubernetes label value (apimachinery validation.IsValidLabelValue), here not empty. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile("\\d+(\\.\\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Set<String> DRIVERS = Set.of("docker", "podman", "kvm2", "qemu2", "qemu", "hyperkit",
            "virtualbox", "vfkit", "parallels", "vmware", "hyperv", "krunkit");
    private static final Set<String> RUNTIMES = Set.of("docker", "containerd", "cri-o", "crio");
    private static final Set<String> IMAGE_MIRROR_COUNTRIES = Set.of("cn", "global");
    private static final Set<String> CNIS = Set.of("auto", "bridge", "calico", "cilium", "flannel", "kindnet", "false");
    private static final Cidr DOCKER_DEFAULT_BRIDGE = Cidr.parse("172.17.0.0/16");
    private static final Version FIRST_WITHOUT_DOCKERSHIM = Version.parse("1.24.0");
    /** minikube's own minimums (start.go: minUsableMem, minimumCPUS). */
    private static final int MINIKUBE_MIN_MEMORY_MB = 1800;
    private static final int MINIKUBE_MIN_CPUS = 2;

    private static final Pattern URL = Pattern.compile("https?://[^\\s,]+");
    /** Flags mcmesh passes to {@code minikube start} itself, with the setting that controls each. */
    private static final Map<String, String> MCMESH_START_FLAGS = Map.ofEntries(
            Map.entry("-p", "the cluster name"), Map.entry("--profile", "the cluster name"),
            Map.entry("--driver", MeshProperties.DRIVER), Map.entry("--vm-driver", MeshProperties.DRIVER),
            Map.entry("-d", MeshProperties.DRIVER),
            Map.entry("--container-runtime", MeshProperties.CONTAINER_RUNTIME), Map.entry("-c", MeshProperties.CONTAINER_RUNTIME),
            Map.entry("--kubernetes-version", MeshProperties.KUBERNETES_VERSION), Map.entry("--cni", MeshProperties.CNI),
            Map.entry("--network-plugin", MeshProperties.CNI), Map.entry("--enable-default-cni", MeshProperties.CNI),
            Map.entry("--service-cluster-ip-range", "@Cluster(serviceCidr)"), Map.entry("--memory", MeshProperties.MEMORY),
            Map.entry("--cpus", MeshProperties.CPUS), Map.entry("--network", MeshProperties.NODE_NETWORK),
            Map.entry("--static-ip", "@Cluster(staticIp)"),
            Map.entry("--subnet", MeshProperties.NODE_SUBNET), Map.entry("--registry-mirror", MeshProperties.REGISTRY_MIRRORS),
            Map.entry("--image-mirror-country", MeshProperties.IMAGE_MIRROR_COUNTRY),
            Map.entry("--image-repository", MeshProperties.IMAGE_REPOSITORY));
    /** Helm values mcmesh sets on the istiod chart itself, with the setting that controls each. */
    private static final Map<String, String> MCMESH_HELM_VALUES = Map.of(
            "global.meshID", MeshProperties.MESH_ID, "global.multiCluster.clusterName", "the cluster name",
            "global.network", MeshProperties.MESH_NETWORK, "global.hub", MeshProperties.ISTIO_HUB,
            // the istiod chart reads pilot.resources before Istio 1.24 and resources from 1.24 on
            "pilot.resources.requests.cpu", MeshProperties.ISTIOD_CPU, "pilot.resources.requests.memory", MeshProperties.ISTIOD_MEMORY,
            "resources.requests.cpu", MeshProperties.ISTIOD_CPU, "resources.requests.memory", MeshProperties.ISTIOD_MEMORY,
            "meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE", MeshProperties.DNS_PROXYING,
            "meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE", MeshProperties.DNS_PROXYING);

    private final List<Problem> problems = new ArrayList<>();
    /** Renames each problem's field to the setting the user changes and adds where its value came from. */
    private final UnaryOperator<Problem> locate;

    public SpecValidator() {
        this(UnaryOperator.identity());
    }

    public SpecValidator(UnaryOperator<Problem> locate) {
        this.locate = locate;
    }

    public Version version(String field, String text, String example) {
        try {
            return Version.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, text, "not a version of the form major.minor.patch; " + example));
            return null;
        }
    }

    public Cidr cidr(String field, String text, String example) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, String.valueOf(text), e.getMessage() + "; " + example));
            return null;
        }
    }

    public void validate(MeshSpec spec) {
        checkClusters(spec);
        checkRanges(spec);
        checkVersions(spec);
        checkNode(spec);
        checkIstio(spec);
        checkNetworks(spec);
        checkTimeouts(spec.timeouts());
        checkSources(spec);
        checkPassThrough(spec);
        if (!problems.isEmpty()) {
            throw new InvalidMeshSpecException(problems.stream().map(locate).toList());
        }
    }

    private void checkClusters(MeshSpec spec) {
        if (spec.clusters().size() < 2) {
            problems.add(new Problem("clusters", String.valueOf(spec.clusterNames()),
                    "a multi-cluster mesh needs two or more clusters; add another cluster"));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (ClusterSpec c : spec.clusters()) {
            if (seen.merge(c.name(), 1, Integer::sum) == 2) {
                problems.add(new Problem("clusters", c.name(), "cluster name used twice; give every cluster its own name"));
            }
            if (c.name() == null || c.name().length() < 2 || !DNS_LABEL.matcher(c.name()).matches()) {
                problems.add(new Problem("clusters[" + c.name() + "].name", String.valueOf(c.name()),
                        "a cluster name is a minikube profile, kube context and Istio cluster ID, so it must be a"
                                + " DNS-1123 label of 2 to 63 characters: lower-case letters, digits and '-',"
                                + " starting and ending with a letter or digit, e.g. mcmesh-east"));
            }
            checkLocality("clusters[" + c.name() + "].region", c.region(), "eu-west");
            checkLocality("clusters[" + c.name() + "].zone", c.zone(), "eu-west-b");
        }
    }

    /** Region and zone become node label values, which Istio joins with '/' into a locality. */
    private void checkLocality(String field, String value, String example) {
        if (value == null || !LABEL_VALUE.matcher(value).matches()) {
            problems.add(new Problem(field, String.valueOf(value), "it becomes the node label value of topology.kubernetes.io/"
                    + field.substring(field.lastIndexOf('.') + 1) + ", so it must be 1 to 63 characters: letters, digits,"
                    + " '-', '_' and '.', starting and ending with a letter or digit, e.g. " + example));
        }
    }

    private void checkRanges(MeshSpec spec) {
        record Range(String field, Cidr cidr, String cluster, String network) { }
        List<Range> ranges = new ArrayList<>();
        for (ClusterSpec c : spec.clusters()) {
            String prefix = "clusters[" + c.name() + "].";
            if (c.podCidr() != null) {
                ranges.add(new Range(prefix + "podCidr", c.podCidr(), c.name(), c.network()));
            }
            if (c.serviceCidr() != null) {
                ranges.add(new Range(prefix + "serviceCidr", c.serviceCidr(), c.name(), c.network()));
            }
        }
        for (Range range : ranges) {
            if (!range.cidr().isNetwork()) {
                problems.add(new Problem(range.field(), range.cidr().toString(),
                        "host bits are set; write the range as " + range.cidr().network()));
            }
        }
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                Range a = ranges.get(i);
                Range b = ranges.get(j);
                if (!a.cidr().overlaps(b.cidr())) {
                    continue;
                }
                if (a.cluster().equals(b.cluster()) || Objects.equals(a.network(), b.network())) {
                    problems.add(new Problem(b.field(), b.cidr().toString(), "overlaps " + a.field() + " = '" + a.cidr()
                            + "'; pod and service ranges must not share addresses within or across clusters"
                            + " (Istio routes by IP), e.g. 10.10.0.0/16 + 10.255.10.0/24 and 10.20.0.0/16 + 10.255.20.0/24"));
                } else if (spec.provider() == Provider.EXISTING) {
                    // Istio allows it across networks; the clusters exist, so their ranges are what they are
                    LOG.warn("{} = '{}' overlaps {} = '{}' of a cluster on another network ({} and {}): Istio reaches it"
                            + " through the east-west gateway, but a bare pod IP in a caller's endpoints can no longer be"
                            + " told apart from a local one, and overlapping service ranges can collide as VIPs in a sidecar",
                            b.field(), b.cidr(), a.field(), a.cidr(), a.network(), b.network());
                } else {
                    problems.add(new Problem(b.field(), b.cidr().toString(), "overlaps " + a.field() + " = '" + a.cidr()
                            + "' of a cluster on another network (" + a.network() + " and " + b.network() + "). Istio"
                            + " does not need distinct pod ranges across networks, but mcmesh requires them for the"
                            + " clusters it creates: a peer pod IP in a caller's endpoints then always means the"
                            + " east-west gateway was not used, and overlapping service ranges would collide as VIPs"
                            + " in the caller's sidecar; choose distinct ranges, e.g. 10.10.0.0/16 + 10.255.10.0/24"
                            + " and 10.20.0.0/16 + 10.255.20.0/24"));
                }
            }
        }
        if (SpecFacts.usesContainerDriver(spec) && spec.nodeSubnet() != null) {
            for (Range range : ranges) {
                if (range.cidr().overlaps(spec.nodeSubnet())) {
                    problems.add(new Problem(range.field(), range.cidr().toString(), "overlaps " + MeshProperties.NODE_SUBNET + " = '"
                            + spec.nodeSubnet() + "', the network the nodes share; choose another range"));
                }
            }
        }
        for (ClusterSpec c : spec.clusters()) {
            checkBridge(spec, c, ranges.stream().map(Range::cidr).toList());
        }
    }

    private void checkBridge(MeshSpec spec, ClusterSpec c, List<Cidr> allRanges) {
        String field = "clusters[" + c.name() + "].bridge";
        if (c.bridge().isEmpty()) {
            boolean dockerd = spec.provider() == Provider.MINIKUBE && spec.containerRuntime().equals("docker");
            allRanges.stream().filter(DOCKER_DEFAULT_BRIDGE::overlaps).findFirst().filter(r -> dockerd && c.podCidr() != null)
                    .ifPresent(r -> problems.add(new Problem(field, "(not set)", "range " + r + " overlaps docker's default"
                            + " bridge 172.17.0.0/16, which dockerd creates inside every node; set this cluster's bridge"
                            + " to a private range outside every pod and service range, e.g. 10.254.17.1/24")));
            return;
        }
        Cidr bridge = c.bridge().get();
        if (!bridge.isPrivate()) {
            problems.add(new Problem(field, bridge.toString(), "a docker bridge must lie in a private range"
                    + " (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), e.g. 10.254.17.1/24"));
        }
        if (bridge.isNetwork() || bridge.address() == bridge.broadcastAddress()) {
            problems.add(new Problem(field, bridge.toString(), "bip is the bridge's own address, not its range;"
                    + " use a host address such as " + Cidr.formatAddress(bridge.networkAddress() + 1) + "/" + bridge.prefixLength()));
        }
        if (spec.provider() == Provider.MINIKUBE && !spec.containerRuntime().equals("docker")) {
            problems.add(new Problem(field, bridge.toString(), "--docker-opt only applies to the docker container runtime,"
                    + " not '" + spec.containerRuntime() + "'; remove the bridge"));
        }
        Version kubernetes = spec.kubernetesVersion();
        if (c.podCidr() != null && bridge.overlaps(c.podCidr()) && kubernetes != null
                && kubernetes.isAtLeast(FIRST_WITHOUT_DOCKERSHIM)) {
            problems.add(new Problem(field, bridge.toString(), "lies inside podCidr '" + c.podCidr() + "'. On Kubernetes"
                    + " 1.24 and later pods get their IPs from the CNI, not from docker0, so a bridge inside the pod range"
                    + " only collides with it; move the bridge out of every pod and service range, e.g. 10.254.17.1/24,"
                    + " or remove it"));
        } else {
            for (Cidr range : allRanges) {
                if (bridge.overlaps(range) && !(c.podCidr() != null && range.equals(c.podCidr()))) {
                    problems.add(new Problem(field, bridge.toString(), "overlaps " + range
                            + "; move the bridge out of every pod and service range, e.g. 10.254.17.1/24"));
                }
            }
        }
    }

    private void checkVersions(MeshSpec spec) {
        Version kubernetes = spec.kubernetesVersion();
        Version istio = spec.istioVersion();
        if (kubernetes == null || istio == null) {
            return;
        }
        SupportMatrix.supportedKubernetes(istio).ifPresentOrElse(window -> {
            if (!window.contains(kubernetes) && !spec.allowUnsupportedVersions()) {
                problems.add(new Problem("kubernetesVersion", kubernetes.withV(), "Istio " + istio + " supports Kubernetes "
                        + window + " only; choose a Kubernetes version in that window, another Istio version,"
                        + " or set " + MeshProperties.ALLOW_UNSUPPORTED_VERSIONS + "=true (allowUnsupportedVersions(true) on the builder)"
                        + " to try anyway"));
            }
        }, () -> LOG.warn("Istio {} is not in mcmesh's support table; cannot check that it supports Kubernetes {}",
                istio, kubernetes.withV()));
    }

    private void checkNode(MeshSpec spec) {
        if (spec.provider() != Provider.MINIKUBE) {
            return;
        }
        if (!DRIVERS.contains(spec.driver())) {
            problems.add(new Problem("driver", spec.driver(), "not a minikube driver; use one of " + sorted(DRIVERS)));
        }
        if (!RUNTIMES.contains(spec.containerRuntime())) {
            problems.add(new Problem("containerRuntime", spec.containerRuntime(),
                    "not a minikube container runtime; use one of " + sorted(RUNTIMES)));
        }
        String cni = spec.cni();
        if (cni == null || !(CNIS.contains(cni) || cni.contains("/"))) {
            problems.add(new Problem("cni", String.valueOf(cni), "use one of " + sorted(CNIS) + " or a CNI manifest path"));
        } else if (cni.equals("bridge") || cni.equals("auto") || cni.equals("false")) {
            problems.add(new Problem("cni", cni, "with this CNI every cluster hands out pod IPs from 10.244.0.0/16 whatever"
                    + " its podCidr, so pod IPs collide across clusters; use kindnet, which assigns pod IPs from each node's podCIDR (kubeadm's pod-network-cidr)"));
        }
        if (spec.memoryMb() < MINIKUBE_MIN_MEMORY_MB) {
            problems.add(new Problem("memoryMb", Integer.toString(spec.memoryMb()), "minikube needs at least "
                    + MINIKUBE_MIN_MEMORY_MB + " MB per cluster, and Istio more; use 4096"));
        }
        if (spec.cpus() < MINIKUBE_MIN_CPUS) {
            problems.add(new Problem("cpus", Integer.toString(spec.cpus()), "minikube needs at least "
                    + MINIKUBE_MIN_CPUS + " CPUs per cluster; use 2"));
        }
        if (SpecFacts.usesQemuDriver(spec)) {
            checkQemuNetwork(spec);
        } else if (spec.nodeNetwork() == null || !DNS_LABEL.matcher(spec.nodeNetwork()).matches()) {
            problems.add(new Problem("nodeNetwork", String.valueOf(spec.nodeNetwork()),
                    "a network name of lower-case letters, digits and '-', e.g. mcmesh"));
        } else if (SpecFacts.usesContainerDriver(spec) && spec.nodeNetwork().equals(spec.driver().equals("podman") ? "podman" : "bridge")) {
            // minikube network_create.go CreateNetwork: "skipping creating network since default network %s was
            // specified" returns no gateway, so kic.go passes neither --network nor --ip and the static IP is dropped
            problems.add(new Problem("nodeNetwork", spec.nodeNetwork(), "this is " + spec.driver() + "'s default network, on"
                    + " which minikube gives no node its static IP; set " + MeshProperties.NODE_NETWORK
                    + " to a network of its own, e.g. mcmesh"));
        }
        checkStaticIps(spec);
    }

    /**
     * For QEMU minikube takes {@code --network} as a mode: {@code builtin} (also {@code user}) or
     * {@code socket_vmnet}, anything else exits 14 ("--network with QEMU must be 'builtin' or
     * 'socket_vmnet'", start_flags.go {@code validateQemuNetwork}). builtin is QEMU's user-mode
     * network: every VM alone behind its own NAT, so no route can reach a peer's pods.
     */
    private void checkQemuNetwork(MeshSpec spec) {
        String network = String.valueOf(spec.nodeNetwork());
        String field = "nodeNetwork";
        if (network.equals("builtin") || network.equals("user")) {
            problems.add(new Problem(field, network, "with driver " + spec.driver() + " this is QEMU's user-mode network,"
                    + " where every VM sits alone behind its own NAT and cannot reach the other clusters' nodes; set "
                    + MeshProperties.NODE_NETWORK + "=" + MeshSpec.QEMU_SHARED_NETWORK + " (macOS, with socket_vmnet installed), or the docker or kvm2 driver"));
        } else if (!network.equals(MeshSpec.QEMU_SHARED_NETWORK)) {
            problems.add(new Problem(field, network, "with driver " + spec.driver() + " minikube takes --network as a QEMU"
                    + " network mode, 'builtin' or 'socket_vmnet', not a network name; set " + MeshProperties.NODE_NETWORK + "="
                    + MeshSpec.QEMU_SHARED_NETWORK
                    + " (the default for QEMU: the VMs share one network; macOS with socket_vmnet installed), or the docker"
                    + " or kvm2 driver"));
        }
    }

    private void checkStaticIps(MeshSpec spec) {
        Cidr subnet = spec.nodeSubnet();
        if (!SpecFacts.usesContainerDriver(spec) || subnet == null) {
            return;
        }
        if (!subnet.isPrivate() || subnet.prefixLength() > 29) {
            problems.add(new Problem("nodeSubnet", subnet.toString(),
                    "must be a private range of at least 8 addresses (prefix /29 or shorter), e.g. 192.168.200.0/24"));
        }
        Map<String, String> owners = new HashMap<>();
        for (ClusterSpec c : spec.clusters()) {
            String field = "clusters[" + c.name() + "].staticIp";
            int address;
            try {
                address = Cidr.parseAddress(c.staticIp());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(field, c.staticIp(), e.getMessage()));
                continue;
            }
            if (!subnet.contains(address)) {
                problems.add(new Problem(field, c.staticIp(), "outside " + MeshProperties.NODE_SUBNET + " '" + subnet + "'; use an address in it, e.g. "
                        + Cidr.formatAddress(subnet.networkAddress() + 2)));
            } else if (address - subnet.networkAddress() < 2 || address == subnet.broadcastAddress()) {
                problems.add(new Problem(field, c.staticIp(), "the network address, the gateway (.1) and the broadcast"
                        + " address cannot be a node's; use " + Cidr.formatAddress(subnet.networkAddress() + 2) + " or above"));
            } else if ((address & 0xff) < 2 || (address & 0xff) > 254) {
                // minikube start.go validateStaticIP: "static IPs last octet must be between 2 and 254", exit 14
                problems.add(new Problem(field, c.staticIp(), "minikube accepts only a static IP whose last octet is 2 to"
                        + " 254, also inside a subnet larger than /24 (nodeSubnet " + MeshProperties.NODE_SUBNET + " = '"
                        + subnet + "'); set @Cluster(staticIp) to another address in it, e.g. "
                        + Cidr.formatAddress((address & ~0xff) + 2)));
            }
            String owner = owners.putIfAbsent(c.staticIp(), c.name());
            if (owner != null) {
                problems.add(new Problem(field, c.staticIp(), "already the static IP of cluster '" + owner
                        + "'; every node needs its own address"));
            }
        }
    }

    private void checkIstio(MeshSpec spec) {
        if (spec.meshId() == null || !DNS_LABEL.matcher(spec.meshId()).matches()) {
            problems.add(new Problem("meshId", String.valueOf(spec.meshId()),
                    "a mesh ID of lower-case letters, digits and '-', e.g. mesh1"));
        }
        if (spec.networkName() == null || !DNS_LABEL.matcher(spec.networkName()).matches()) {
            problems.add(new Problem("networkName", String.valueOf(spec.networkName()),
                    "a network name of lower-case letters, digits and '-', e.g. network1"));
        }
        if (spec.istiodCpu() == null || !QUANTITY.matcher(spec.istiodCpu()).matches()) {
            problems.add(new Problem("istiodCpu", String.valueOf(spec.istiodCpu()), "a Kubernetes quantity, e.g. 100m"));
        }
        if (spec.istiodMemory() == null || !QUANTITY.matcher(spec.istiodMemory()).matches()) {
            problems.add(new Problem("istiodMemory", String.valueOf(spec.istiodMemory()), "a Kubernetes quantity, e.g. 512Mi"));
        }
    }

    /**
     * Per-cluster networks: each a DNS label; on different networks trust must be the shared root
     * (the one trust mode besides plaintext), and local charts must hold the {@code gateway} chart.
     */
    private void checkNetworks(MeshSpec spec) {
        for (ClusterSpec c : spec.clusters()) {
            if (!Objects.equals(c.network(), spec.networkName())
                    && (c.network() == null || !DNS_LABEL.matcher(c.network()).matches())) {
                problems.add(new Problem("clusters[" + c.name() + "].network", String.valueOf(c.network()),
                        "a network name of lower-case letters, digits and '-', e.g. net-east"));
            }
        }
        if (!SpecFacts.multiNetwork(spec)) {
            return;
        }
        String networks = spec.clusters().stream().map(c -> c.name() + ": " + c.network())
                .collect(java.util.stream.Collectors.joining(", "));
        if (spec.trust() == TrustMode.PLAINTEXT) {
            // pilot/pkg/xds/ep_filters.go (1.18.2) and xds/endpoints/ep_filters.go (1.30.3): "Cross-network traffic
            // relies on mTLS" -- endpoints on other networks with mTLS off are left out of EDS
            problems.add(new Problem("trust", TrustMode.PLAINTEXT.name(), "the clusters are on different networks ("
                    + networks + ", @Cluster(network)), which reach each other only through east-west gateways; those"
                    + " route by the SNI of Istio mTLS (TLS AUTO_PASSTHROUGH) and istiod drops plaintext endpoints on"
                    + " other networks, so every call would stay in its own cluster. Use trust " + TrustMode.SHARED_ROOT_CA
                    + " (the default: one root CA, so the sidecars' mTLS passes through the gateways end to end), or put"
                    + " every cluster on one network"));
        }
        Sources sources = spec.sources();
        if (!SpecFacts.chartsFromRepository(sources)) {
            SpecFacts.localChartsDirectory(Path.of(sources.istioCharts()))
                    .filter(charts -> !Files.isRegularFile(charts.resolve(SpecFacts.GATEWAY_CHART_PATH).resolve("Chart.yaml")))
                    .ifPresent(charts -> problems.add(new Problem("sources.istioCharts", sources.istioCharts(),
                            "the clusters are on different networks (" + networks + "), so each gets an east-west"
                            + " gateway from Istio's gateway chart, which is not there (no "
                            + charts.resolve(SpecFacts.GATEWAY_CHART_PATH).resolve("Chart.yaml") + "); give the"
                            + " charts of a whole Istio release, or a chart repository")));
        }
    }

    private void checkTimeouts(Timeouts timeouts) {
        Map<String, Duration> all = new java.util.LinkedHashMap<>();
        all.put("timeouts.clusterStart", timeouts.clusterStart());
        all.put("timeouts.istioInstall", timeouts.istioInstall());
        all.put("timeouts.meshReady", timeouts.meshReady());
        all.put("timeouts.command", timeouts.command());
        all.put("timeouts.workloadReady", timeouts.workloadReady());
        all.put("timeouts.assertion", timeouts.assertion());
        all.put("timeouts.namespaceDeletion", timeouts.namespaceDeletion());
        all.put("timeouts.coreDnsReady", timeouts.coreDnsReady());
        all.forEach((field, value) -> {
            if (value == null || value.isZero() || value.isNegative()) {
                problems.add(new Problem(field, String.valueOf(value), "must be positive, e.g. 5m"));
            }
        });
    }

    private void checkSources(MeshSpec spec) {
        Sources sources = spec.sources();
        for (String mirror : sources.registryMirrors()) {
            if (!URL.matcher(mirror).matches()) {
                problems.add(new Problem("sources.registryMirrors", mirror, "a registry mirror is a URL such as"
                        + " https://mirror.example.com"));
            }
        }
        if (!sources.registryMirrors().isEmpty() && spec.provider() == Provider.MINIKUBE
                && !spec.containerRuntime().equals("docker")) {
            problems.add(new Problem("sources.registryMirrors", String.join(",", sources.registryMirrors()),
                    "minikube passes registry mirrors to dockerd only, not to '" + spec.containerRuntime()
                            + "'; set " + MeshProperties.CONTAINER_RUNTIME + "=docker or remove the mirrors"));
        }
        // minikube knows the countries of constants.go ImageRepositories ("global", "cn"), lower-cased
        // (start_flags.go); any other exits 40: "invalid image mirror country code" (start.go selectImageRepository)
        sources.imageMirrorCountry().filter(country -> !IMAGE_MIRROR_COUNTRIES.contains(country.toLowerCase(Locale.ROOT)))
                .ifPresent(country -> problems.add(new Problem("sources.imageMirrorCountry", country,
                        "minikube knows only the image mirror countries " + sorted(IMAGE_MIRROR_COUNTRIES)
                        + " (cn: registry.cn-hangzhou.aliyuncs.com/google_containers); set " + MeshProperties.IMAGE_MIRROR_COUNTRY
                        + "=cn, or remove it and set " + MeshProperties.IMAGE_REPOSITORY + " to your mirror")));
        if (!SpecFacts.chartsFromRepository(sources) && SpecFacts.localChartsDirectory(Path.of(sources.istioCharts())).isEmpty()) {
            problems.add(new Problem("sources.istioCharts", sources.istioCharts(), "no Istio charts there (neither "
                    + SpecFacts.ISTIO_CHART_PATHS + " nor manifests/charts/" + SpecFacts.ISTIO_CHART_PATHS
                    + " with a Chart.yaml); give an https:// or oci:// chart repository, an unpacked Istio release"
                    + " (istio-<version>) or its manifests/charts directory"));
        }
        sources.sampleImages().forEach((sample, image) -> {
            if (!Sources.SAMPLE_NAMES.contains(sample)) {
                problems.add(new Problem("sources.sampleImages", sample + "=" + image, "no sample named '" + sample
                        + "'; use one of " + Sources.SAMPLE_NAMES));
            } else if (image.isBlank() || image.contains(" ")) {
                problems.add(new Problem("sources.sampleImages", sample + "=" + image,
                        "an image reference such as registry.example.com/istio/examples-helloworld-v1:1.0"));
            }
        });
    }

    private void checkPassThrough(MeshSpec spec) {
        for (String argument : spec.passThrough().minikubeStartArgs()) {
            if (!argument.startsWith("-")) {
                problems.add(new Problem("passThrough.minikubeStartArgs", argument,
                        "pass flags as --flag=value, e.g. --disk-size=30g"));
                continue;
            }
            String flag = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            String owner = MCMESH_START_FLAGS.get(flag);
            if (owner == null && argument.startsWith("--extra-config=kubeadm.pod-network-cidr")) {
                owner = "@Cluster(podCidr)";
            }
            if (owner == null && argument.startsWith("--docker-opt=bip=")) {
                owner = "@Cluster(bridge)";
            }
            if (owner == null && argument.startsWith("--extra-config=kubelet.node-labels=")) {
                owner = argument.contains("topology.kubernetes.io/region=") ? "@Cluster(region)"
                        : argument.contains("topology.kubernetes.io/zone=") ? "@Cluster(zone)" : null;
            }
            if (owner != null) {
                problems.add(new Problem("passThrough.minikubeStartArgs", argument, "contradicts " + owner
                        + ", which mcmesh passes as " + flag + " itself; set " + owner + " instead"));
            }
        }
        for (String value : spec.passThrough().helmValues()) {
            int equals = value.indexOf('=');
            if (equals <= 0) {
                problems.add(new Problem("passThrough.helmValues", value, "a Helm value is key=value,"
                        + " e.g. pilot.traceSampling=1.0"));
                continue;
            }
            String owner = MCMESH_HELM_VALUES.get(value.substring(0, equals));
            if (owner != null) {
                problems.add(new Problem("passThrough.helmValues", value, "contradicts " + owner + ", which mcmesh sets as "
                        + value.substring(0, equals) + " itself; set " + owner + " instead"));
            }
        }
        for (Path file : spec.passThrough().helmValuesFiles()) {
            if (!Files.isReadable(file)) {
                problems.add(new Problem("passThrough.helmValuesFiles", file.toString(),
                        "no readable file there; give the path of a Helm values file"));
            }
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
