package io.github.mcmesh.internal.provision;

import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.CommandResult;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.ToolJson;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code minikube} commands mcmesh runs, with the flags and outputs of today's minikube
 * (kubernetes/minikube {@code cmd/minikube/cmd/start_flags.go}, {@code status.go},
 * {@code config/profile_list.go}, {@code ip.go}, {@code ssh.go}, {@code delete.go}).
 *
 * <pre>{@code
 * Minikube minikube = new Minikube(runner, spec.timeouts(), Map.of());
 * Version version = new ToolVersions(runner).minikube();
 * minikube.start(spec, spec.clusters().get(0), version);
 * minikube.replaceRoute("mcmesh-east", Cidr.parse("10.20.0.0/16"), "192.168.200.3");
 * }</pre>
 */
public final class Minikube {

    private static final Logger LOG = LoggerFactory.getLogger(Minikube.class);

    /** {@code minikube status}: exit code for "no such profile" (reason/exitcodes.go {@code ExGuestNotFound}). */
    static final int PROFILE_NOT_FOUND = 85;

    /** The extra option whose value the kubelet gets as {@code --node-labels} (comma-separated {@code key=value}). */
    static final String KUBELET_NODE_LABELS = "kubelet.node-labels";

    /** Drivers that take {@code --network} (start_flags.go: "Used by docker/podman, qemu, kvm, and vfkit drivers"). */
    private static final Set<String> NETWORK_DRIVERS = Set.of("docker", "podman", "kvm2", "qemu2", "qemu");

    /**
     * The newest Kubernetes each minikube release supports ({@code NewestKubernetesVersion} in
     * pkg/minikube/constants/constants.go at each release tag), minikube version to Kubernetes
     * version. Releases after the last entry are not in the table: they are assumed to support
     * at least as much.
     */
    private static final NavigableMap<Version, Version> NEWEST_KUBERNETES = new TreeMap<>(Map.of(
            Version.parse("1.31.0"), Version.parse("1.27.3"),
            Version.parse("1.32.0"), Version.parse("1.28.3"),
            Version.parse("1.33.0"), Version.parse("1.30.0"),
            Version.parse("1.34.0"), Version.parse("1.31.0"),
            Version.parse("1.35.0"), Version.parse("1.32.0"),
            Version.parse("1.36.0"), Version.parse("1.33.1"),
            Version.parse("1.37.0"), Version.parse("1.34.0"),
            Version.parse("1.38.0"), Version.parse("1.35.0"),
            Version.parse("1.38.1"), Version.parse("1.35.1")));

    /** minikube 1.37.0 raised {@code OldestKubernetesVersion} from v1.20.0 to v1.28.0; older ones need {@code --force}. */
    private static final Version FIRST_WITH_OLDEST_1_28 = Version.parse("1.37.0");
    private static final Version OLDEST_KUBERNETES_SINCE_1_37 = Version.parse("1.28.0");
    private static final Version OLDEST_KUBERNETES_BEFORE_1_37 = Version.parse("1.20.0");

    private final CommandRunner runner;
    private final Duration commandTimeout;
    private final Duration startTimeout;
    private final Map<String, String> environment;

    /**
     * @param environment variables for every minikube process, e.g. {@code KUBECONFIG} when the
     *        spec names its own kubeconfig
     */
    public Minikube(CommandRunner runner, io.github.mcmesh.spec.Timeouts timeouts, Map<String, String> environment) {
        this.runner = runner;
        this.commandTimeout = timeouts.command();
        this.startTimeout = timeouts.clusterStart();
        this.environment = Map.copyOf(environment);
    }

    /**
     * Whether this minikube can start the requested Kubernetes at all.
     *
     * @throws IllegalStateException naming the oldest minikube release that supports it
     */
    public static void requireSupports(Version minikube, Version kubernetes) {
        Map.Entry<Version, Version> newest = NEWEST_KUBERNETES.floorEntry(minikube);
        if (newest == null || newestMinorBelow(newest.getValue(), kubernetes)) {
            Optional<Version> minimum = NEWEST_KUBERNETES.entrySet().stream()
                    .filter(e -> !newestMinorBelow(e.getValue(), kubernetes)).map(Map.Entry::getKey).findFirst();
            throw new IllegalStateException("minikube " + minikube + " is too old for Kubernetes " + kubernetes.withV()
                    + " (it supports up to " + (newest == null ? "an older release" : newest.getValue().withV()) + "); "
                    + minimum.map(v -> "install minikube " + v + " or newer").orElse("install a minikube release newer than "
                            + NEWEST_KUBERNETES.lastKey())
                    + " from " + Tool.MINIKUBE.installHint() + ", or set " + MeshProperties.KUBERNETES_VERSION
                    + " (@MultiClusterMesh(kubernetesVersion)) to an older release");
        }
    }

