package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.ProcessCommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.exec.ToolJson;
import io.github.mcmesh.internal.exec.ToolNotFoundException;
import io.github.mcmesh.internal.exec.Tools;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.RemoteSecretMode;
import io.github.mcmesh.spec.ReusePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a mesh or reuses one: the entry point of provisioning.
 * <ul>
 * <li><b>Warm path</b>, API calls only: every cluster's marker has this spec's fingerprint, its
 * node's boot ID is the one the routes were applied under, and Istio is ready. No tool runs.</li>
 * <li>Otherwise a {@link ProvisioningPlan} of idempotent steps: delete drifted clusters mcmesh
 * owns, create the node network, start clusters (in parallel), preload sample images and
 * Istio's images when asked, connect and check the pod
 * network, route the pod networks, install Istio (in parallel), exchange remote secrets, verify,
 * write the markers. The {@link ReusePolicy} decides what may be deleted or must be refused.</li>
 * </ul>
 *
 * <p>The provisioner chooses the {@link ClusterProvider} for the spec; the Istio part comes in as an
 * {@link IstioLayer} (the real one is {@code internal.istio.IstioLayers}, which depends on this
 * package, never the other way round). One provisioning keeps its state in one
 * {@link ProvisioningContext}: the spec, and a {@link ClusterState} per cluster with the one client
 * it opens for that cluster.
 *
 * <pre>{@code
 * try (ProvisionedMesh mesh = IstioLayers.provisioner(MeshSpec.defaults()).provision()) {
 *     Mesh view = mesh.view("my-test");
 * }
 * }</pre>
 */
public final class MeshProvisioner {

    /** The phase of the clusters' lanes: start to istiod, and the routes. */
    private static final String CLUSTERS_PHASE = "clusters";
    private static final Logger LOG = LoggerFactory.getLogger(MeshProvisioner.class);
    /** The order prerequisites are reported in: the cluster tool, the chart tool, the engine, then istioctl. */
    private static final List<Tool> TOOL_REPORT_ORDER = List.of(Tool.MINIKUBE, Tool.HELM, Tool.DOCKER, Tool.ISTIOCTL);

    /** Only to make each provisioning's {@link ProvisioningContext}; everything else reads the spec there. */
    private final MeshSpec spec;
    private final CommandRunner runner;
    private final PodExec podExec;
    private final Function<ProvisioningContext, IstioLayer> istio;

    /**
     * @param runner where commands run (the steps register every secret they learn in its {@link CommandRunner#secrets()})
     * @param podExec the one pod exec of the mesh: the Istio layer's health check and whoever uses the mesh run through it
     * @param istio the Istio layer of one provisioning
     */
    public MeshProvisioner(MeshSpec spec, CommandRunner runner, PodExec podExec, Function<ProvisioningContext, IstioLayer> istio) {
        this.spec = spec;
        this.runner = runner;
        this.podExec = podExec;
        this.istio = istio;
    }

    /**
     * The runner for real clusters: tools located from {@link MeshSpec#tools()}, run with this
     * process's environment (HOME, KUBECONFIG, proxies).
     */
    public static CommandRunner processRunner(MeshSpec spec) {
        // The runner's redactor is where the steps register every secret they learn (runner.secrets()).
        return new ProcessCommandRunner(new Tools(spec.tools()), System.getenv(), new Redactor(), spec.timeouts().command());
    }

    /** A provisioner with another Istio layer, e.g. steps a test supplies. */
    public MeshProvisioner withIstio(Function<ProvisioningContext, IstioLayer> layer) {
        return new MeshProvisioner(spec, runner, podExec, layer);
    }

    /** The provider the spec asks for, reading the spec from the context. */
    static ClusterProvider providerFor(ProvisioningContext context) {
        return context.spec().provider() == Provider.MINIKUBE ? new MinikubeProvider(context) : new ExistingProvider(context);
    }

