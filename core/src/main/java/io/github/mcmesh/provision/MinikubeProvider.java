package io.github.mcmesh.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.exec.CommandFailedException;
import io.github.mcmesh.exec.CommandRunner;
import io.github.mcmesh.exec.ToolVersions;
import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.Fingerprint;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One minikube profile per cluster, all on one node network. For the docker driver the shared
 * network is created up front ({@code docker network create}), because minikube's own create
 * races when two profiles start at once; every node gets its own {@code --static-ip}
 * (kubernetes/minikube#14799). What mcmesh creates is recorded under
 * {@code <stateDirectory>/owned/} before it exists, so a failed start is still known as ours.
 *
 * <pre>{@code
 * ClusterProvider provider = new MinikubeProvider(spec, runner);
 * }</pre>
 */
public final class MinikubeProvider implements ClusterProvider {

    private static final Logger LOG = LoggerFactory.getLogger(MinikubeProvider.class);

    private final MeshSpec spec;
    private final Minikube minikube;
    private final Docker docker;
    private final ToolVersions versions;
    private volatile Version minikubeVersion;

    public MinikubeProvider(MeshSpec spec, CommandRunner runner) {
        this(spec, runner, System.getenv());
    }

    /**
     * @param processEnvironment where the proxy variables come from (see {@link ProxyEnvironment})
     */
    public MinikubeProvider(MeshSpec spec, CommandRunner runner, Map<String, String> processEnvironment) {
        this.spec = spec;
        Map<String, String> environment = new LinkedHashMap<>(ProxyEnvironment.forMinikube(spec, processEnvironment));
        spec.kubeconfig().ifPresent(path -> environment.put("KUBECONFIG", path.toString()));
        this.minikube = new Minikube(runner, spec.timeouts(), environment);
        this.docker = new Docker(runner, spec.timeouts().command());
        this.versions = new ToolVersions(runner);
    }

    @Override
    public void preflight() {
        minikubeVersion = versions.minikube();
        Minikube.requireSupports(minikubeVersion, spec.kubernetesVersion());
        if (managesDockerNetwork()) {
            docker.networkSubnet(spec.nodeNetwork()).filter(subnet -> !subnet.equals(spec.nodeSubnet())).ifPresent(subnet -> {
                throw new ProvisioningException("docker network '" + spec.nodeNetwork() + "' exists with subnet " + subnet
                        + ", but nodeSubnet is " + spec.nodeSubnet() + " and the static IPs lie in it; set nodeSubnet to "
                        + subnet + " (and staticIps in it), choose another nodeNetwork, or remove the network");
            });
        } else if (spec.driver().equals("podman")) {
            LOG.warn("The podman driver: mcmesh does not create the shared network '{}' up front (it drives docker only);"
                    + " minikube creates it, which can race when both clusters start at once", spec.nodeNetwork());
        }
    }

    @Override
    public Map<String, ExistingCluster> existing() {
        Map<String, ExistingCluster> existing = new LinkedHashMap<>();
        for (Minikube.Profile profile : minikube.profiles()) {
            spec.cluster(profile.name()).ifPresent(cluster ->
                    existing.put(profile.name(), new ExistingCluster(profile.name(), profile.running(), differences(cluster, profile))));
        }
        return existing;
    }

    private List<Fingerprint.Change> differences(ClusterSpec cluster, Minikube.Profile profile) {
        Map<String, String[]> pairs = new LinkedHashMap<>();
        pairs.put("kubernetesVersion", new String[] {profile.kubernetesVersion(), spec.kubernetesVersion().withV()});
        pairs.put("driver", new String[] {profile.driver(), spec.driver()});
        pairs.put("containerRuntime", new String[] {profile.containerRuntime(), spec.containerRuntime()});
        pairs.put("cni", new String[] {profile.cni(), spec.cni()});
        pairs.put("clusters[" + cluster.name() + "].podCidr", new String[] {profile.podCidr(), cluster.podCidr().toString()});
        pairs.put("clusters[" + cluster.name() + "].serviceCidr", new String[] {profile.serviceCidr(), cluster.serviceCidr().toString()});
        if (spec.usesContainerDriver()) {
            pairs.put("nodeNetwork", new String[] {profile.network(), spec.nodeNetwork()});
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

    @Override
    public boolean createsClusters() {
        return true;
    }

    @Override
    public boolean createdHere(String cluster) {
        return Files.exists(ownershipFile("cluster-" + cluster));
    }

    @Override
    public List<Step> prepareSteps() {
        if (!managesDockerNetwork()) {
            return List.of();
        }
        return List.of(Step.of("create node network " + spec.nodeNetwork() + " (" + spec.nodeSubnet() + ")", null,
                () -> docker.networkSubnet(spec.nodeNetwork()).isPresent(),
                () -> {
                    recordOwnership("network-" + spec.nodeNetwork());
                    docker.createNetwork(spec.nodeNetwork(), spec.nodeSubnet());
                }));
    }

    /**
     * Skipped while the profile runs; otherwise records ownership if the profile does not exist
     * yet, then starts it. One {@code minikube status} serves both: the one {@code holds()} just ran.
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
            if (!status.exists()) {
                recordOwnership("cluster-" + cluster.name());
            }
            minikube.start(spec, cluster, minikubeVersion());
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
        } catch (CommandFailedException e) {
            throw new IllegalStateException("cannot preload image " + image + " (sample " + String.join(", ",
                    images.samplesRunning(image)) + ") into cluster " + cluster + ": 'minikube image load' takes it from"
                    + " this machine's docker daemon or its registry, and got it from neither. Make it available"
                    + " ('docker pull " + image + "' through a mirror, or 'docker load'), or set "
                    + MeshProperties.SAMPLE_IMAGES + " (Sources.withSampleImages) to an image you have, e.g. "
                    + images.samplesRunning(image).get(0) + "=registry.example.com/" + image.substring(image.lastIndexOf('/') + 1)
                    + ".\n" + e.getMessage(), e);
        }
    }

    @Override
    public String apiServerUrl(KubernetesClient client, String nodeIp) {
        return "https://" + nodeIp + ":8443";
    }

    @Override
    public List<Step> routeSteps(ClusterSpec cluster, ProvisioningContext context, Function<String, Boolean> routesCurrent) {
        return List.of(Step.of("route peer pod networks", cluster.name(),
                () -> routesCurrent.apply(cluster.name()) || minikube.routes(cluster.name()).containsAll(expectedRoutes(cluster, context)),
                () -> peers(cluster, context).forEach((range, gateway) -> minikube.replaceRoute(cluster.name(), range, gateway))));
    }

    /** The routes {@code ip route show} prints once they are in place, e.g. {@code 10.20.0.0/16 via 192.168.200.3 dev eth0}. */
    private List<String> expectedRoutes(ClusterSpec cluster, ProvisioningContext context) {
        List<String> expected = new ArrayList<>();
        peers(cluster, context).forEach((range, gateway) -> expected.add(range + " via " + gateway));
        return expected;
    }

    private Map<Cidr, String> peers(ClusterSpec cluster, ProvisioningContext context) {
        Map<Cidr, String> routes = new LinkedHashMap<>();
        spec.clusters().stream().filter(peer -> !peer.name().equals(cluster.name())).forEach(peer -> {
            String gateway = context.connection(peer.name()).nodeIp();
            routes.put(peer.podCidr(), gateway);
            routes.put(peer.serviceCidr(), gateway);
        });
        return routes;
    }

    @Override
    public void delete(String cluster) {
        minikube.delete(cluster);
        deleteOwnership("cluster-" + cluster);
    }

    @Override
    public void removeSharedResources() {
        if (managesDockerNetwork() && Files.exists(ownershipFile("network-" + spec.nodeNetwork()))) {
            if (docker.networkSubnet(spec.nodeNetwork()).isPresent()) {
                docker.removeNetwork(spec.nodeNetwork());
            }
            deleteOwnership("network-" + spec.nodeNetwork());
        }
    }

    private boolean managesDockerNetwork() {
        return spec.driver().equals("docker");
    }

    private Version minikubeVersion() {
        if (minikubeVersion == null) {
            preflight();
        }
        return minikubeVersion;
    }

    private Path ownershipFile(String name) {
        return spec.stateDirectory().resolve("owned").resolve(name);
    }

    private void recordOwnership(String name) {
        try {
            Path file = ownershipFile(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, spec.identity() + " " + Instant.now() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record in " + spec.stateDirectory() + " that mcmesh creates " + name, e);
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
