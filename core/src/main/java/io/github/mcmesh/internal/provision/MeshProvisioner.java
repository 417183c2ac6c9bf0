package io.github.mcmesh.internal.provision;

import io.github.mcmesh.ProvisioningException;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.ProcessCommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.Tools;
import io.github.mcmesh.internal.probe.Fabric8PodExec;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.istio.IstioInstaller;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.ReusePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a mesh or reuses one: the entry point of provisioning.
 * <ul>
 * <li><b>Warm path</b>, API calls only: every cluster's marker has this spec's fingerprint, its
 * node's boot ID is the one the routes were applied under, and Istio is ready. No tool runs.</li>
 * <li>Otherwise a {@link ProvisioningPlan} of idempotent steps: delete drifted clusters mcmesh
 * owns, create the node network, start clusters (in parallel), preload sample images when
 * asked, connect and check the pod
 * network, route the pod networks, install Istio (in parallel), exchange remote secrets, verify,
 * write the markers. The {@link ReusePolicy} decides what may be deleted or must be refused.</li>
 * </ul>
 *
 * <pre>{@code
 * try (ProvisionedMesh mesh = MeshProvisioner.forSpec(MeshSpec.defaults()).provision()) {
 *     Mesh view = mesh.view("my-test");
 * }
 * }</pre>
 */