    /**
     * Every prerequisite of the spec that is missing, at once, so one run tells them all: each
     * missing tool (the provider's and the Istio layer's) with its minimum version, install hint
     * and why it was not found, then what the provider's preflight finds (e.g. a Docker engine
     * that does not run, asked whenever the docker client is there, whatever else is missing).
     *
     * @param once asks a check once per key and returns its answer (empty for none), e.g. through JUnit's root store
     */
    public static List<String> missingPrerequisites(MeshSpec spec, BiFunction<String, Supplier<String>, String> once) {
        Tools tools = new Tools(spec.tools());
        ClusterProvider provider = providerFor(new ProvisioningContext(spec, processRunner(spec)));
        Set<Tool> needed = new LinkedHashSet<>(provider.requiredTools());
        needed.add(Tool.HELM);
        if (spec.remoteSecrets() == RemoteSecretMode.ISTIOCTL) {
            needed.add(Tool.ISTIOCTL);
        }
        List<String> missing = new ArrayList<>();
        for (Tool tool : TOOL_REPORT_ORDER.stream().filter(needed::contains).toList()) {
            try {
                tools.path(tool);
            } catch (ToolNotFoundException e) {
                missing.add(tool.executableName() + " (" + tool.minimumVersion() + " or newer; install: " + tool.installHint()
                        + "): " + e.reason());
            }
        }
        missing.addAll(provider.preflightProblems(tools, once));
        return missing;
    }

    /**
     * Creates the mesh or reuses it; blocks until it is ready and logs each step.
     *
     * @throws ProvisioningException naming the failing cluster and step, or the drift the reuse policy refuses
     */
    public ProvisionedMesh provision() {
        return provision(new ProvisioningContext(spec, runner));
    }

    /**
     * Provisions in a context the warm check may already have observed: {@link #observe} keeps what
     * it read where nothing can have changed since, and the context's clients are this call's from
     * now on, closed here when it fails, by the mesh when it succeeds.
     */
    ProvisionedMesh provision(ProvisioningContext context) {
        long started = System.nanoTime();
        // the preflight reads tools' JSON next: Jackson's set-up overlaps the observation
        ToolJson.prepare();
        MeshSpec spec = context.spec();
        ClusterProvider provider = providerFor(context);
        IstioLayer layer = istio.apply(context);
        Map<String, List<String>> routesMissing = new LinkedHashMap<>();
        try {
            observe(context);
            List<String> reasons = new ArrayList<>();
            Optional<ProvisionedMesh> warm = warmPath(provider, context, layer, reasons, routesMissing, started);
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
            Set<String> recreate = decide(provider, context, owned);
            ProvisioningPlan plan = plan(provider, layer, context, recreate, owned, routesMissing.keySet());
            PlanRunner runner = new PlanRunner();
            runner.run(plan.before(CLUSTERS_PHASE));
            // made while the clusters start, and only then, since they are CPU-heavy (class loading, keys) and would hold
            // up the deletions and the node network the starts wait for: the first client and what the steps after a start
            // read first (the node, CoreDNS pods, kindnet, the marker), and what the Istio steps need and no cluster has to
            // exist for (CA keys, helm's version)
            KubeAccess.prepareClients();
            KubeAccess.prepareReads(List.of(io.fabric8.kubernetes.api.model.NodeList.class, io.fabric8.kubernetes.api.model.PodList.class,
                    io.fabric8.kubernetes.api.model.apps.DaemonSet.class, io.fabric8.kubernetes.api.model.ConfigMap.class));
            layer.prepare();
            runner.run(plan.from(CLUSTERS_PHASE));
            LOG.info("Mesh {} provisioned in {}", spec.identity(), seconds(started));
            return new ContextMesh(context, provider, layer, podExec);
        } catch (RuntimeException e) {
            context.closeClients();
            throw e;
        }
    }

    /**
     * The warm path alone: the mesh when it can be used as it is, found through API reads only
     * (no tool runs, nothing changes), so several JVMs may run it at once; empty when it needs
     * {@link #provision()} (always under {@link ReusePolicy#NEVER}).
     */
    public Optional<ProvisionedMesh> reuseIfReady() {
        try (WarmCheck check = warmCheck()) {
            return check.reuseIfReady();
        }
    }