    private static boolean newestMinorBelow(Version newest, Version requested) {
        return newest.major() < requested.major()
                || newest.major() == requested.major() && newest.minor() < requested.minor();
    }

    /**
     * Whether {@code minikube start} needs {@code --force} for this Kubernetes: it is older than the
     * minikube supports, or {@link #newerByPatchOnly newer than it knows by its patch release only}.
     */
    public static boolean needsForce(Version minikube, Version kubernetes) {
        Version oldest = minikube.isAtLeast(FIRST_WITH_OLDEST_1_28) ? OLDEST_KUBERNETES_SINCE_1_37 : OLDEST_KUBERNETES_BEFORE_1_37;
        return kubernetes.isOlderThan(oldest) || newerByPatchOnly(minikube, kubernetes).isPresent();
    }

    /**
     * The newest Kubernetes this minikube knows, when the requested one is newer than it by its patch
     * release only (minikube 1.38.0 knows v1.35.0, the default is v1.35.1). minikube then asks GitHub
     * whether the release exists and, offline, exits with {@code K8S_FAIL_CONNECT} (40); with
     * {@code --force} a failed lookup is skipped (cmd/minikube/cmd/start.go
     * {@code validateKubernetesVersion}: {@code if err != nil && !viper.GetBool(force)}). mcmesh passes
     * {@code --force} then rather than refusing: a patch release of a minor the minikube supports
     * needs nothing the minikube lacks (same kubeadm API and images layout), and the lookup only
     * confirms the release exists. The other checks {@code --force} relaxes (memory, CPUs, driver)
     * are mcmesh's own validation's. Empty for minikube releases newer than mcmesh's table: their
     * list is unknown here.
     */
    public static Optional<Version> newerByPatchOnly(Version minikube, Version kubernetes) {
        Map.Entry<Version, Version> newest = NEWEST_KUBERNETES.floorEntry(minikube);
        Version last = NEWEST_KUBERNETES.lastKey();
        boolean inTable = minikube.major() == last.major() && minikube.minor() <= last.minor();
        if (newest == null || !inTable) {
            return Optional.empty();
        }
        Version known = newest.getValue();
        boolean sameMinor = known.major() == kubernetes.major() && known.minor() == kubernetes.minor();
        return sameMinor && kubernetes.compareTo(known) > 0 ? Optional.of(known) : Optional.empty();
    }

    /** The oldest minikube release in mcmesh's table that knows this Kubernetes release without a lookup. */
    static Optional<Version> firstKnowing(Version kubernetes) {
        return NEWEST_KUBERNETES.entrySet().stream().filter(e -> e.getValue().compareTo(kubernetes) >= 0)
                .map(Map.Entry::getKey).findFirst();
    }

    /**
     * The arguments of {@code minikube start} for one cluster of the spec. {@code --keep-context}
     * leaves the user's current kube context alone: mcmesh addresses every cluster by its context name.
     * The sources add {@code --registry-mirror} once per mirror (a StringSlice in start_flags.go,
     * so repeating the flag appends), {@code --image-mirror-country} and {@code --image-repository};
     * the pass-through flags come last, as written.
     */
    public static List<String> startArguments(MeshSpec spec, ClusterSpec cluster, Version minikube) {
        List<String> args = new ArrayList<>(List.of("start", "-p", cluster.name(),
                "--driver=" + spec.driver(),
                "--container-runtime=" + spec.containerRuntime(),
                "--kubernetes-version=" + spec.kubernetesVersion().withV(),
                "--cni=" + spec.cni(),
                "--extra-config=kubeadm.pod-network-cidr=" + cluster.podCidr(),
                "--service-cluster-ip-range=" + cluster.serviceCidr(),
                "--memory=" + spec.memoryMb(),
                "--cpus=" + spec.cpus()));
        cluster.bridge().ifPresent(bridge -> args.add("--docker-opt=bip=" + bridge));
        if (NETWORK_DRIVERS.contains(spec.driver())) {
            // qemu/qemu2: a QEMU network mode, which the spec's validation keeps to socket_vmnet (SpecFacts.usesQemuDriver)
            args.add("--network=" + spec.nodeNetwork());
        }
        if (SpecFacts.usesContainerDriver(spec)) {
            args.add("--static-ip=" + cluster.staticIp());
        }
        if (needsForce(minikube, spec.kubernetesVersion())) {
            args.add("--force");
        }
        args.add("--keep-context");
        args.add("--wait=all");
        spec.sources().registryMirrors().forEach(mirror -> args.add("--registry-mirror=" + mirror));
        spec.sources().imageMirrorCountry().ifPresent(country -> args.add("--image-mirror-country=" + country));
        spec.sources().imageRepository().ifPresent(repository -> args.add("--image-repository=" + repository));
        args.addAll(spec.passThrough().minikubeStartArgs());
        return withNodeLabel(args, localityLabels(cluster));
    }

