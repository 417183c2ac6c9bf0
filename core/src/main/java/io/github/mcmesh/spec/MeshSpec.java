package io.github.mcmesh.spec;

import io.github.mcmesh.internal.spec.PropertyFields;
import io.github.mcmesh.internal.spec.SpecValidator;
import io.github.mcmesh.spec.InvalidMeshSpecException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The immutable, validated description of a multi-cluster mesh. Every other part of mcmesh reads
 * it; nothing changes it. The defaults give a mesh that works with today's tools.
 * {@link Builder#build()} is the only way to make one, so every {@code MeshSpec} there is has
 * passed validation, and a setting added later breaks no caller.
 *
 * <pre>{@code
 * MeshSpec spec = MeshSpec.builder()              // mcmesh-east + mcmesh-west, Istio 1.30.3
 *     .istioVersion("1.29.0")
 *     .trust(TrustMode.PLAINTEXT)
 *     .build();                                   // throws InvalidMeshSpecException, naming each field
 * }</pre>
 */
public final class MeshSpec {

    /**
     * The settings, one component each: the one list the accessors, {@link #equals},
     * {@link #hashCode} and {@link #toString} read. Package-private: only the builder makes one.
     */
    record Parts(
        List<ClusterSpec> clusters,
        Provider provider,
        Version kubernetesVersion,
        Version istioVersion,
        String driver,
        String containerRuntime,
        String cni,
        int memoryMb,
        int cpus,
        String nodeNetwork,
        Cidr nodeSubnet,
        String meshId,
        String networkName,
        TrustMode trust,
        boolean dnsProxying,
        RemoteSecretMode remoteSecrets,
        String istiodCpu,
        String istiodMemory,
        ReusePolicy reuse,
        CleanupPolicy cleanup,
        CleanupPolicy namespaceCleanup,
        Timeouts timeouts,
        ToolPaths tools,
        Path stateDirectory,
        boolean allowUnsupportedVersions,
        Sources sources,
        PassThrough passThrough,
        Optional<Path> kubeconfig,
        boolean adoptClusters) {
        Parts {
            clusters = List.copyOf(clusters);
        }
    }

    public static final String DEFAULT_KUBERNETES_VERSION = "v1.35.1";
    public static final String DEFAULT_ISTIO_VERSION = "1.30.3";
    public static final List<String> DEFAULT_CLUSTER_NAMES = List.of("mcmesh-east", "mcmesh-west");
    /** How validation names the origin of a value nobody set. */
    static final String DEFAULT_ORIGIN = "the default; not set anywhere";

    private final Parts parts;

    private MeshSpec(Parts parts) {
        this.parts = parts;
    }

    /** The clusters, two or more, in order. */
    public List<ClusterSpec> clusters() {
        return parts.clusters();
    }

    /** Where the clusters come from. */
    public Provider provider() {
        return parts.provider();
    }

    /** The Kubernetes version of every cluster. */
    public Version kubernetesVersion() {
        return parts.kubernetesVersion();
    }

    /** The Istio version installed in every cluster. */
    public Version istioVersion() {
        return parts.istioVersion();
    }

    /** The minikube driver ({@code docker}, {@code podman}, {@code kvm2}, ...). */
    public String driver() {
        return parts.driver();
    }

    /** The node's container runtime ({@code docker}, {@code containerd}, {@code cri-o}). */
    public String containerRuntime() {
        return parts.containerRuntime();
    }

    /** The minikube CNI; {@code kindnet} assigns pod IPs from each node's pod CIDR. */
    public String cni() {
        return parts.cni();
    }

    /** Memory per cluster in MB. */
    public int memoryMb() {
        return parts.memoryMb();
    }

    /** CPUs per cluster. */
    public int cpus() {
        return parts.cpus();
    }

    /** The network every node joins ({@code --network}), so nodes reach each other; {@value #QEMU_SHARED_NETWORK} by default for the QEMU drivers, else {@code mcmesh}. */
    public String nodeNetwork() {
        return parts.nodeNetwork();
    }

    /** The subnet of the node network (docker and podman drivers). */
    public Cidr nodeSubnet() {
        return parts.nodeSubnet();
    }

    /** Istio's {@code global.meshID}. */
    public String meshId() {
        return parts.meshId();
    }

    /**
     * Istio's {@code global.network} of every cluster that names no network of its own
     * ({@link ClusterSpec#network()}); one network: pod IPs are routed between clusters.
     */
    public String networkName() {
        return parts.networkName();
    }

    /** How workloads of different clusters trust each other. */
    public TrustMode trust() {
        return parts.trust();
    }

    /** Whether sidecars capture DNS ({@code ISTIO_META_DNS_CAPTURE}) mesh-wide. */
    public boolean dnsProxying() {
        return parts.dnsProxying();
    }

    /** How remote secrets are made. */
    public RemoteSecretMode remoteSecrets() {
        return parts.remoteSecrets();
    }

    /** istiod's CPU request ({@code pilot.resources.requests.cpu}). */
    public String istiodCpu() {
        return parts.istiodCpu();
    }

    /** istiod's memory request ({@code pilot.resources.requests.memory}). */
    public String istiodMemory() {
        return parts.istiodMemory();
    }

    /** What to do with clusters that already exist. */
    public ReusePolicy reuse() {
        return parts.reuse();
    }

    /** When to delete the clusters mcmesh created. */
    public CleanupPolicy cleanup() {
        return parts.cleanup();
    }

    /** When to delete a test class's namespaces. */
    public CleanupPolicy namespaceCleanup() {
        return parts.namespaceCleanup();
    }

    /** How long each kind of step may take. */
    public Timeouts timeouts() {
        return parts.timeouts();
    }

    /** Where the external tools are. */
    public ToolPaths tools() {
        return parts.tools();
    }

    /** Where locks and CA keys are kept (owner-only). */
    public Path stateDirectory() {
        return parts.stateDirectory();
    }

    /** Whether an Istio/Kubernetes pair outside Istio's support window is accepted. */
    public boolean allowUnsupportedVersions() {
        return parts.allowUnsupportedVersions();
    }

    /** Where clusters, charts and images come from (mirrors, local charts, preloading). */
    public Sources sources() {
        return parts.sources();
    }

    /** Options passed verbatim to minikube and Helm. */
    public PassThrough passThrough() {
        return parts.passThrough();
    }

    /** The kubeconfig holding the clusters' contexts; empty = the default one ({@code KUBECONFIG} or {@code ~/.kube/config}). Not part of the fingerprint. */
    public Optional<Path> kubeconfig() {
        return parts.kubeconfig();
    }

    /** Whether mcmesh installs Istio and its settings into running clusters of the spec's names that it did not create ({@value MeshProperties#ADOPT_CLUSTERS}); it still never deletes or restarts them. Default {@code false}: such clusters are refused. Not part of the fingerprint. */
    public boolean adoptClusters() {
        return parts.adoptClusters();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MeshSpec that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(MeshSpec.class, parts);
    }

    /** Every setting, e.g. {@code MeshSpec[clusters=[ClusterSpec[name=mcmesh-east, ...], ...], provider=MINIKUBE, ...]}. */
    @Override
    public String toString() {
        return Components.describe("MeshSpec", parts);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default mesh: {@code builder().build()}. */
    public static MeshSpec defaults() {
        return builder().build();
    }

    /** A builder holding this specification's values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        clusters().forEach(c -> builder.cluster(c.name(), b -> {
            b.podCidr(c.podCidr().toString()).serviceCidr(c.serviceCidr().toString()).staticIp(c.staticIp())
                    .region(c.region()).zone(c.zone());
            c.bridge().ifPresent(bridge -> b.bridge(bridge.toString()));
            if (!c.network().equals(networkName())) {
                b.network(c.network());
            }
        }));
        return builder.provider(provider()).kubernetesVersion(kubernetesVersion().toString())
                .istioVersion(istioVersion().toString()).driver(driver()).containerRuntime(containerRuntime()).cni(cni())
                .memoryMb(memoryMb()).cpus(cpus()).nodeNetwork(nodeNetwork()).nodeSubnet(nodeSubnet().toString())
                .meshId(meshId()).networkName(networkName()).trust(trust()).dnsProxying(dnsProxying())
                .remoteSecrets(remoteSecrets()).istiodResources(istiodCpu(), istiodMemory()).reuse(reuse()).cleanup(cleanup())
                .namespaceCleanup(namespaceCleanup()).timeouts(timeouts()).tools(tools()).stateDirectory(stateDirectory())
                .allowUnsupportedVersions(allowUnsupportedVersions()).sources(sources()).passThrough(passThrough())
                .kubeconfig(kubeconfig().orElse(null)).adoptClusters(adoptClusters());
    }

    /** The cluster names, in order. */
    public List<String> clusterNames() {
        return clusters().stream().map(ClusterSpec::name).toList();
    }

    /** The cluster with this name. */
    public Optional<ClusterSpec> cluster(String name) {
        return clusters().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * What identifies this mesh: its cluster names and mesh ID, e.g.
     * {@code mcmesh-east+mcmesh-west@mesh1}. Public because it is the name under which mcmesh's
     * logs, skip notices and drift messages speak of the mesh, and under which it is locked and
     * marked in its clusters: a test that logs or reports the mesh it ran on uses the same name.
     */
    public String identity() {
        return String.join("+", clusterNames()) + "@" + meshId();
    }

    /** The QEMU network mode that lets the VMs reach each other (socket_vmnet's shared vmnet network, macOS). */
    public static final String QEMU_SHARED_NETWORK = "socket_vmnet";

    /**
     * Collects settings and validates them in {@link #build()}. Every setter takes the value as a
     * user would write it; nothing is checked before {@code build()}.
     */
    public static final class Builder {
        private final List<ClusterSpec.Builder> clusters = new ArrayList<>();
        private Provider provider = Provider.MINIKUBE;
        private String kubernetesVersion = DEFAULT_KUBERNETES_VERSION;
        private String istioVersion = DEFAULT_ISTIO_VERSION;
        private String driver = "docker";
        private String containerRuntime = "docker";
        private String cni = "kindnet";
        private int memoryMb = 4096;
        private int cpus = 2;
        /** {@code null}: {@code mcmesh}, or {@link #QEMU_SHARED_NETWORK} for the QEMU drivers. */
        private String nodeNetwork;
        private String nodeSubnet = "192.168.200.0/24";
        private String meshId = "mesh1";
        private String networkName = "network1";
        private TrustMode trust = TrustMode.SHARED_ROOT_CA;
        private boolean dnsProxying = true;
        private RemoteSecretMode remoteSecrets = RemoteSecretMode.NATIVE;
        private String istiodCpu = "100m";
        private String istiodMemory = "512Mi";
        private ReusePolicy reuse = ReusePolicy.IF_HEALTHY;
        private CleanupPolicy cleanup = CleanupPolicy.NEVER;
        private CleanupPolicy namespaceCleanup = CleanupPolicy.ON_SUCCESS;
        private Timeouts timeouts = Timeouts.defaults();
        private ToolPaths tools = ToolPaths.onPath();
        private Path stateDirectory = Path.of(System.getProperty("user.home"), ".mcmesh");
        private boolean allowUnsupportedVersions;
        private boolean adoptClusters;
        private Sources sources = Sources.defaults();
        private PassThrough passThrough = PassThrough.none();
        private Path kubeconfig;
        /** Where each value came from, by the field name validation uses; a field not here holds its default. */
        private final Map<String, String> origins = new HashMap<>();
        /** Names the origin of settings made through the setters; null: each is named by its setter. */
        private String settingsFrom;

        private Builder() {
        }

        /**
         * Names where the settings made through this builder from here on come from, for validation
         * messages, e.g. {@code @MultiClusterMesh(clusters) on com.example.CrossClusterIT}; without it
         * each is named by its setter ({@code MeshSpec.Builder.memoryMb(...)}).
         */
        public Builder settingsFrom(String origin) {
            this.settingsFrom = origin;
            return this;
        }

        /**
         * Adds a cluster; the first call replaces the default clusters. Unset ranges follow the
         * default layout by position ({@code 10.10.0.0/16} + {@code 10.255.10.0/24},
         * {@code 10.20.0.0/16} + {@code 10.255.20.0/24}, ...).
         */
        public Builder cluster(String name, Consumer<ClusterSpec.Builder> settings) {
            ClusterSpec.Builder cluster = new ClusterSpec.Builder(name);
            cluster.origin = "set by " + (settingsFrom != null ? settingsFrom : "MeshSpec.Builder.cluster(\"" + name + "\", ...)");
            settings.accept(cluster);
            clusters.add(cluster);
            return this;
        }

        /** Adds clusters with the default layout; the first call replaces the default clusters. */
        public Builder clusters(String... names) {
            for (String name : names) {
                cluster(name, c -> { });
                clusters.get(clusters.size() - 1).origin = "set by "
                        + (settingsFrom != null ? settingsFrom : "MeshSpec.Builder.clusters(...)");
            }
            return this;
        }

        public Builder provider(Provider value) {
            this.provider = value;
            return recorded("provider", "provider");
        }

        /** E.g. {@code v1.35.1} or {@code 1.35.1}. */
        public Builder kubernetesVersion(String value) {
            this.kubernetesVersion = value;
            return recorded("kubernetesVersion", "kubernetesVersion");
        }

        /** E.g. {@code 1.30.3}. */
        public Builder istioVersion(String value) {
            this.istioVersion = value;
            return recorded("istioVersion", "istioVersion");
        }

        public Builder driver(String value) {
            this.driver = value;
            return recorded("driver", "driver");
        }

        public Builder containerRuntime(String value) {
            this.containerRuntime = value;
            return recorded("containerRuntime", "containerRuntime");
        }

        public Builder cni(String value) {
            this.cni = value;
            return recorded("cni", "cni");
        }

        public Builder memoryMb(int value) {
            this.memoryMb = value;
            return recorded("memoryMb", "memoryMb");
        }

        public Builder cpus(int value) {
            this.cpus = value;
            return recorded("cpus", "cpus");
        }

        public Builder nodeNetwork(String value) {
            this.nodeNetwork = value;
            return recorded("nodeNetwork", "nodeNetwork");
        }

        public Builder nodeSubnet(String value) {
            this.nodeSubnet = value;
            return recorded("nodeSubnet", "nodeSubnet");
        }

        public Builder meshId(String value) {
            this.meshId = value;
            return recorded("meshId", "meshId");
        }

        public Builder networkName(String value) {
            this.networkName = value;
            return recorded("networkName", "networkName");
        }

        public Builder trust(TrustMode value) {
            this.trust = value;
            return recorded("trust", "trust");
        }

        public Builder dnsProxying(boolean value) {
            this.dnsProxying = value;
            return recorded("dnsProxying", "dnsProxying");
        }

        public Builder remoteSecrets(RemoteSecretMode value) {
            this.remoteSecrets = value;
            return recorded("remoteSecrets", "remoteSecrets");
        }

        /** istiod's resource requests, e.g. {@code ("100m", "512Mi")}; the chart's own default asks for 2 GiB. */
        public Builder istiodResources(String cpu, String memory) {
            recordChanges("", "istiodResources", Map.of("istiodCpu", String.valueOf(istiodCpu), "istiodMemory",
                    String.valueOf(istiodMemory)), Map.of("istiodCpu", String.valueOf(cpu), "istiodMemory", String.valueOf(memory)));
            this.istiodCpu = cpu;
            this.istiodMemory = memory;
            return this;
        }

        public Builder reuse(ReusePolicy value) {
            this.reuse = value;
            return recorded("reuse", "reuse");
        }

        public Builder cleanup(CleanupPolicy value) {
            this.cleanup = value;
            return recorded("cleanup", "cleanup");
        }

        public Builder namespaceCleanup(CleanupPolicy value) {
            this.namespaceCleanup = value;
            return recorded("namespaceCleanup", "namespaceCleanup");
        }

        public Builder timeouts(Timeouts value) {
            recordChanges("timeouts", "timeouts", Components.components(this.timeouts == null ? null : this.timeouts.parts()),
                    Components.components(value == null ? null : value.parts()));
            this.timeouts = value;
            return this;
        }

        public Builder tools(ToolPaths value) {
            recordChanges("tools", "tools", Components.components(this.tools == null ? null : this.tools.parts()),
                    Components.components(value == null ? null : value.parts()));
            this.tools = value;
            return this;
        }

        public Builder stateDirectory(Path value) {
            this.stateDirectory = value;
            return recorded("stateDirectory", "stateDirectory");
        }

        public Builder allowUnsupportedVersions(boolean value) {
            this.allowUnsupportedVersions = value;
            return recorded("allowUnsupportedVersions", "allowUnsupportedVersions");
        }

        public Builder sources(Sources value) {
            recordChanges("sources", "sources", Components.components(this.sources == null ? null : this.sources.parts()),
                    Components.components(value == null ? null : value.parts()));
            this.sources = value;
            return this;
        }

        public Builder passThrough(PassThrough value) {
            recordChanges("passThrough", "passThrough", Components.components(this.passThrough == null ? null : this.passThrough.parts()),
                    Components.components(value == null ? null : value.parts()));
            this.passThrough = value;
            return this;
        }

        /** Whether running clusters mcmesh did not create may be given Istio (never deleted); see {@link MeshSpec#adoptClusters()}. */
        public Builder adoptClusters(boolean value) {
            this.adoptClusters = value;
            return this;
        }

        /** The kubeconfig with the clusters' contexts; {@code null} = the default kubeconfig. */
        public Builder kubeconfig(Path value) {
            this.kubeconfig = value;
            return recorded("kubeconfig", "kubeconfig");
        }

        /**
         * Validates every setting and builds the specification.
         *
         * @throws InvalidMeshSpecException listing every problem with its field, value and fix
         */
        public MeshSpec build() {
            List<ClusterSpec.Builder> requested = clusters.isEmpty() ? defaultClusters() : clusters;
            Map<String, String> clusterOrigins = clusterOrigins(requested);
            SpecValidator validator = new SpecValidator(problem -> located(problem, clusterOrigins));

            Version kubernetes = validator.version("kubernetesVersion", kubernetesVersion, "e.g. v1.35.1");
            Version istio = validator.version("istioVersion", istioVersion, "e.g. 1.30.3");
            Cidr subnet = validator.cidr("nodeSubnet", nodeSubnet, "e.g. 192.168.200.0/24");

            List<ClusterSpec> built = new ArrayList<>();
            for (int i = 0; i < requested.size(); i++) {
                ClusterSpec.Builder c = requested.get(i);
                String field = "clusters[" + c.name + "]";
                Cidr pods = validator.cidr(field + ".podCidr",
                        Objects.requireNonNullElse(c.podCidr, "10." + (10 * (i + 1)) + ".0.0/16"), "e.g. 10.10.0.0/16");
                Cidr services = validator.cidr(field + ".serviceCidr",
                        Objects.requireNonNullElse(c.serviceCidr, "10.255." + (10 * (i + 1)) + ".0/24"), "e.g. 10.255.10.0/24");
                Optional<Cidr> bridge = Optional.ofNullable(c.bridge)
                        .map(b -> validator.cidr(field + ".bridge", b, "e.g. 10.254.17.1/24"));
                String staticIp = c.staticIp != null ? c.staticIp
                        : subnet == null ? "" : Cidr.formatAddress(subnet.networkAddress() + 2 + i);
                String clusterNetwork = c.network != null ? c.network : networkName;
                String region = c.region != null ? c.region : c.name;
                String zone = c.zone != null ? c.zone : c.name + "-a";
                built.add(new ClusterSpec(new ClusterSpec.Parts(c.name, pods, services, bridge, staticIp, clusterNetwork,
                        region, zone)));
            }

            String network = nodeNetwork != null ? nodeNetwork
                    : driver != null && (driver.equals("qemu2") || driver.equals("qemu")) ? QEMU_SHARED_NETWORK : "mcmesh";
            // a spec with the unparsable values as null exists only here: validation names them and throws
            MeshSpec spec = new MeshSpec(new Parts(built, provider, kubernetes, istio, driver, containerRuntime, cni,
                    memoryMb, cpus, network, subnet, meshId, networkName, trust, dnsProxying, remoteSecrets, istiodCpu,
                    istiodMemory, reuse, cleanup, namespaceCleanup, timeouts, tools, stateDirectory,
                    allowUnsupportedVersions, sources, passThrough, Optional.ofNullable(kubeconfig), adoptClusters));
            validator.validate(spec);
            return spec;
        }

        /** Records that the property value set the field it belongs to, over the setter's record. */
        void setBy(ConfigValue value) {
            PropertyFields.fieldOf(value.key()).ifPresent(field -> origins.put(field, "set by " + value.origin()));
        }

        private Builder recorded(String field, String setter) {
            origins.put(field, "set by " + (settingsFrom != null ? settingsFrom : "MeshSpec.Builder." + setter + "(...)"));
            return this;
        }

        /** Records the setter as origin of the parts of a composite value it changed; the others keep theirs. */
        private void recordChanges(String prefix, String setter, Map<String, String> before, Map<String, String> after) {
            after.forEach((part, value) -> {
                if (!value.equals(before.get(part))) {
                    recorded(prefix.isEmpty() ? part : prefix + "." + part, setter);
                }
            });
        }

        /**
         * The problem under the name the user sets (the property, when the field has one) and with
         * where its value came from, or that it is the default.
         */
        private Problem located(Problem problem, Map<String, String> clusterOrigins) {
            String field = problem.field();
            String origin = origins.getOrDefault(field, clusterOrigins.getOrDefault(field, DEFAULT_ORIGIN));
            return problem.locatedAt(PropertyFields.propertyOf(field).orElse(field), origin);
        }

        Timeouts timeouts() {
            return timeouts;
        }

        ToolPaths tools() {
            return tools;
        }

        String istiodCpu() {
            return istiodCpu;
        }

        String istiodMemory() {
            return istiodMemory;
        }

        Sources sources() {
            return sources;
        }

        PassThrough passThrough() {
            return passThrough;
        }

        /** Where each cluster setting came from: its {@code cluster(...)} call when set there, else the default layout. */
        private Map<String, String> clusterOrigins(List<ClusterSpec.Builder> requested) {
            Map<String, String> result = new HashMap<>();
            if (!clusters.isEmpty()) {
                result.put("clusters", clusters.get(clusters.size() - 1).origin);
            }
            for (ClusterSpec.Builder c : requested) {
                String prefix = "clusters[" + c.name + "]";
                String explicit = c.origin != null ? c.origin : DEFAULT_ORIGIN;
                result.put(prefix + ".name", explicit);
                result.put(prefix + ".podCidr", c.podCidr != null ? explicit : DEFAULT_ORIGIN);
                result.put(prefix + ".serviceCidr", c.serviceCidr != null ? explicit : DEFAULT_ORIGIN);
                result.put(prefix + ".bridge", c.bridge != null ? explicit : DEFAULT_ORIGIN);
                result.put(prefix + ".network", c.network != null ? explicit
                        : DEFAULT_ORIGIN + " (the mesh's network, " + MeshProperties.MESH_NETWORK + ")");
                // the default region and zone follow the cluster name, so blame where the name was given
                result.put(prefix + ".region", c.region != null ? explicit : DEFAULT_ORIGIN + " (derived from the cluster name)");
                result.put(prefix + ".zone", c.zone != null ? explicit : DEFAULT_ORIGIN + " (derived from the cluster name)");
                // a derived static IP follows the node subnet, so blame that
                result.put(prefix + ".staticIp", c.staticIp != null ? explicit
                        : DEFAULT_ORIGIN + " (derived from " + MeshProperties.NODE_SUBNET + ")");
            }
            return result;
        }

        private static List<ClusterSpec.Builder> defaultClusters() {
            return DEFAULT_CLUSTER_NAMES.stream().map(ClusterSpec.Builder::new).toList();
        }
    }
}