    /**
     * A warm check whose findings {@link WarmCheck#provision()} takes over when the mesh cannot be
     * reused as it is, so a cold run builds each client and reads each cluster once.
     */
    public WarmCheck warmCheck() {
        return new WarmCheck(this, new ProvisioningContext(spec, runner));
    }

    /** The warm path in {@code context}: the mesh, or empty (the context keeps what was observed; its owner closes it). */
    Optional<ProvisionedMesh> reuseIfReady(ProvisioningContext context) {
        long started = System.nanoTime();
        ClusterProvider provider = providerFor(context);
        IstioLayer layer = istio.apply(context);
        List<String> reasons = new ArrayList<>();
        observe(context);
        Optional<ProvisionedMesh> warm = warmPath(provider, context, layer, reasons, new LinkedHashMap<>(), started);
        if (warm.isEmpty()) {
            LOG.info("Mesh {} is not ready to reuse as it is: {}", context.spec().identity(), String.join("; ", reasons));
        }
        return warm;
    }

    private Optional<ProvisionedMesh> warmPath(ClusterProvider provider, ProvisioningContext context, IstioLayer layer,
            List<String> reasons, Map<String, List<String>> routesMissing, long started) {
        MeshSpec spec = context.spec();
        reasons.addAll(warmPathBlockers(context));
        if (spec.reuse() == ReusePolicy.NEVER) {
            reasons.add(MeshProperties.REUSE + "=never: owned clusters are recreated");
        } else if (reasons.isEmpty()) {
            context.clusters().forEach(cluster -> connect(provider, cluster, cluster.client().orElseThrow(), cluster.node().orElseThrow()));
            // a route removed without a reboot leaves the boot ID as it was: look at the routing tables too
            routesMissing.putAll(provider.missingRoutes(context));
            routesMissing.forEach((name, routes) -> reasons.add("the node of '" + name + "' lacks the routes " + routes));
            if (reasons.isEmpty() && layer.ready()) {
                LOG.info("Reusing mesh {} (fingerprint {}) in {}", spec.identity(), Fingerprint.of(spec).hash(), seconds(started));
                return Optional.of(new ContextMesh(context, provider, layer, podExec));
            }
            if (routesMissing.isEmpty()) {
                reasons.add("Istio is not ready: " + layer.describeHealth());
            }
        }
        return Optional.empty();
    }

    /**
     * Reads what each cluster's API shows before anything changes into its state, or what kept it
     * from being read. In a context the warm check observed, it re-reads only what another JVM can
     * have changed since (it may have provisioned between the shared and the exclusive gate): the
     * kubeconfig entry (a start writes it; the open client stays while it names the same endpoint
     * and credentials) and the marker (every provisioning writes it last, a recreated cluster has
     * none); the node again only when the marker differs, the client was replaced or the cluster
     * could not be read.
     */
    private void observe(ProvisioningContext context) {
        // every cluster at once: each one's reads wait on its own API server
        PerCluster.forEach("observe", context.clusters(), cluster -> {
            String name = cluster.name();
            Optional<io.fabric8.kubernetes.client.Config> config = KubeAccess.config(context.spec().kubeconfig(), name);
            if (config.isEmpty()) {
                cluster.unusable("no kube context '" + name + "'");
                return;
            }
            Optional<KubernetesClient> before = cluster.client();
            Optional<ClusterMarker> markerBefore = cluster.marker();
            Optional<KubeAccess.NodeFacts> nodeBefore = cluster.node();
            KubernetesClient client = cluster.clientFor(config.get());
            registerCredentials(client);
            try {
                Optional<ClusterMarker> marker = ClusterMarker.read(client);
                boolean unchanged = nodeBefore.isPresent() && before.filter(open -> open == client).isPresent()
                        && marker.equals(markerBefore);
                cluster.observed(marker, unchanged ? nodeBefore.get() : KubeAccess.node(client));
            } catch (KubernetesClientException | IllegalStateException e) {
                cluster.unusable("API server of '" + name + "' not usable: " + e.getMessage());
            }
        });
    }