    /** The node label carrying the cluster's region, which Istio reads for locality load balancing. */
    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    /** The node label carrying the cluster's zone. */
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    /**
     * The region and zone as kubelet node labels ({@code key=value,key=value}). The kubelet may set
     * both on its own Node (k8s.io/kubelet well_known_labels.go {@code kubeletLabels}), and re-applies
     * them when it re-registers an existing node, so a restart with other values updates the node.
     */
    static String localityLabels(ClusterSpec cluster) {
        return REGION_LABEL + "=" + cluster.region() + "," + ZONE_LABEL + "=" + cluster.zone();
    }

    /** Starts (or re-starts) the cluster's profile; warns when it has to force the Kubernetes version, and why. */
    public void start(MeshSpec spec, ClusterSpec cluster, Version minikube) {
        start(spec, cluster, minikube, Optional.empty());
    }

    /**
     * Starts (or re-starts) the cluster's profile with one more node label (see {@link #withNodeLabel}).
     *
     * @param nodeLabel {@code key=value}, e.g. mcmesh's creation id
     */
    public void start(MeshSpec spec, ClusterSpec cluster, Version minikube, Optional<String> nodeLabel) {
        Version kubernetes = spec.kubernetesVersion();
        Optional<Version> known = newerByPatchOnly(minikube, kubernetes);
        if (known.isPresent()) {
            LOG.warn("[{}] Kubernetes {} is newer than minikube {} knows ({}) by its patch release only; starting with"
                    + " --force, because minikube would look the release up on GitHub and, offline, exit with"
                    + " K8S_FAIL_CONNECT (40).{}", cluster.name(), kubernetes.withV(), minikube, known.get().withV(),
                    firstKnowing(kubernetes).map(v -> " minikube " + v + " knows it without a lookup.").orElse(""));
        } else if (needsForce(minikube, kubernetes)) {
            LOG.warn("[{}] Kubernetes {} is older than minikube {} supports; starting with --force", cluster.name(),
                    kubernetes.withV(), minikube);
        }
        List<String> arguments = startArguments(spec, cluster, minikube);
        runner.run(command(cluster.name(), nodeLabel.map(label -> withNodeLabel(arguments, label)).orElse(arguments))
                .withTimeout(startTimeout));
    }

    /**
     * The start arguments with {@code --extra-config=kubelet.node-labels=<label>}: minikube keeps
     * every {@code --extra-config} in the profile (config.ExtraOptionSlice, saved before the host
     * is created, node/start.go {@code Provision}), so {@code profile list} shows it even after a
     * start that failed half-way, and hands kubelet options to the kubelet as flags
     * (bsutil/kubelet.go {@code extraKubeletOpts}), which labels the node when it registers. The
     * kubelet keeps one value per flag, so a {@code kubelet.node-labels} the user passes through
     * gets the label appended (labels are comma-separated) instead of a second flag.
     */
    static List<String> withNodeLabel(List<String> arguments, String label) {
        String prefix = "--extra-config=" + KUBELET_NODE_LABELS + "=";
        List<String> labelled = new ArrayList<>(arguments);
        for (int i = labelled.size() - 1; i >= 0; i--) {
            if (labelled.get(i).startsWith(prefix)) {
                labelled.set(i, labelled.get(i) + "," + label);
                return labelled;
            }
        }
        labelled.add(prefix + label);
        return labelled;
    }

    /** What {@code minikube status -p X -o json} reports; the exit code is a bitmask, 85 = no profile. */
    public record ProfileStatus(boolean exists, boolean running, String host, String apiServer) {
    }

    public ProfileStatus status(String profile) {
        CommandResult result = runner.runAllowingFailure(command(profile, "status", "-p", profile, "-o", "json"));
        if (result.exitCode() == PROFILE_NOT_FOUND) {
            return new ProfileStatus(false, false, "Nonexistent", "Nonexistent");
        }
        JsonNode status = json(result);
        JsonNode node = status.isArray() ? status.path(0) : status;
        return new ProfileStatus(true, result.exitCode() == 0, node.path("Host").asString("Nonexistent"),
                node.path("APIServer").asString("Nonexistent"));
    }

