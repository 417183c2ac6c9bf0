package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.CommandFailedException;
import io.github.mcmesh.internal.exec.ProcessCommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.ToolVersions;
import io.github.mcmesh.internal.exec.Tools;
import io.github.mcmesh.internal.files.OwnerOnlyFiles;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One minikube profile per cluster, all on one node network. For the docker driver the shared
 * network is created up front ({@code docker network create}), because minikube's own create
 * races when two profiles start at once; every node gets its own {@code --static-ip}
 * (kubernetes/minikube#14799).
 * <p>
 * Ownership is proven by the thing itself, never by a local file alone: before creating a
 * profile or the network mcmesh records a random creation id under {@code <stateDirectory>/owned/}
 * and gives it to what it creates, the profile as the node label {@value #CREATION_ID_LABEL}
 * (an {@code --extra-config=kubelet.node-labels}, which minikube saves in the profile before the
 * host exists, so a start that failed half-way is still known as ours) and the network as the
 * docker label {@value #NETWORK_CREATION_ID_LABEL}. Only when both agree does mcmesh restart,
 * change or delete it; a look-alike made by hand after a reset (same name, no or another id) is
 * never deleted.
 *
 * <pre>{@code
 * ClusterProvider provider = new MinikubeProvider(new ProvisioningContext(spec, runner));
 * }</pre>
 */
public final class MinikubeProvider implements ClusterProvider {

    private static final Logger LOG = LoggerFactory.getLogger(MinikubeProvider.class);

    /** The node label carrying the creation id of a profile mcmesh created. */
    public static final String CREATION_ID_LABEL = "mcmesh.github.io/creation-id";
    /** The docker network label carrying the creation id of the node network mcmesh created. */
    public static final String NETWORK_CREATION_ID_LABEL = "io.github.mcmesh.creation-id";
    private static final String CREATION_ID_KEY = "creation-id=";
    private static final String DOCKER_ENGINE_KEY = "docker-engine:";
    private static final Duration DOCKER_ENGINE_TIMEOUT = Duration.ofSeconds(20);

    private final ProvisioningContext context;
    private final Minikube minikube;
    private final Docker docker;
    private final ToolVersions versions;
    private volatile Version minikubeVersion;
    /** {@code minikube profile list}, started by {@link #preflight()} beside its other reads; taken by {@link #existing()}. */
    private volatile CompletableFuture<List<Minikube.Profile>> profilesRead;
    /** The node network as {@link #preflight()} saw it (null before, or without the docker driver): the network step's check. */
    private volatile Optional<Docker.Network> networkSeen;
    /** The default bridge's MTU, read beside the preflight for the network step (null before). */
    private volatile CompletableFuture<Optional<Integer>> bridgeMtuRead;

    MinikubeProvider(ProvisioningContext context) {
        this(context, System.getenv());
    }

    /**
     * @param processEnvironment where the proxy variables come from (see {@link ProxyEnvironment})
     */
    MinikubeProvider(ProvisioningContext context, Map<String, String> processEnvironment) {
        this.context = context;
        MeshSpec spec = context.spec();
        Map<String, String> environment = new LinkedHashMap<>(ProxyEnvironment.forMinikube(spec, processEnvironment));
        spec.kubeconfig().ifPresent(path -> environment.put("KUBECONFIG", path.toString()));
        this.minikube = new Minikube(context.runner(), spec.timeouts(), environment);
        this.docker = new Docker(context.runner(), spec.timeouts().command());
        this.versions = context.toolVersions();
    }

    private MeshSpec spec() {
        return context.spec();
    }

    /**
     * minikube, and docker when mcmesh runs it: to create the node network (the docker driver) or to
     * pull Istio's images ({@value MeshProperties#PRELOAD_ISTIO_IMAGES}, with any driver).
     */
    @Override
    public List<Tool> requiredTools() {
        return dockerNeededFor().isPresent() ? List.of(Tool.MINIKUBE, Tool.DOCKER) : List.of(Tool.MINIKUBE);
    }

    /** What mcmesh runs docker for itself, e.g. {@code the docker driver}; empty when it does not. */
    private Optional<String> dockerNeededFor() {
        return managesDockerNetwork() ? Optional.of("the docker driver")
                : spec().sources().preloadIstioImages() ? Optional.of(MeshProperties.PRELOAD_ISTIO_IMAGES) : Optional.empty();
    }

    /**
     * When mcmesh runs docker ({@link #requiredTools()}), a Docker engine that does not answer
     * {@code docker version} (asked once per docker executable: the answer does not change within a run).
     */
    @Override
    public List<String> preflightProblems(Tools tools, BiFunction<String, Supplier<String>, String> once) {
        if (dockerNeededFor().isEmpty() || !tools.isAvailable(Tool.DOCKER)) {
            return List.of();
        }
        String engineProblem = once.apply(DOCKER_ENGINE_KEY + tools.path(Tool.DOCKER), () -> new Docker(
                new ProcessCommandRunner(tools, System.getenv(), new Redactor(), DOCKER_ENGINE_TIMEOUT), DOCKER_ENGINE_TIMEOUT)
                .engineProblem().orElse(""));
        return engineProblem.isEmpty() ? List.of() : List.of("a running Docker engine for " + dockerNeededFor().get() + ", but "
                + tools.path(Tool.DOCKER) + " says: " + engineProblem + " (start Docker; install: " + Tool.DOCKER.installHint() + ")");
    }

    @Override
    public void preflight() {
        // every read at once, each its own process: none depends on another, and they hold up every start
        profilesRead = inBackground("profiles", minikube::profiles);
        CompletableFuture<Optional<Docker.Network>> networkRead = managesDockerNetwork()
                ? inBackground("network", () -> docker.network(spec().nodeNetwork())) : null;
        bridgeMtuRead = managesDockerNetwork() ? inBackground("bridge", docker::defaultBridgeMtu) : null;
        minikubeVersion = versions.minikube();
        Minikube.requireSupports(minikubeVersion, spec().kubernetesVersion());
        if (managesDockerNetwork()) {
            networkSeen = joined(networkRead);
            networkSeen.ifPresent(network -> {
                if (!network.subnet().equals(spec().nodeSubnet())) {
                    throw new ProvisioningException("docker network '" + spec().nodeNetwork() + "' exists with subnet "
                            + network.subnet() + ", but " + MeshProperties.NODE_SUBNET + " is " + spec().nodeSubnet() + " and the static IPs"
                            + " lie in it; set " + MeshProperties.NODE_SUBNET + " to " + network.subnet() + " (and each"
                            + " @Cluster(staticIp) in it), choose another " + MeshProperties.NODE_NETWORK + ", or remove the network");
                }
                if (network.gateway().isEmpty()) {
                    throw new ProvisioningException(noGateway(network.subnet()) + ". Remove it (docker network rm "
                            + spec().nodeNetwork() + ") so mcmesh creates it as minikube does, or create it yourself with"
                            + " --gateway=" + Docker.gateway(network.subnet()) + "; or choose another nodeNetwork ("
                            + MeshProperties.NODE_NETWORK + ")");
                }
            });
        } else if (spec().driver().equals("podman")) {
            LOG.warn("The podman driver: mcmesh does not create the shared network '{}' up front (it drives docker only);"
                    + " minikube creates it, which can race when both clusters start at once", spec().nodeNetwork());
        }
    }

    @Override
    public Map<String, ExistingCluster> existing() {
        Map<String, ExistingCluster> existing = new LinkedHashMap<>();
        CompletableFuture<List<Minikube.Profile>> read = profilesRead;
        profilesRead = null;
        for (Minikube.Profile profile : read != null ? joined(read) : minikube.profiles()) {
            spec().cluster(profile.name()).ifPresent(cluster ->
                    existing.put(profile.name(), new ExistingCluster(profile.name(), profile.running(), differences(cluster, profile),
                            createdHere(profile))));
        }
        return existing;
    }

    private List<Fingerprint.Change> differences(ClusterSpec cluster, Minikube.Profile profile) {
        Map<String, String[]> pairs = new LinkedHashMap<>();
        pairs.put("kubernetesVersion", new String[] {profile.kubernetesVersion(), spec().kubernetesVersion().withV()});
        pairs.put("driver", new String[] {profile.driver(), spec().driver()});
        pairs.put("containerRuntime", new String[] {profile.containerRuntime(), spec().containerRuntime()});
        pairs.put("cni", new String[] {profile.cni(), spec().cni()});
        pairs.put("clusters[" + cluster.name() + "].podCidr", new String[] {profile.podCidr(), cluster.podCidr().toString()});
        pairs.put("clusters[" + cluster.name() + "].serviceCidr", new String[] {profile.serviceCidr(), cluster.serviceCidr().toString()});
        if (SpecFacts.usesContainerDriver(spec())) {
            pairs.put("nodeNetwork", new String[] {profile.network(), spec().nodeNetwork()});
            pairs.put("clusters[" + cluster.name() + "].staticIp", new String[] {profile.staticIp(), cluster.staticIp()});
        }
        List<Fingerprint.Change> changes = new ArrayList<>();
        pairs.forEach((field, values) -> {
            if (!values[0].equals(values[1])) {
                changes.add(new Fingerprint.Change(field, values[0].isEmpty() ? null : values[0], values[1]));
            }
        });
        return changes;
    }

    /** Why a network without gateway breaks the static IPs (minikube network_create.go, kic.go; moby daemon/network.go). */
    private String noGateway(Cidr subnet) {
        return "docker network '" + spec().nodeNetwork() + "' (" + subnet + ") reports no gateway in 'docker network inspect'"
                + " (Docker Engine up to 28.x leaves it out for a network created with --subnet alone), so minikube passes"
                + " neither --network nor --ip to 'docker run': the nodes land on Docker's default bridge with dynamic"
                + " addresses and --static-ip is dropped, although the profile still records it";
    }

    /**
     * The node's InternalIP must be the static IP it was started with: otherwise the routes and
     * the API server URL the peers get would point at an address the node does not have.
     */
    @Override
    public void checkNode(ClusterSpec cluster, KubeAccess.NodeFacts node) {
        if (!SpecFacts.usesContainerDriver(spec()) || cluster.staticIp().isEmpty() || node.internalIp().equals(cluster.staticIp())) {
            return;
        }
        String cause = managesDockerNetwork() ? docker.network(spec().nodeNetwork())
                .map(network -> network.gateway().isEmpty() ? noGateway(network.subnet())
                        + ". Remove the network and the clusters (minikube delete -p " + cluster.name() + "; docker network rm "
                        + spec().nodeNetwork() + ") and rerun: mcmesh creates the network with --gateway="
                        + Docker.gateway(network.subnet())
                        : "docker network '" + spec().nodeNetwork() + "' reports gateway " + network.gateway().get()
                        + "; the profile may have been created before with another static IP (minikube keeps it on a"
                        + " restart): delete it (minikube delete -p " + cluster.name() + ") and rerun")
                .orElse("docker network '" + spec().nodeNetwork() + "' does not exist") : "minikube did not apply --static-ip";
        throw new IllegalStateException("node " + node.name() + " of cluster " + cluster.name() + " has InternalIP "
                + node.internalIp() + ", not its static IP " + cluster.staticIp() + ": " + cause);
    }

    @Override
    public boolean createsClusters() {
        return true;
    }

    /** Whether this machine's record of creating the profile matches the creation id the profile carries. */
    @Override
    public boolean createdHere(String cluster) {
        return minikube.profiles().stream().anyMatch(profile -> profile.name().equals(cluster) && createdHere(profile));
    }

    private boolean createdHere(Minikube.Profile profile) {
        return recordedCreationId(clusterRecord(profile.name())).filter(id -> profile.nodeLabels().contains(nodeLabel(id))).isPresent();
    }

    private static String nodeLabel(String creationId) {
        return CREATION_ID_LABEL + "=" + creationId;
    }

    @Override
    public List<Step> prepareSteps() {
        if (!managesDockerNetwork()) {
            return List.of();
        }
        return List.of(Step.of("create node network " + spec().nodeNetwork() + " (" + spec().nodeSubnet() + ")", null,
                // the preflight's inspect, once: nothing but this step creates the network while the gate is held
                () -> Optional.ofNullable(networkSeen).map(Optional::isPresent)
                        .orElseGet(() -> docker.networkSubnet(spec().nodeNetwork()).isPresent()),
                () -> docker.createNetwork(spec().nodeNetwork(), spec().nodeSubnet(),
                        Map.of(NETWORK_CREATION_ID_LABEL, recordOwnership(networkRecord())),
                        bridgeMtuRead != null ? joined(bridgeMtuRead) : docker.defaultBridgeMtu())));
    }

    /** A read on its own daemon thread. */
    private static <T> CompletableFuture<T> inBackground(String what, Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, task -> {
            Thread thread = new Thread(task, "mcmesh-preflight-" + what);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The read's result, or its failure as the read itself threw it. */
    private static <T> T joined(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Skipped while the profile runs; otherwise, for a profile that does not exist yet, records a
     * new creation id and starts the profile carrying it; an existing profile is restarted (with
     * its id) only when it proves mcmesh created it. One {@code minikube status} serves both: the
     * one {@code holds()} just ran.
     */
    @Override
    public Step startStep(ClusterSpec cluster) {
        AtomicReference<Minikube.ProfileStatus> checked = new AtomicReference<>();
        return Step.of("start cluster", cluster.name(), () -> {
            Minikube.ProfileStatus status = minikube.status(cluster.name());
            checked.set(status);
            return status.running();
        }, () -> {
            // applied without a check just before (e.g. directly): read the status now
            Minikube.ProfileStatus status = Optional.ofNullable(checked.getAndSet(null))
                    .orElseGet(() -> minikube.status(cluster.name()));
            String creationId;
            if (!status.exists()) {
                creationId = recordOwnership(clusterRecord(cluster.name()));
            } else if (createdHere(cluster.name())) {
                creationId = recordedCreationId(clusterRecord(cluster.name())).orElseThrow();
            } else {
                throw new ProvisioningException("profile " + cluster.name() + " exists but mcmesh did not create it"
                        + " (it carries no " + CREATION_ID_LABEL + " matching " + ownershipFile(clusterRecord(cluster.name()))
                        + "), so mcmesh does not start it; start it yourself (minikube start -p " + cluster.name()
                        + ") or delete it");
            }
            minikube.start(spec(), cluster, minikubeVersion(), Optional.of(nodeLabel(creationId)));
        });
    }

    /**
     * One step: {@code minikube image ls}, then {@code minikube image load} for each image the node
     * lacks, so a rerun loads nothing that is there. An image neither this machine's docker nor its
     * registry has fails the step naming the image and the option to change.
     */
    @Override
    public List<Step> preloadSteps(ClusterSpec cluster, SampleImages images) {
        return List.of(Step.of("preload sample images " + images.distinct(), cluster.name(),
                () -> missingImages(cluster.name(), images).isEmpty(),
                () -> missingImages(cluster.name(), images).forEach(image -> load(cluster.name(), image, images))));
    }

    private List<String> missingImages(String cluster, SampleImages images) {
        Set<String> present = minikube.images(cluster);
        return images.distinct().stream().filter(image -> !present.contains(Minikube.listedName(image))).toList();
    }

    private void load(String cluster, String image, SampleImages images) {
        try {
            minikube.loadImage(cluster, image);
        } catch (CommandFailedException | IllegalStateException e) {
            throw new IllegalStateException("cannot preload image " + image + " (sample " + String.join(", ",
                    images.samplesRunning(image)) + ") into cluster " + cluster + ": 'minikube image load' takes it from"
                    + " this machine's docker daemon or its registry, and got it from neither. Make it available"
                    + " ('docker pull " + image + "' through a mirror, or 'docker load'), or set "
                    + MeshProperties.SAMPLE_IMAGES + " (Sources.withSampleImages) to an image you have, e.g. "
                    + images.samplesRunning(image).get(0) + "=registry.example.com/" + image.substring(image.lastIndexOf('/') + 1)
                    + ".\n" + e.getMessage(), e);
        }
    }

    /**
     * One step beside the starts: {@code docker pull} of each image this machine's docker daemon
     * lacks, skipped when {@code docker image inspect} finds them all. Given the cluster start's
     * timeout, as a pull readies the clusters as a start does.
     */
    @Override
    public List<Step> istioImagePullSteps(List<String> images) {
        MinikubeImages loader = new MinikubeImages(minikube, docker);
        return List.of(Step.of("pull Istio images " + images, null, () -> loader.missingOnHost(images).isEmpty(),
                () -> loader.pullMissing(images, spec().timeouts().clusterStart(), MeshProperties.PRELOAD_ISTIO_IMAGES)));
    }

    /**
     * One step: {@code minikube image load --daemon} of the images the node lacks or holds under
     * another id than this machine's daemon ({@link MinikubeImages}), the rest skipped.
     */
    @Override
    public List<Step> istioImageLoadSteps(ClusterSpec cluster, List<String> images) {
        return List.of(Step.of("load Istio images " + images, cluster.name(), () -> false,
                () -> new MinikubeImages(minikube, docker).loadInto(cluster.name(), images, MeshProperties.PRELOAD_ISTIO_IMAGES)));
    }

    /** From this machine's docker daemon, by image id ({@link MinikubeImages}). */
    @Override
    public ImageLoader imageLoader() {
        return new MinikubeImages(minikube, docker);
    }

    @Override
    public String apiServerUrl(KubernetesClient client, String nodeIp) {
        return "https://" + nodeIp + ":8443";
    }

    @Override
    public List<Step> routeSteps(ClusterSpec cluster, ProvisioningContext context, Function<String, Boolean> routesCurrent) {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("route peer pod networks", cluster.name(),
                () -> routesCurrent.apply(cluster.name()) || missingRoutes(cluster, context).isEmpty(),
                () -> peers(cluster, context).forEach((range, gateway) -> replaceRoute(cluster.name(), range, gateway))));
        if (spec().cni().equals("kindnet")) {
            steps.add(Kindnet.keepPodSourceIpsStep(cluster.name(), context, spec()));
        }
        return steps;
    }

    /** Sets a route on the cluster's node: through {@code docker exec} with the docker driver, as the routing table is read, else {@code minikube ssh}. */
    private void replaceRoute(String cluster, Cidr range, String gateway) {
        if (managesDockerNetwork()) {
            docker.replaceRoute(cluster, range, gateway);
        } else {
            minikube.replaceRoute(cluster, range, gateway);
        }
    }

    /** The routes to the peers that {@code ip route show} on the cluster's node lacks (destination and gateway compared). */
    private List<Minikube.Route> missingRoutes(ClusterSpec cluster, ProvisioningContext context) {
        Set<Minikube.Route> present = Minikube.gatewayRoutes(routingTable(cluster.name()));
        return expectedRoutes(cluster, context).stream().filter(route -> !present.contains(route)).toList();
    }

    /**
     * The node's routing table: with the docker driver through {@code docker exec} on the node
     * container (named after the profile for a single-node cluster, minikube config/profile.go
     * {@code MachineName}), otherwise through {@code minikube ssh}.
     */
    private List<String> routingTable(String cluster) {
        return managesDockerNetwork() ? docker.routingTable(cluster) : minikube.routes(cluster);
    }

    /**
     * Reads every node's routing table, one {@code docker exec} (or {@code minikube ssh}) per cluster, all at once: a route
     * removed without a node reboot leaves the boot ID alone, so the warm path looks here too.
     */
    @Override
    public Map<String, List<String>> missingRoutes(ProvisioningContext context) {
        List<ClusterSpec> clusters = spec().clusters();
        List<List<String>> missing = PerCluster.map("route-check", clusters, cluster -> {
            try {
                return missingRoutes(cluster, context).stream().map(Minikube.Route::toString).toList();
            } catch (RuntimeException e) {
                return List.of("(routing table unreadable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
            }
        });
        Map<String, List<String>> byCluster = new LinkedHashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            if (!missing.get(i).isEmpty()) {
                byCluster.put(clusters.get(i).name(), missing.get(i));
            }
        }
        return byCluster;
    }

    /** The routes to the pod and service range of every peer on the same network, via the peer's node IP. */
    private List<Minikube.Route> expectedRoutes(ClusterSpec cluster, ProvisioningContext context) {
        List<Minikube.Route> expected = new ArrayList<>();
        peers(cluster, context).forEach((range, gateway) -> expected.add(new Minikube.Route(range, gateway)));
        return expected;
    }

    /**
     * The peers' ranges to route, via their node IPs: only peers on the cluster's own network; a
     * peer on another network is reached through its east-west gateway at its node IP, which the
     * node network already carries.
     */
    private Map<Cidr, String> peers(ClusterSpec cluster, ProvisioningContext context) {
        Map<Cidr, String> routes = new LinkedHashMap<>();
        spec().clusters().stream().filter(peer -> !peer.name().equals(cluster.name()))
                .filter(peer -> peer.network().equals(cluster.network())).forEach(peer -> {
            String gateway = context.connection(peer.name()).nodeIp();
            routes.put(peer.podCidr(), gateway);
            routes.put(peer.serviceCidr(), gateway);
        });
        return routes;
    }

    /**
     * Deletes the profile, only when it proves mcmesh created it.
     *
     * @throws ProvisioningException when it does not
     */
    @Override
    public void delete(String cluster) {
        if (!deleteIfCreatedHere(cluster)) {
            throw new ProvisioningException("mcmesh does not delete profile " + cluster + ": it carries no "
                    + CREATION_ID_LABEL + " matching " + ownershipFile(clusterRecord(cluster)));
        }
    }

    @Override
    public boolean deleteIfCreatedHere(String cluster) {
        if (!createdHere(cluster)) {
            return false;
        }
        minikube.delete(cluster);
        deleteOwnership(clusterRecord(cluster));
        return true;
    }

    /**
     * Removes the node network when its creation id label matches this machine's record. A
     * network with the name but another or no id (made by hand after a reset) is kept, and the
     * record, proven stale, is dropped.
     */
    @Override
    public void removeSharedResources() {
        if (!managesDockerNetwork()) {
            return;
        }
        Optional<String> recorded = recordedCreationId(networkRecord());
        if (recorded.isEmpty()) {
            return;
        }
        Optional<Map<String, String>> labels = docker.networkLabels(spec().nodeNetwork());
        if (labels.isPresent() && recorded.get().equals(labels.get().get(NETWORK_CREATION_ID_LABEL))) {
            docker.removeNetwork(spec().nodeNetwork());
        } else if (labels.isPresent()) {
            LOG.info("Kept docker network {}: mcmesh did not create it (its label {} is {}, this machine recorded {})",
                    spec().nodeNetwork(), NETWORK_CREATION_ID_LABEL,
                    labels.get().getOrDefault(NETWORK_CREATION_ID_LABEL, "missing"), recorded.get());
        }
        deleteOwnership(networkRecord());
    }

    private boolean managesDockerNetwork() {
        return spec().driver().equals("docker");
    }

    private Version minikubeVersion() {
        if (minikubeVersion == null) {
            preflight();
        }
        return minikubeVersion;
    }

    private static String clusterRecord(String cluster) {
        return "cluster-" + cluster;
    }

    private String networkRecord() {
        return "network-" + spec().nodeNetwork();
    }

    private Path ownershipFile(String name) {
        return spec().stateDirectory().resolve("owned").resolve(name);
    }

    /** Records, owner-only, that mcmesh is about to create {@code name}, under a new random creation id, and returns the id. */
    private String recordOwnership(String name) {
        String creationId = UUID.randomUUID().toString();
        try {
            OwnerOnlyFiles.writeString(ownershipFile(name), CREATION_ID_KEY + creationId + "\nmesh=" + spec().identity()
                    + "\ncreated=" + Instant.now() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record in " + spec().stateDirectory() + " (" + MeshProperties.STATE_DIR
                    + ") that mcmesh creates " + name + "; set " + MeshProperties.STATE_DIR + " to a directory this user can write", e);
        }
        return creationId;
    }

    /** The creation id of this machine's record, if any (a record of an older mcmesh has none, so proves nothing). */
    private Optional<String> recordedCreationId(String name) {
        Path file = ownershipFile(name);
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(line -> line.startsWith(CREATION_ID_KEY))
                    .map(line -> line.substring(CREATION_ID_KEY.length()).strip()).filter(id -> !id.isEmpty()).findFirst()
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void deleteOwnership(String name) {
        try {
            Files.deleteIfExists(ownershipFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