public final class MeshProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(MeshProvisioner.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final MeshSpec spec;
    private final CommandRunner runner;
    private final PodExec podExec;
    private final Function<ProvisioningContext, IstioLayer> istio;

    /**
     * The provisioner for real clusters: tools located from {@link MeshSpec#tools()}, run with this
     * process's environment (HOME, KUBECONFIG, proxies), pod exec through the Kubernetes API.
     */
    public static MeshProvisioner forSpec(MeshSpec spec) {
        // The runner's redactor is where the steps register every secret they learn (runner.secrets()).
        CommandRunner runner = new ProcessCommandRunner(new Tools(spec.tools()), System.getenv(), new Redactor(),
                spec.timeouts().command());
        return new MeshProvisioner(spec, runner, new Fabric8PodExec());
    }

    /** The provisioner for tests: commands through this runner, pod exec through this seam. */
    public MeshProvisioner(MeshSpec spec, CommandRunner runner, PodExec podExec) {
        this(spec, runner, podExec, context -> IstioLayer.of(new IstioInstaller(context, podExec)));
    }

    private MeshProvisioner(MeshSpec spec, CommandRunner runner, PodExec podExec, Function<ProvisioningContext, IstioLayer> istio) {
        this.spec = spec;
        this.runner = runner;
        this.podExec = podExec;
        this.istio = istio;
    }

    /** A provisioner with another Istio layer, e.g. steps a test supplies. */
    public MeshProvisioner withIstio(Function<ProvisioningContext, IstioLayer> layer) {
        return new MeshProvisioner(spec, runner, podExec, layer);
    }

    /**
     * Creates the mesh or reuses it; blocks until it is ready and logs each step.
     *
     * @throws ProvisioningException naming the failing cluster and step, or the drift the reuse policy refuses
     */
    public ProvisionedMesh provision() {
        long started = System.nanoTime();
        ClusterProvider provider = ClusterProvider.forSpec(spec, runner);
        ProvisioningContext context = new ProvisioningContext(spec, runner);
        IstioLayer layer = istio.apply(context);
        Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
        Map<String, List<String>> routesMissing = new LinkedHashMap<>();
        try {
            Map<String, Observation> observed = observe(clients);
            List<String> reasons = new ArrayList<>();
            Optional<ProvisionedMesh> warm = warmPath(provider, context, layer, observed, reasons, routesMissing, started);
            if (warm.isPresent()) {
                return warm.get();
            }
            LOG.info("Mesh {} cannot be reused as it is: {}", spec.identity(), String.join("; ", reasons));
            if (spec.reuse() == ReusePolicy.REQUIRED) {
                throw new ProvisioningException(MeshProperties.REUSE + "=required, but mesh " + spec.identity()
                        + " is not ready to reuse and mcmesh changes nothing under this policy:\n  - "
                        + String.join("\n  - ", reasons));
            }
            provider.preflight();
            Map<String, Boolean> owned = new LinkedHashMap<>();
            Set<String> recreate = decide(provider, observed, owned);
            new PlanRunner().run(plan(provider, layer, context, clients, observed, recreate, owned, routesMissing.keySet()));
            LOG.info("Mesh {} provisioned in {}", spec.identity(), seconds(started));
            return new ProvisionedMesh(spec, context.connections(), provider, layer);
        } catch (RuntimeException e) {
            clients.values().forEach(KubernetesClient::close);
            throw e;
        }
    }

    /**
     * The warm path alone: the mesh when it can be used as it is, found through API reads only
     * (no tool runs, nothing changes), so several JVMs may run it at once; empty when it needs
     * {@link #provision()} (always under {@link ReusePolicy#NEVER}).
     */
    public Optional<ProvisionedMesh> reuseIfReady() {
        if (spec.reuse() == ReusePolicy.NEVER) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        ClusterProvider provider = ClusterProvider.forSpec(spec, runner);
        ProvisioningContext context = new ProvisioningContext(spec, runner);
        IstioLayer layer = istio.apply(context);
        Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
        Optional<ProvisionedMesh> warm = Optional.empty();
        try {
            List<String> reasons = new ArrayList<>();
            warm = warmPath(provider, context, layer, observe(clients), reasons, new LinkedHashMap<>(), started);
            if (warm.isEmpty()) {
                LOG.info("Mesh {} is not ready to reuse as it is: {}", spec.identity(), String.join("; ", reasons));
            }
            return warm;
        } finally {
            if (warm.isEmpty()) {
                clients.values().forEach(KubernetesClient::close);
            }
        }
    }

    private Optional<ProvisionedMesh> warmPath(ClusterProvider provider, ProvisioningContext context, IstioLayer layer,
            Map<String, Observation> observed, List<String> reasons, Map<String, List<String>> routesMissing, long started) {
        reasons.addAll(warmPathBlockers(observed));
        if (spec.reuse() == ReusePolicy.NEVER) {
            reasons.add(MeshProperties.REUSE + "=never: owned clusters are recreated");
        } else if (reasons.isEmpty()) {
            observed.values().forEach(o -> context.register(connection(provider, o.name, o.client, o.node.get())));
            // a route removed without a reboot leaves the boot ID as it was: look at the routing tables too
            routesMissing.putAll(provider.missingRoutes(context));
            routesMissing.forEach((name, routes) -> reasons.add("the node of '" + name + "' lacks the routes " + routes));
            if (reasons.isEmpty() && layer.ready()) {
                LOG.info("Reusing mesh {} (fingerprint {}) in {}", spec.identity(), Fingerprint.of(spec).hash(), seconds(started));
                return Optional.of(new ProvisionedMesh(spec, context.connections(), provider, layer));
            }
            if (routesMissing.isEmpty()) {
                reasons.add("Istio is not ready: " + layer.describeHealth());
            }
        }
        return Optional.empty();
    }

    /** What one cluster's API shows before anything changes. */
    private static final class Observation {
        final String name;
        KubernetesClient client;
        Optional<ClusterMarker> marker = Optional.empty();
        Optional<KubeAccess.NodeFacts> node = Optional.empty();
        String problem;

        Observation(String name) {
            this.name = name;
        }
    }

    private Map<String, Observation> observe(Map<String, KubernetesClient> clients) {
        Map<String, Observation> observed = new LinkedHashMap<>();
        for (String name : spec.clusterNames()) {
            Observation o = new Observation(name);
            observed.put(name, o);
            Optional<KubernetesClient> client = KubeAccess.client(spec.kubeconfig(), name);
            client.ifPresent(this::registerCredentials);
            if (client.isEmpty()) {
                o.problem = "no kube context '" + name + "'";
                continue;
            }
            o.client = client.get();
            clients.put(name, o.client);
            try {
                o.marker = ClusterMarker.read(o.client);
                o.node = Optional.of(KubeAccess.node(o.client));
            } catch (KubernetesClientException | IllegalStateException e) {
                o.problem = "API server of '" + name + "' not usable: " + e.getMessage();
            }
        }
        return observed;
    }

    private List<String> warmPathBlockers(Map<String, Observation> observed) {
        List<String> reasons = new ArrayList<>();
        for (Observation o : observed.values()) {
            if (o.problem != null) {
                reasons.add(o.problem);
            } else if (o.marker.isEmpty()) {
                reasons.add("cluster '" + o.name + "' has no mcmesh marker");
            } else {
                ClusterMarker marker = o.marker.get();
                List<Fingerprint.Change> drift = Fingerprint.of(spec).changesFrom(marker.fingerprint());
                if (!marker.identity().equals(spec.identity())) {
                    reasons.add("cluster '" + o.name + "' belongs to mesh " + marker.identity());
                } else if (!drift.isEmpty()) {
                    reasons.add("cluster '" + o.name + "' drifted: " + drift);
                } else if (!marker.bootId().equals(o.node.get().bootId())) {
                    reasons.add("the node of '" + o.name + "' rebooted since its routes were applied");
                }
            }
        }
        return reasons;
    }

    /**
     * Applies the reuse policy: which owned clusters to recreate; refuses what may not be touched.
     *
     * @param owned filled with whether each existing cluster proves mcmesh created it
     */
    private Set<String> decide(ClusterProvider provider, Map<String, Observation> observed, Map<String, Boolean> owned) {
        Map<String, ClusterProvider.ExistingCluster> existing = provider.existing();
        Set<String> recreate = new LinkedHashSet<>();
        List<String> refusals = new ArrayList<>();
        for (Observation o : observed.values()) {
            ClusterProvider.ExistingCluster cluster = existing.get(o.name);
            List<Fingerprint.Change> drift = o.marker.map(m -> Fingerprint.of(spec).changesFrom(m.fingerprint())).orElse(List.of());
            List<Fingerprint.Change> nodeDrift = drift.stream().filter(Fingerprint.Change::isNodeLevel).toList();
            if (cluster == null) {
                if (!provider.createsClusters()) {
                    refusals.add(o.name + ": no kube context '" + o.name + "'; provider EXISTING creates no cluster");
                }
                continue;
            }
            // the cluster must prove it: a marker saying "owned" is no proof after a reset by hand
            owned.put(o.name, cluster.createdHere());
            if (cluster.createdHere() && (spec.reuse() == ReusePolicy.NEVER || !nodeDrift.isEmpty())) {
                LOG.warn("[{}] deleting and recreating the cluster: {}", o.name,
                        spec.reuse() == ReusePolicy.NEVER ? MeshProperties.REUSE + "=never" : "node-level drift " + nodeDrift);
                recreate.add(o.name);
            } else if (!cluster.createdHere()) {
                List<Fingerprint.Change> differences = new ArrayList<>(cluster.differences());
                differences.addAll(nodeDrift);
                if (spec.reuse() == ReusePolicy.NEVER) {
                    refusals.add(o.name + ": " + MeshProperties.REUSE + "=never, but mcmesh did not create this cluster and never deletes it;"
                            + " delete it yourself or choose other cluster names");
                } else if (!cluster.running()) {
                    refusals.add(o.name + ": exists but does not run, and mcmesh did not create it, so it does not start"
                            + " it; start it yourself (minikube start -p " + o.name + ") or choose another name");
                } else if (!differences.isEmpty()) {
                    refusals.add(o.name + ": mcmesh did not create this cluster and it differs from the spec: " + differences
                            + "; change the spec to match, delete the cluster yourself, or choose another name");
                } else if (o.marker.isPresent() && !o.marker.get().identity().equals(spec.identity())) {
                    refusals.add(o.name + ": already part of mesh " + o.marker.get().identity());
                } else if (provider.createsClusters() && !spec.adoptClusters()) {
                    refusals.add(o.name + ": a running cluster that matches the spec exists, but mcmesh did not create it"
                            + " (it carries no creation id matching this machine's record, e.g. it was made by hand after"
                            + " a reset; " + o.marker.map(m -> "its marker names mesh " + m.identity()).orElse("it has no mcmesh marker")
                            + "), and mcmesh changes no cluster it did not create. To let mcmesh install Istio, its secrets"
                            + " and marker into it (it is still never deleted), set " + MeshProperties.ADOPT_CLUSTERS
                            + "=true; to use clusters you made yourself as they are, use the existing provider ("
                            + MeshProperties.PROVIDER + "=existing); or delete it (minikube delete -p " + o.name
                            + ") so mcmesh creates its own");
                }
            }
        }
        if (!refusals.isEmpty()) {
            throw new ProvisioningException("Cannot provision mesh " + spec.identity() + ":\n  - " + String.join("\n  - ", refusals));
        }
        return recreate;
    }

    private ProvisioningPlan plan(ClusterProvider provider, IstioLayer layer, ProvisioningContext context,
            Map<String, KubernetesClient> clients, Map<String, Observation> observed, Set<String> recreate,
            Map<String, Boolean> owned, Set<String> routesMissing) {
        Map<String, KubeAccess.NodeFacts> nodes = new ConcurrentHashMap<>();
        Function<String, Boolean> routesCurrent = name -> !recreate.contains(name) && !routesMissing.contains(name)
                && observed.get(name).marker.filter(m -> Fingerprint.of(spec).changesFrom(m.fingerprint()).isEmpty())
                        .map(m -> m.bootId().equals(nodes.get(name).bootId())).orElse(false);
        List<ClusterSpec> clusters = spec.clusters();
        return ProvisioningPlan.builder()
                .phase("delete drifted clusters", recreate.stream()
                        .map(name -> Step.of("delete cluster", name, () -> false, () -> provider.delete(name))).toList())
                .phase("node network", provider.prepareSteps())
                // the preflight checks (e.g. the chart version exists) run beside the starts: one failing stops them
                .phase("clusters", Stream.concat(clusters.stream().map(provider::startStep),
                        layer.preflightSteps().stream()).toList())
                .phase("preload images", spec.sources().preloadImages() ? clusters.stream()
                        .flatMap(c -> provider.preloadSteps(c, new SampleImages(spec)).stream()).toList() : List.of())
                .phase("connect", clusters.stream().map(c -> connectStep(provider, context, clients, nodes, c)).toList())
                .phase("routes", clusters.stream().flatMap(c -> provider.routeSteps(c, context, routesCurrent).stream()).toList())
                .phase("istio", clusters.stream().flatMap(c -> layer.installSteps(c.name()).stream()).toList())
                .phase("remote secrets", layer.remoteSecretSteps())
                .phase("verify", List.of(Step.of("verify mesh", null, layer::ready, () -> awaitReady(layer))))
                .phase("markers", clusters.stream().map(c -> markerStep(clients, nodes, observed.get(c.name()), recreate, owned)).toList())
                .build();
    }

    private Step connectStep(ClusterProvider provider, ProvisioningContext context, Map<String, KubernetesClient> clients,
            Map<String, KubeAccess.NodeFacts> nodes, ClusterSpec cluster) {
        return Step.of("connect and check pod network", cluster.name(), () -> false, () -> {
            KubernetesClient old = clients.remove(cluster.name());
            if (old != null) {
                old.close(); // the cluster may have been recreated with new credentials
            }
            KubernetesClient client = KubeAccess.client(spec.kubeconfig(), cluster.name()).orElseThrow(() ->
                    new IllegalStateException("no kube context '" + cluster.name() + "' in the kubeconfig"
                            + spec.kubeconfig().map(p -> " " + p).orElse("")));
            registerCredentials(client);
            clients.put(cluster.name(), client);
            KubeAccess.NodeFacts node = KubeAccess.node(client);
            provider.checkNode(cluster, node);
            nodes.put(cluster.name(), node);
            KubeAccess.requirePodIpsInRange(cluster, awaitCoreDnsIps(client));
            context.register(connection(provider, cluster.name(), client, node));
        });
    }

    private List<String> awaitCoreDnsIps(KubernetesClient client) {
        long deadline = System.nanoTime() + spec.timeouts().coreDnsReady().toNanos();
        List<String> ips = KubeAccess.coreDnsPodIps(client);
        while (ips.isEmpty() && System.nanoTime() < deadline) {
            sleep();
            ips = KubeAccess.coreDnsPodIps(client);
        }
        return ips;
    }

    private void awaitReady(IstioLayer layer) {
        long deadline = System.nanoTime() + spec.timeouts().meshReady().toNanos();
        while (!layer.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the mesh was not ready within " + spec.timeouts().meshReady().toSeconds()
                        + " s: " + layer.describeHealth());
            }
            sleep();
        }
    }

    /** The marker records {@code owned}: recreated or new clusters are mcmesh's, existing ones as they proved in {@code decide}. */
    private Step markerStep(Map<String, KubernetesClient> clients, Map<String, KubeAccess.NodeFacts> nodes,
            Observation observed, Set<String> recreate, Map<String, Boolean> owned) {
        String name = observed.name;
        Optional<ClusterMarker> previous = recreate.contains(name) ? Optional.empty() : observed.marker;
        return Step.of("write marker", name, () -> false, () -> {
            boolean createdHere = recreate.contains(name) || owned.getOrDefault(name, true);
            Instant now = Instant.now();
            new ClusterMarker(spec.identity(), createdHere, Fingerprint.of(spec), nodes.get(name).bootId(),
                    previous.map(ClusterMarker::createdAt).orElse(now), now).write(clients.get(name));
        });
    }

    /** The kubeconfig's credentials for a cluster (tokens, client key, passwords): masked in whatever the runner logs. */
    private void registerCredentials(KubernetesClient client) {
        io.fabric8.kubernetes.client.Config config = client.getConfiguration();
        // a kubeconfig's user token lands in autoOAuthToken, one set by hand in oauthToken
        runner.secrets().add(config.getOauthToken());
        runner.secrets().add(config.getAutoOAuthToken());
        runner.secrets().add(config.getClientKeyData());
        runner.secrets().add(config.getPassword());
        runner.secrets().add(config.getProxyPassword());
    }

    private static ClusterConnection connection(ClusterProvider provider, String name, KubernetesClient client,
            KubeAccess.NodeFacts node) {
        return new ClusterConnection(name, client, node.internalIp(), provider.apiServerUrl(client, node.internalIp()));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }
}