    /**
     * One profile of {@code minikube profile list -o json}; the keys are the Go field names of
     * config.Profile / ClusterConfig (no json tags). {@code nodeLabels} are the labels given with
     * {@code --extra-config=kubelet.node-labels=...}, as the profile recorded them.
     */
    public record Profile(String name, String status, String driver, String kubernetesVersion, String containerRuntime,
            String cni, String serviceCidr, String podCidr, String network, String staticIp, List<String> nodeLabels) {

        /** {@code OK} since minikube 1.35.0, {@code Running} before. */
        public boolean running() {
            return status.equals("OK") || status.equals("Running");
        }
    }

    public List<Profile> profiles() {
        JsonNode list = json(runner.run(command(null, "profile", "list", "-o", "json")));
        List<Profile> profiles = new ArrayList<>();
        for (JsonNode p : list.path("valid")) {
            JsonNode config = p.path("Config");
            JsonNode kube = config.path("KubernetesConfig");
            String podCidr = "";
            List<String> nodeLabels = new ArrayList<>();
            for (JsonNode option : kube.path("ExtraOptions")) {
                if (option.path("Component").asString().equals("kubeadm") && option.path("Key").asString().equals("pod-network-cidr")) {
                    podCidr = option.path("Value").asString();
                }
                if ((option.path("Component").asString() + "." + option.path("Key").asString()).equals(KUBELET_NODE_LABELS)) {
                    for (String label : option.path("Value").asString().split(",")) {
                        nodeLabels.add(label.strip());
                    }
                }
            }
            profiles.add(new Profile(p.path("Name").asString(), p.path("Status").asString(), config.path("Driver").asString(),
                    kube.path("KubernetesVersion").asString(), kube.path("ContainerRuntime").asString(),
                    kube.path("CNI").asString(), kube.path("ServiceCIDR").asString(), podCidr,
                    config.path("Network").asString(), config.path("StaticIP").asString(), List.copyOf(nodeLabels)));
        }
        return profiles;
    }

    /** {@code minikube ip -p X}: the node IP. */
    public String ip(String profile) {
        return runner.run(command(profile, "ip", "-p", profile)).stdout().strip();
    }

    /**
     * {@code minikube ssh -p X -- sudo ip route replace <cidr> via <gateway>}. minikube joins the
     * arguments with single spaces and runs them in the node's shell (cmd/ssh.go); {@code replace}
     * makes a rerun harmless, and no {@code dev} lets the kernel pick the on-link interface.
     */
    public void replaceRoute(String profile, Cidr destination, String gateway) {
        runner.run(command(profile, "ssh", "-p", profile, "--", "sudo", "ip", "route", "replace",
                destination.toString(), "via", gateway));
    }