    private static List<String> warmPathBlockers(ProvisioningContext context) {
        MeshSpec spec = context.spec();
        List<String> reasons = new ArrayList<>();
        for (ClusterState o : context.clusters()) {
            if (o.problem().isPresent()) {
                reasons.add(o.problem().get());
            } else if (o.marker().isEmpty()) {
                reasons.add("cluster '" + o.name() + "' has no mcmesh marker");
            } else {
                ClusterMarker marker = o.marker().get();
                List<Fingerprint.Change> drift = Fingerprint.of(spec).changesFrom(marker.fingerprint());
                if (!marker.identity().equals(spec.identity())) {
                    reasons.add("cluster '" + o.name() + "' belongs to mesh " + marker.identity());
                } else if (!drift.isEmpty()) {
                    reasons.add("cluster '" + o.name() + "' drifted: " + drift);
                } else if (!marker.bootId().equals(o.node().orElseThrow().bootId())) {
                    reasons.add("the node of '" + o.name() + "' rebooted since its routes were applied");
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
    private static Set<String> decide(ClusterProvider provider, ProvisioningContext context, Map<String, Boolean> owned) {
        MeshSpec spec = context.spec();
        Map<String, ClusterProvider.ExistingCluster> existing = provider.existing();
        Set<String> recreate = new LinkedHashSet<>();
        List<String> refusals = new ArrayList<>();
        for (ClusterState o : context.clusters()) {
            ClusterProvider.ExistingCluster cluster = existing.get(o.name());
            List<Fingerprint.Change> drift = o.marker().map(m -> Fingerprint.of(spec).changesFrom(m.fingerprint())).orElse(List.of());
            List<Fingerprint.Change> nodeDrift = drift.stream().filter(Fingerprint.Change::isNodeLevel).toList();
            if (cluster == null) {
                if (!provider.createsClusters()) {
                    refusals.add(o.name() + ": no kube context '" + o.name() + "'; provider EXISTING creates no cluster");
                }
                continue;
            }
            // the cluster must prove it: a marker saying "owned" is no proof after a reset by hand
            owned.put(o.name(), cluster.createdHere());
            if (cluster.createdHere() && (spec.reuse() == ReusePolicy.NEVER || !nodeDrift.isEmpty())) {
                LOG.warn("[{}] deleting and recreating the cluster: {}", o.name(),
                        spec.reuse() == ReusePolicy.NEVER ? MeshProperties.REUSE + "=never" : "node-level drift " + nodeDrift);
                recreate.add(o.name());
            } else if (!cluster.createdHere()) {
                List<Fingerprint.Change> differences = new ArrayList<>(cluster.differences());
                differences.addAll(nodeDrift);
                if (spec.reuse() == ReusePolicy.NEVER) {
                    refusals.add(o.name() + ": " + MeshProperties.REUSE + "=never, but mcmesh did not create this cluster and never deletes it;"
                            + " delete it yourself or choose other cluster names");
                } else if (!cluster.running()) {
                    refusals.add(o.name() + ": exists but does not run, and mcmesh did not create it, so it does not start"
                            + " it; start it yourself (minikube start -p " + o.name() + ") or choose another name");
                } else if (!differences.isEmpty()) {
                    refusals.add(o.name() + ": mcmesh did not create this cluster and it differs from the spec: " + differences
                            + "; change the spec to match, delete the cluster yourself, or choose another name");
                } else if (o.marker().isPresent() && !o.marker().get().identity().equals(spec.identity())) {
                    refusals.add(o.name() + ": already part of mesh " + o.marker().get().identity());
                } else if (provider.createsClusters() && !spec.adoptClusters()) {
                    refusals.add(o.name() + ": a running cluster that matches the spec exists, but mcmesh did not create it"
                            + " (it carries no creation id matching this machine's record, e.g. it was made by hand after"
                            + " a reset; " + o.marker().map(m -> "its marker names mesh " + m.identity()).orElse("it has no mcmesh marker")
                            + "), and mcmesh changes no cluster it did not create. To let mcmesh install Istio, its secrets"
                            + " and marker into it (it is still never deleted), set " + MeshProperties.ADOPT_CLUSTERS
                            + "=true; to use clusters you made yourself as they are, use the existing provider ("
                            + MeshProperties.PROVIDER + "=existing); or delete it (minikube delete -p " + o.name()
                            + ") so mcmesh creates its own");
                }
            }
        }
        if (!refusals.isEmpty()) {
            throw new ProvisioningException("Cannot provision mesh " + spec.identity() + ":\n  - " + String.join("\n  - ", refusals));
        }
        return recreate;
    }

    private ProvisioningPlan plan(ClusterProvider provider, IstioLayer layer, ProvisioningContext context, Set<String> recreate,
            Map<String, Boolean> owned, Set<String> routesMissing) {
        MeshSpec spec = context.spec();
        // read in the routes phase: by then the cluster's node facts are the connect step's, after any (re)start
        Function<String, Boolean> routesCurrent = name -> !recreate.contains(name) && !routesMissing.contains(name)
                && context.cluster(name).marker().filter(m -> Fingerprint.of(spec).changesFrom(m.fingerprint()).isEmpty())
                        .map(m -> m.bootId().equals(context.cluster(name).node().orElseThrow().bootId())).orElse(false);
        List<ClusterSpec> clusters = spec.clusters();
        // One lane per cluster, start to istiod: each cluster moves on when its own previous step is done. It waits
        // for a peer only where a step reads one: its routes need every cluster's node IP (each connect step),
        // a remote secret what the layer names (the real one: the source's istio-base, the target's namespace).
        Map<String, List<Step>> install = new LinkedHashMap<>();
        clusters.forEach(c -> install.put(c.name(), layer.installSteps(c.name())));
        List<Step> remoteSecrets = layer.remoteSecretSteps();
        Map<Step, List<Step>> after = new IdentityHashMap<>(layer.remoteSecretPrerequisites(remoteSecrets, install));
        Map<String, Step> connects = new LinkedHashMap<>();
        Map<String, List<Step>> routes = new LinkedHashMap<>();
        List<List<Step>> lanes = new ArrayList<>();
        // Istio's images: pulled once beside the starts; loaded into each cluster in a lane of its own once its start and
        // the pull are done, so its connect and routes go on meanwhile, and its istiod waits for the load
        List<String> istioImages = spec.sources().preloadIstioImages() ? layer.images() : List.of();
        List<Step> istioImagePull = istioImages.isEmpty() ? List.of() : provider.istioImagePullSteps(istioImages);
        for (ClusterSpec c : clusters) {
            List<Step> lane = new ArrayList<>();
            Step start = provider.startStep(c);
            lane.add(start);
            if (spec.sources().preloadImages()) {
                lane.addAll(provider.preloadSteps(c, new SampleImages(spec)));
            }
            List<Step> loads = istioImagePull.isEmpty() ? List.of() : provider.istioImageLoadSteps(c, istioImages);
            if (!loads.isEmpty()) {
                List<Step> startAndPull = new ArrayList<>(istioImagePull);
                startAndPull.add(start);
                after.put(loads.get(0), startAndPull);
                install.get(c.name()).stream().findFirst().ifPresent(first -> after.merge(first, List.of(loads.get(loads.size() - 1)),
                        (earlier, load) -> java.util.stream.Stream.concat(earlier.stream(), load.stream()).toList()));
                lanes.add(loads);
            }
            Step connect = connectStep(provider, context, c);
            connects.put(c.name(), connect);
            lane.add(connect);
            lane.addAll(install.get(c.name()));
            lanes.add(lane);
            // the routes (and kindnet's masquerade list) in a lane of their own beside Istio's install, which reaches the
            // peers' API servers over the node network, not their pods: only the tests need them, after verify
            routes.put(c.name(), provider.routeSteps(c, context, routesCurrent));
            lanes.add(routes.get(c.name()));
        }
        routes.forEach((name, steps) -> steps.stream().findFirst().ifPresent(first -> after.put(first, List.copyOf(connects.values()))));
        // the preflight checks (e.g. the chart version exists) run beside the starts: one failing stops them
        lanes.add(layer.preflightSteps());
        lanes.add(istioImagePull);
        remoteSecrets.forEach(step -> lanes.add(List.of(step)));
        return ProvisioningPlan.builder()
                .phase("delete drifted clusters", recreate.stream()
                        .map(name -> Step.of("delete cluster", name, () -> false, () -> provider.delete(name))).toList())
                .phase("node network", provider.prepareSteps())
                .chained(CLUSTERS_PHASE, lanes, after)
                .phase("verify", List.of(Step.of("verify mesh", null, layer::ready, () -> awaitReady(context, layer, new Backoff()))))
                .phase("markers", clusters.stream().map(c -> markerStep(context, c.name(), recreate, owned)).toList())
                .build();
    }

    /**
     * Connects the cluster through the client {@code observe} opened, unless the start rewrote the
     * cluster's kubeconfig entry (see {@link ClusterState#clientFor}), and checks its node and pod network.
     */
    private Step connectStep(ClusterProvider provider, ProvisioningContext context, ClusterSpec cluster) {
        MeshSpec spec = context.spec();
        ClusterState state = context.cluster(cluster.name());
        return Step.of("connect and check pod network", cluster.name(), () -> false, () -> {
            io.fabric8.kubernetes.client.Config config = KubeAccess.config(spec.kubeconfig(), cluster.name()).orElseThrow(() ->
                    new IllegalStateException("no kube context '" + cluster.name() + "' in the kubeconfig"
                            + spec.kubeconfig().map(p -> " " + p).orElse("")));
            KubernetesClient client = state.clientFor(config);
            registerCredentials(client);
            KubeAccess.NodeFacts node = KubeAccess.node(client);
            provider.checkNode(cluster, node);
            KubeAccess.requirePodIpsInRange(cluster, awaitCoreDnsIps(spec, client));
            connect(provider, state, client, node);
        });
    }

    /** CoreDNS's pod IPs, read again after a {@link Backoff} pause while there are none (after a start they are there at once). */
    private static List<String> awaitCoreDnsIps(MeshSpec spec, KubernetesClient client) {
        long deadline = System.nanoTime() + spec.timeouts().coreDnsReady().toNanos();
        Backoff backoff = new Backoff();
        List<String> ips = KubeAccess.coreDnsPodIps(client);
        while (ips.isEmpty() && System.nanoTime() < deadline) {
            backoff.pause();
            ips = KubeAccess.coreDnsPodIps(client);
        }
        return ips;
    }

    /**
     * The verify step's apply: its check has just found the mesh not ready, so each look (a full health read per
     * cluster) comes after a {@link Backoff} pause, the first one too, until it is ready or the timeout is up.
     */
    static void awaitReady(ProvisioningContext context, IstioLayer layer, Backoff backoff) {
        MeshSpec spec = context.spec();
        long deadline = System.nanoTime() + spec.timeouts().meshReady().toNanos();
        while (true) {
            backoff.pause();
            if (layer.ready()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the mesh was not ready within " + spec.timeouts().meshReady().toSeconds()
                        + " s: " + layer.describeHealth());
            }
        }
    }

    /** The marker records {@code owned}: recreated or new clusters are mcmesh's, existing ones as they proved in {@code decide}. */
    private static Step markerStep(ProvisioningContext context, String name, Set<String> recreate, Map<String, Boolean> owned) {
        MeshSpec spec = context.spec();
        ClusterState state = context.cluster(name);
        Optional<ClusterMarker> previous = recreate.contains(name) ? Optional.empty() : state.marker();
        return Step.of("write marker", name, () -> false, () -> {
            boolean createdHere = recreate.contains(name) || owned.getOrDefault(name, true);
            Instant now = Instant.now();
            new ClusterMarker(spec.identity(), createdHere, Fingerprint.of(spec), state.node().orElseThrow().bootId(),
                    previous.map(ClusterMarker::createdAt).orElse(now), now).write(state.client().orElseThrow());
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

    private static void connect(ClusterProvider provider, ClusterState state, KubernetesClient client, KubeAccess.NodeFacts node) {
        state.connected(node, new ClusterConnection(state.name(), client, node.internalIp(),
                provider.apiServerUrl(client, node.internalIp())));
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }
}