    /** {@code minikube ssh -p X -- ip route show}, with the PTY's CRLF line ends removed. */
    public List<String> routes(String profile) {
        String output = runner.run(command(profile, "ssh", "-p", profile, "--", "ip", "route", "show")).stdout();
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** A route as {@code ip route replace <destination> via <gateway>} sets it. */
    public record Route(Cidr destination, String gateway) {
        @Override
        public String toString() {
            return destination + " via " + gateway;
        }
    }

    /**
     * The gateway routes among {@code ip route show} lines, whatever follows them: iproute2 prints
     * {@code 10.20.0.0/16 via 192.168.200.3 dev eth0}, with the device (and maybe {@code proto},
     * {@code metric}) the kernel chose. A host route prints its address without {@code /32}; lines
     * without {@code via} (on-link routes) and {@code default} are not such routes.
     */
    public static Set<Route> gatewayRoutes(List<String> lines) {
        Set<Route> routes = new java.util.LinkedHashSet<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 3 || !words[1].equals("via") || words[0].equals("default")) {
                continue;
            }
            try {
                routes.add(new Route(Cidr.parse(words[0].contains("/") ? words[0] : words[0] + "/32"), words[2]));
            } catch (IllegalArgumentException e) {
                // not an IPv4 destination (e.g. a type keyword such as "unreachable"): not one of mcmesh's routes
            }
        }
        return routes;
    }

    /**
     * {@code minikube image ls -p X}: the images in the node, as the default {@code --format short}
     * prints them (cmd/image.go, machine/cache_images.go {@code ListImages}): one repo tag a line,
     * Docker Hub names with {@code docker.io/} in front (cruntime/docker.go {@code AddDockerIO}).
     */
    public Set<String> images(String profile) {
        return runner.run(command(profile, "image", "ls", "-p", profile)).stdout().lines().map(String::strip)
                .filter(line -> !line.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * {@code minikube image ls --format json -p X}: the node's images as repo tag to image id (hex,
     * no {@code sha256:} prefix), as machine/cache_images.go {@code ListImages} prints them
     * ({@code json.Marshal([]cruntime.ListImage)}: {@code id}, {@code repoDigests}, {@code repoTags},
     * {@code size}). A stopped profile prints an empty line: no images.
     */
    Map<String, String> imageIds(String profile) {
        CommandResult result = runner.run(command(profile, "image", "ls", "--format", "json", "-p", profile));
        Map<String, String> ids = new LinkedHashMap<>();
        if (result.stdout().isBlank()) {
            return ids;
        }
        for (JsonNode image : json(result)) {
            for (JsonNode tag : image.path("repoTags")) {
                ids.put(tag.asString(), image.path("id").asString());
            }
        }
        return ids;
    }

    /**
     * The warning minikube prints, and exits 0 after, when it finds an image neither in this machine's
     * docker daemon nor in its registry (v1.37.0-v1.38.1 pkg/minikube/image/cache.go {@code SaveToDir}:
     * {@code out.WarningT("The image '{{.imageName}}' was not found; unable to add it to cache.")};
     * kubernetes/minikube#21393).
     */
    static final String IMAGE_NOT_FOUND = "was not found; unable to add it to cache.";

    /**
     * {@code minikube image load -p X <image>}: copies the image from this machine's docker daemon
     * into the node; without {@code --daemon}/{@code --remote} minikube tries the daemon, then the
     * image's registry (cmd/image.go).
     *
     * @throws IllegalStateException when minikube found the image nowhere: it exits 0 then
     */
    public void loadImage(String profile, String image) {
        load(profile, List.of("image", "load", "-p", profile, image));
    }

    /**
     * {@code minikube image load -p X --daemon <image>...}: copies the images from this machine's
     * docker daemon only ({@code --daemon} alone turns the registry off, cmd/image.go
     * {@code image.UseRemote(false)}); several images per call, as {@code Use: "load IMAGE | ARCHIVE | -"} allows.
     * Check the daemon has them first: a load of an image it lacks removes the node's copy before
     * it fails, and exits 0 (machine/cache_images.go {@code transferAndLoadImage} runs
     * {@code removeExistingImage} before it opens the cached file).
     *
     * @throws IllegalStateException when minikube found an image nowhere
     */
    void loadImagesFromDaemon(String profile, List<String> images) {
        List<String> arguments = new ArrayList<>(List.of("image", "load", "-p", profile, "--daemon"));
        arguments.addAll(images);
        load(profile, arguments);
    }

    private void load(String profile, List<String> arguments) {
        CommandResult result = runner.run(command(profile, arguments).withTimeout(startTimeout));
        List<String> notFound = result.stderr().lines().filter(line -> line.contains(IMAGE_NOT_FOUND)).map(String::strip).toList();
        if (!notFound.isEmpty()) {
            throw new IllegalStateException("'" + result.command().commandLine() + "' exited " + result.exitCode()
                    + " but loaded nothing for " + String.join(" ", notFound)
                    + " (minikube exits 0 when it finds an image neither in this machine's docker daemon nor in its registry)");
        }
    }

    /**
     * How {@link #images(String)} lists an image reference: Docker Hub names get {@code docker.io/}
     * (and {@code library/} for official images), a reference without tag gets {@code :latest}.
     */
    public static String listedName(String image) {
        String name = image;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        if (slash < 0) {
            name = "docker.io/library/" + name;
        } else if (!(first.contains(".") || first.contains(":") || first.contains("localhost"))) {
            name = "docker.io/" + name;
        }
        boolean tagged = name.substring(name.lastIndexOf('/') + 1).contains(":") || name.contains("@");
        return tagged ? name : name + ":latest";
    }

    /** {@code minikube delete -p X}; exits 0 when the profile does not exist. */
    public void delete(String profile) {
        runner.run(command(profile, "delete", "-p", profile).withTimeout(startTimeout));
    }

    private Command command(String cluster, String... arguments) {
        return command(cluster, List.of(arguments));
    }

    private Command command(String cluster, List<String> arguments) {
        Command command = Command.of(Tool.MINIKUBE, arguments).withTimeout(commandTimeout).withEnvironment(environment);
        return cluster == null ? command : command.forCluster(cluster);
    }

    private static JsonNode json(CommandResult result) {
        try {
            return ToolJson.tree(result.stdout());
        } catch (JacksonException e) {
            throw new IllegalStateException("'" + result.command().commandLine() + "' printed no JSON: "
                    + tail(result.stdout()), e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 400 ? text : "..." + text.substring(text.length() - 400);
    }
}
