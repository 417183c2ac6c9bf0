package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.ClusterMarker;
import io.github.mcmesh.internal.provision.KubeAccess;
import io.github.mcmesh.internal.provision.ProvisioningContext;
import io.github.mcmesh.internal.provision.Step;
import io.github.mcmesh.internal.spec.SpecFacts;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.TrustMode;
import io.github.mcmesh.spec.Version;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs Istio multi-primary into the clusters of a mesh (one network, or several with an
 * east-west gateway per cluster: {@link EastWestGateway}), as resumable provisioning steps: namespace, trust ({@code cacerts} before istiod, or mesh-wide plaintext),
 * Helm releases {@code istio-base} and {@code istiod}, then the remote secrets of every ordered
 * pair of clusters; and reports whether the mesh is ready ({@link #health()}).
 *
 * <pre>{@code
 * IstioInstaller istio = new IstioInstaller(context, podExec);
 * for (String cluster : spec.clusterNames()) {
 *     plan.addAll(istio.installSteps(cluster));     // may run in parallel, one list per cluster
 * }
 * plan.addAll(istio.remoteSecretSteps());            // once every cluster is installed
 * MeshHealth health = istio.health();
 * if (!health.ready()) throw new IllegalStateException(health.toString());
 * }</pre>
 */
public final class IstioInstaller {

    static final String NAMESPACE = Istiod.NAMESPACE;
    static final String BASE_RELEASE = "istio-base";
    static final String ISTIOD_RELEASE = "istiod";
    static final String CACERTS = "cacerts";
    static final String ROOT_CERT_KEY = "root-cert.pem";
    /** The chart flattened istiod's values in 1.24 (istio/istio#52036): {@code pilot.resources} became {@code resources}. */
    static final Version FLAT_ISTIOD_VALUES = Version.parse("1.24.0");
    /**
     * From 1.25.0 istiod allocates ServiceEntry addresses itself ({@code PILOT_ENABLE_IP_AUTOALLOCATE}
     * defaults to true, istio/istio#53661) and a proxy with DNS capture uses them whether or not
     * {@code ISTIO_META_DNS_AUTO_ALLOCATE} is set ({@code pilot/pkg/model/service.go
     * nodeUsesAutoallocatedIPs}); setting it only earns the mesh-config warning
     * "'ISTIO_META_DNS_AUTO_ALLOCATE' is deprecated" ({@code pkg/config/validation/agent/validation.go}).
     */
    static final Version AUTO_ALLOCATION_BY_ISTIOD = Version.parse("1.25.0");
    private static final Logger LOG = LoggerFactory.getLogger(IstioInstaller.class);

    private final ProvisioningContext context;
    private final ChartSource charts;
    private final Helm helm;
    private final RemoteSecrets remoteSecrets;
    private final MeshHealthCheck healthCheck;
    private CertificateAuthority authority;
    /** The root and every cluster's intermediate made ahead by {@link #prepareTrust()}; null until then. */
    private CompletableFuture<PreparedTrust> preparedTrust;

    /** Charts from where the spec's {@code sources.istioCharts} says: Istio's repository by default. */
    public IstioInstaller(ProvisioningContext context, PodExec podExec) {
        this(context, podExec, ChartSource.forSources(context.spec().sources()));
    }

    /** Charts from {@code charts}, e.g. {@link ChartSource#unpackedRelease(Path)}. */
    public IstioInstaller(ProvisioningContext context, PodExec podExec, ChartSource charts) {
        this.context = context;
        this.charts = charts;
        this.helm = new Helm(context.runner(), charts, context.spec().timeouts().istioInstall(), context.toolVersions(),
                context.spec().kubeconfig());
        this.remoteSecrets = new RemoteSecrets(context);
        this.healthCheck = new MeshHealthCheck(context, podExec);
    }

    /** The mesh's spec, as the provisioning context holds it. */
    private MeshSpec spec() {
        return context.spec();
    }

    /**
     * The steps installing Istio into one cluster, in order: namespace {@code istio-system}; in
     * {@link TrustMode#SHARED_ROOT_CA} the {@code cacerts} secret (before istiod starts); Helm
     * releases {@code istio-base} and {@code istiod}; the mesh-wide access log ({@link AccessLogTelemetry});
     * in {@link TrustMode#PLAINTEXT} the mesh-wide
     * {@code DISABLE} policies (they need base's CRDs).
     */
    public List<Step> installSteps(String cluster) {
        List<Step> steps = new ArrayList<>();
        boolean multiNetwork = SpecFacts.multiNetwork(spec());
        String network = clusterSpec(cluster).network();
        if (multiNetwork) {
            // before istiod starts, as Istio's docs and test framework do; istiod also follows a later change
            steps.add(Step.of("create namespace " + NAMESPACE + " with label " + EastWestGateway.NETWORK_LABEL + "=" + network,
                    cluster, () -> EastWestGateway.namespaceLabelled(client(cluster), network),
                    () -> EastWestGateway.labelNamespace(client(cluster), network)));
        } else {
            steps.add(Step.of("create namespace " + NAMESPACE, cluster,
                    () -> client(cluster).namespaces().withName(NAMESPACE).get() != null,
                    () -> client(cluster).namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                            .endMetadata().build()).createOr(NonDeletingOperation::update)));
        }
        if (spec().trust() == TrustMode.SHARED_ROOT_CA) {
            steps.add(Step.of("plug in the mesh's CA (secret " + CACERTS + ")", cluster,
                    () -> cacertsRoot(cluster).filter(root -> root.equals(rootIfKept())).isPresent(),
                    () -> plugInCertificates(cluster)));
        }
        ReleaseListing listing = new ReleaseListing(cluster);
        steps.add(Step.of("helm install " + BASE_RELEASE, cluster,
                () -> releaseHolds(listing, BASE_RELEASE, ChartSource.BASE, HelmValues.empty()),
                () -> listing.upgrade(BASE_RELEASE, () -> helm.upgradeInstall(cluster, BASE_RELEASE, ChartSource.BASE,
                        spec().istioVersion(), HelmValues.empty()))));
        HelmValues istiodValues = istiodValues(spec(), cluster);
        steps.add(Step.of("helm install " + ISTIOD_RELEASE, cluster,
                () -> releaseHolds(listing, ISTIOD_RELEASE, ChartSource.ISTIOD, istiodValues),
                () -> listing.upgrade(ISTIOD_RELEASE, () -> helm.upgradeInstall(cluster, ISTIOD_RELEASE, ChartSource.ISTIOD,
                        spec().istioVersion(), istiodValues))));
        steps.add(Step.of("istiod runs at least one replica", cluster, () -> istiodScaledUp(cluster),
                () -> scaleIstiodBack(cluster, istiodValues)));
        // base's CRDs are there now; the access log names the endpoint of every call (attribution)
        steps.add(Step.of("turn on the Envoy access log mesh-wide (Telemetry " + AccessLogTelemetry.NAME + ")", cluster,
                () -> new AccessLogTelemetry(client(cluster)).holds(), () -> new AccessLogTelemetry(client(cluster)).apply()));
        if (multiNetwork) {
            steps.addAll(eastWestGatewaySteps(cluster, listing));
        }
        if (spec().trust() == TrustMode.PLAINTEXT) {
            // The client is looked up when the step runs: the plan is built before the clusters are connected.
            steps.add(Step.of("disable mTLS mesh-wide (DestinationRule *.local, PeerAuthentication)", cluster,
                    () -> new PlaintextPolicy(client(cluster)).holds(), () -> new PlaintextPolicy(client(cluster)).apply()));
        }
        return steps;
    }

    /**
     * After istiod (its webhook fills in the gateway pod's {@code image: auto}): Helm release
     * {@value EastWestGateway#RELEASE} of the {@code gateway} chart, holding while the release has
     * mcmesh's values and its Service and Deployment are there as it made them (a
     * {@code helm upgrade} puts back a deleted or edited one); then the Gateway
     * {@value EastWestGateway#EXPOSE_SERVICES}. The values are read when the step runs: they need
     * the node IP, known once the cluster is connected.
     */
    private List<Step> eastWestGatewaySteps(String cluster, ReleaseListing listing) {
        ClusterSpec clusterSpec = clusterSpec(cluster);
        return List.of(
                Step.of("helm install " + EastWestGateway.RELEASE + " (network " + clusterSpec.network() + ")", cluster,
                        () -> releaseHolds(listing, EastWestGateway.RELEASE, ChartSource.GATEWAY, gatewayValues(cluster))
                                && EastWestGateway.liveObjectsHold(client(cluster), spec(), clusterSpec, nodeIp(cluster)),
                        () -> listing.upgrade(EastWestGateway.RELEASE, () -> helm.upgradeInstall(cluster, EastWestGateway.RELEASE,
                                ChartSource.GATEWAY, spec().istioVersion(), gatewayValues(cluster)))),
                Step.of("expose services on the east-west gateway (Gateway " + EastWestGateway.EXPOSE_SERVICES + ")", cluster,
                        () -> EastWestGateway.exposeServicesHolds(client(cluster)),
                        () -> EastWestGateway.applyExposeServices(client(cluster))));
    }

    private HelmValues gatewayValues(String cluster) {
        return EastWestGateway.values(spec(), clusterSpec(cluster), nodeIp(cluster));
    }

    private String nodeIp(String cluster) {
        return context.connection(cluster).nodeIp();
    }

    private ClusterSpec clusterSpec(String cluster) {
        return spec().cluster(cluster).orElseThrow(() -> new IllegalArgumentException("no cluster " + cluster + " in the mesh"));
    }

    /**
     * The step checking, while the clusters start, that both charts exist at the mesh's Istio
     * version where they come from ({@link Helm#requireChartVersion}): a version the charts do not
     * have fails it, and with it the cluster starts running beside it, before minutes go into
     * clusters Istio cannot be installed into. Mesh-wide (no cluster), never "holds".
     */
    public List<Step> chartVersionSteps() {
        return List.of(Step.of("check Istio charts " + spec().istioVersion() + " in the " + charts, null, () -> false, () -> {
            helm.requireChartVersion(ChartSource.BASE, spec().istioVersion());
            helm.requireChartVersion(ChartSource.ISTIOD, spec().istioVersion());
            if (SpecFacts.multiNetwork(spec())) {
                helm.requireChartVersion(ChartSource.GATEWAY, spec().istioVersion());
            }
        }));
    }

    /** One step per ordered pair (A, B): secret {@code istio-remote-secret-A} in B, so B's istiod reads A. */
    public List<Step> remoteSecretSteps() {
        List<Step> steps = new ArrayList<>();
        for (String source : spec().clusterNames()) {
            for (String target : spec().clusterNames()) {
                if (!source.equals(target)) {
                    steps.add(Step.of("remote secret " + RemoteSecrets.secretName(source), target,
                            () -> remoteSecrets.holds(source, target), () -> remoteSecrets.apply(source, target)));
                }
            }
        }
        return steps;
    }

    /**
     * Starts, each on a background thread, what the install steps need before any cluster is up:
     * the mesh's CA ({@link #prepareTrust()}) and {@code helm version}, which the first Helm step
     * reads.
     */
    public void prepare() {
        prepareTrust();
        context.toolVersions().prefetch(List.of(Tool.HELM));
        KubeAccess.prepareReads(List.of(io.fabric8.kubernetes.api.model.Namespace.class, Secret.class, Deployment.class,
                io.fabric8.kubernetes.api.model.ServiceAccount.class, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
    }

    /**
     * Starts making the mesh's CA on a background thread: the kept root (or a new one, in memory
     * until a cluster's CA comes from it) and an intermediate for every cluster. It needs no
     * cluster, so it runs while they start, and the {@code cacerts} steps take what it made; in
     * {@link TrustMode#PLAINTEXT} nothing. Called once provisioning knows it changes something.
     */
    public synchronized void prepareTrust() {
        if (spec().trust() != TrustMode.SHARED_ROOT_CA || preparedTrust != null) {
            return;
        }
        Path directory = authorityDirectory();
        List<String> clusters = spec().clusterNames();
        preparedTrust = CompletableFuture.supplyAsync(() -> {
            CertificateAuthority ca = CertificateAuthority.loadOrMake(directory);
            Map<String, CertificateAuthority.ClusterCertificates> intermediates = new LinkedHashMap<>();
            clusters.forEach(cluster -> intermediates.put(cluster, ca.issueIntermediate(cluster)));
            return new PreparedTrust(ca, intermediates);
        }, task -> {
            Thread thread = new Thread(task, "mcmesh-ca");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** What {@link #prepareTrust()} made, or empty when it was not started. */
    private Optional<PreparedTrust> preparedTrust() {
        CompletableFuture<PreparedTrust> prepared;
        synchronized (this) {
            prepared = preparedTrust;
        }
        if (prepared == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(prepared.join());
        } catch (CompletionException e) {
            // the step fails as it would have failed making the CA itself
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** A root with the intermediates it signed for each cluster. */
    private record PreparedTrust(CertificateAuthority authority, Map<String, CertificateAuthority.ClusterCertificates> intermediates) {
    }

    /**
     * What each remote secret step reads: the source's {@code istio-base} release (its
     * {@code istio-reader-service-account}, whose token the secret carries) and the target's
     * namespace {@code istio-system}; not istiod, which reads {@code istio/multiCluster=true}
     * secrets whenever they appear. {@code remoteSecretSteps} are {@link #remoteSecretSteps()}'s, in
     * its order (source by source, each target in turn).
     */
    public Map<Step, List<Step>> remoteSecretPrerequisites(List<Step> remoteSecretSteps, Map<String, List<Step>> installSteps) {
        Map<Step, List<Step>> prerequisites = new java.util.IdentityHashMap<>();
        int index = 0;
        for (String source : spec().clusterNames()) {
            for (String target : spec().clusterNames()) {
                if (!source.equals(target) && index < remoteSecretSteps.size()) {
                    prerequisites.put(remoteSecretSteps.get(index++), List.of(
                            installStep(installSteps, source, "helm install " + BASE_RELEASE),
                            installStep(installSteps, target, "create namespace " + NAMESPACE)));
                }
            }
        }
        return prerequisites;
    }

    private static Step installStep(Map<String, List<Step>> installSteps, String cluster, String name) {
        // "create namespace istio-system" is "... with label topology.istio.io/network=<net>" on several networks
        return installSteps.getOrDefault(cluster, List.of()).stream()
                .filter(step -> step.name().equals(name) || step.name().startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no step '" + name + "' among the install steps of " + cluster));
    }

    /** Whether traffic can flow: istiod available everywhere, every peer synced, one root of trust. */
    public MeshHealth health() {
        return healthCheck.check();
    }

    /** The images this install makes every cluster pull: istiod's, then the sidecar's ({@link IstioImages}). */
    public List<String> images() {
        return IstioImages.of(spec());
    }

    /**
     * Removes what mcmesh put into a cluster it did not create, secrets first: the remote secrets
     * (each holds a peer's reader token) and the reader token secret; its own Istio resources
     * (the Telemetry, the plaintext policies, the Gateway), which outlive the charts because base's
     * CRDs stay (in {@code crds/} at 1.18.2, {@code helm.sh/resource-policy: keep} at 1.30.3); the
     * releases ({@code istio-eastwestgateway}, {@code istiod}, {@code istio-base}); then
     * {@code cacerts} (the cluster's intermediate CA key). Objects carrying another owner's labels
     * (a {@code default} PeerAuthentication or a {@code cacerts} the cluster had before) stay.
     */
    public void uninstall(String cluster) {
        KubernetesClient client = client(cluster);
        spec().clusterNames().stream().filter(peer -> !peer.equals(cluster))
                .forEach(peer -> client.secrets().inNamespace(NAMESPACE).withName(RemoteSecrets.secretName(peer)).delete());
        client.secrets().inNamespace(NAMESPACE).withName(RemoteSecrets.TOKEN_SECRET).delete();
        deleteIfMcmesh(client, AccessLogTelemetry.TELEMETRIES, AccessLogTelemetry.NAME);
        deleteIfMcmesh(client, PlaintextPolicy.DESTINATION_RULES, PlaintextPolicy.DESTINATION_RULE_NAME);
        deleteIfMcmesh(client, PlaintextPolicy.PEER_AUTHENTICATIONS, PlaintextPolicy.PEER_AUTHENTICATION_NAME);
        deleteIfMcmesh(client, EastWestGateway.GATEWAYS, EastWestGateway.EXPOSE_SERVICES);
        if (SpecFacts.multiNetwork(spec())) {
            helm.uninstall(cluster, EastWestGateway.RELEASE);
        }
        helm.uninstall(cluster, ISTIOD_RELEASE);
        helm.uninstall(cluster, BASE_RELEASE);
        Secret cacerts = client.secrets().inNamespace(NAMESPACE).withName(CACERTS).get();
        if (cacerts != null && madeByMcmesh(cacerts.getMetadata())) {
            client.secrets().inNamespace(NAMESPACE).resource(cacerts).delete();
        }
    }

    /** Deletes an Istio resource of mcmesh's in {@code istio-system}; nothing when it is gone, another's, or its kind is not served. */
    private static void deleteIfMcmesh(KubernetesClient client, ResourceDefinitionContext kind, String name) {
        try {
            GenericKubernetesResource existing = client.genericKubernetesResources(kind).inNamespace(NAMESPACE).withName(name).get();
            if (existing != null && madeByMcmesh(existing.getMetadata())) {
                client.genericKubernetesResources(kind).inNamespace(NAMESPACE).resource(existing).delete();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static boolean madeByMcmesh(ObjectMeta metadata) {
        return metadata.getLabels() != null && ClusterMarker.MANAGED_BY_MCMESH.equals(metadata.getLabels().get(ClusterMarker.MANAGED_BY_LABEL));
    }

    /**
     * Deletes the mesh's root CA (key and certificate) from the state directory: called once every
     * cluster of the mesh is gone or has Istio removed, so no {@code cacerts} it signed is in use.
     * A later provisioning of the same mesh creates a new root.
     */
    public synchronized void deleteRootAuthority() {
        Path directory = authorityDirectory();
        if (CertificateAuthority.delete(directory)) {
            LOG.info("Deleted the root CA key of mesh {} ({}) with the mesh", spec().identity(), directory);
        }
        authority = null;
        preparedTrust = null;
    }

    /**
     * The istiod chart's values for one cluster of this mesh: mcmesh's own, {@code global.hub}
     * when {@code sources.istioHub} is set, then the pass-through values as written and the
     * pass-through values files.
     */
    static HelmValues istiodValues(MeshSpec spec, String cluster) {
        String resources = spec.istioVersion().isAtLeast(FLAT_ISTIOD_VALUES) ? "resources" : "pilot.resources";
        HelmValues values = HelmValues.empty()
                .set("global.meshID", spec.meshId())
                .set("global.multiCluster.clusterName", cluster)
                .set("global.network", spec.cluster(cluster).map(ClusterSpec::network).orElse(spec.networkName()))
                .set(resources + ".requests.cpu", spec.istiodCpu())
                .set(resources + ".requests.memory", spec.istiodMemory());
        if (spec.dnsProxying()) {
            values = values.setString("meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE", "true");
            if (spec.istioVersion().isOlderThan(AUTO_ALLOCATION_BY_ISTIOD)) {
                values = values.setString("meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE", "true");
            }
        }
        if (spec.sources().istioHub().isPresent()) {
            values = values.set("global.hub", spec.sources().istioHub().get());
        }
        for (String value : spec.passThrough().helmValues()) {
            values = values.setAsWritten(value);
        }
        for (Path file : spec.passThrough().helmValuesFiles()) {
            values = values.valuesFile(file);
        }
        return values;
    }

    /**
     * Whether the release is deployed from the chart mcmesh would install now with these values: the
     * chart's name and version as {@code helm list} shows them (for a chart directory, what its
     * Chart.yaml says now, e.g. {@code 1.0.0} in a source checkout, not the Istio version), then the
     * user values.
     */
    private boolean releaseHolds(ReleaseListing listing, String release, String chart, HelmValues values) {
        ChartSource.DeployedChart wanted = charts.deployedChart(chart, spec().istioVersion());
        Listed listed = listing.forCheckOf(release);
        boolean holds = listed.releases().stream().filter(r -> r.name().equals(release))
                .anyMatch(r -> r.isDeployedChart(wanted.name(), wanted.version()))
                && values.matches(helm.userValues(listing.cluster, release));
        if (!holds) {
            listing.keepForUpgrade(listed);
        }
        return holds;
    }

    /**
     * One {@code helm list} for a cluster's release steps in a row (base, istiod, the east-west gateway),
     * where that is exact: a release step that does not hold keeps the list its check read, and once its own
     * upgrade succeeded hands it to the lane's next release step, which reads its release there instead of
     * listing again. Helm's upgrade reads and writes only the release it names ({@code pkg/action/upgrade.go}:
     * {@code Releases.Last(name)}, then {@code Create}/{@code Update} of that release, at v3.19.5 and v4.1.4),
     * so every other release's line is what a new {@code helm list} would print. Nothing is handed on by a step
     * that holds, by an upgrade that failed, or to a step whose release was upgraded since the list was read:
     * then the step lists again. One per {@link #installSteps} list (its steps run in order, in one lane).
     */
    private final class ReleaseListing {
        private final String cluster;
        /** What the check of a step that does not hold read, for its upgrade to hand on. */
        private Listed checked;
        /** What the next release step's check reads instead of listing. */
        private Listed handedOn;

        ReleaseListing(String cluster) {
            this.cluster = cluster;
        }

        /** The releases for the check of {@code release}: the list handed on, when it is still exact for it, else a new one. */
        Listed forCheckOf(String release) {
            Listed carried;
            synchronized (this) {
                carried = handedOn;
                handedOn = null;
                checked = null;
            }
            return carried != null && !carried.upgradedSince().contains(release) ? carried
                    : new Listed(helm.releases(cluster), List.of());
        }

        synchronized void keepForUpgrade(Listed listed) {
            checked = listed;
        }

        /** Runs the step's upgrade of {@code release}; once it succeeded, hands on what the step's check listed. */
        void upgrade(String release, Runnable upgrade) {
            Listed listed;
            synchronized (this) {
                listed = checked;
                checked = null;
                handedOn = null;
            }
            upgrade.run();
            if (listed != null) {
                List<String> upgraded = new ArrayList<>(listed.upgradedSince());
                upgraded.add(release);
                synchronized (this) {
                    handedOn = new Listed(listed.releases(), List.copyOf(upgraded));
                }
            }
        }
    }

    /** A {@code helm list} and the releases mcmesh upgraded since it was read (their lines in it are stale). */
    private record Listed(List<Helm.HelmRelease> releases, List<String> upgradedSince) {
    }

    /**
     * Whether Deployment {@code istiod} asks for a replica (or is missing, which is the release
     * step's to install). Scaled to 0 it stays there: the Helm release still holds, and the chart's
     * HorizontalPodAutoscaler never scales a target up from 0 (Kubernetes'
     * {@code pkg/controller/podautoscaler/horizontal.go}: "scaling is disabled since the replica
     * count of the target is zero").
     */
    private boolean istiodScaledUp(String cluster) {
        Deployment istiod = client(cluster).apps().deployments().inNamespace(NAMESPACE).withName(ISTIOD_RELEASE).get();
        return istiod == null || istiod.getSpec() == null
                || Objects.requireNonNullElse(istiod.getSpec().getReplicas(), 1) > 0;
    }

    /**
     * Scales istiod back to the replicas the chart gives it, through the API: with the chart's
     * default {@code autoscaleEnabled: true} the rendered Deployment has no {@code replicas}
     * (istio-discovery {@code templates/deployment.yaml} at 1.18.2 and 1.30.3), so a
     * {@code helm upgrade} with the same values would leave the live 0 as it is.
     */
    private void scaleIstiodBack(String cluster, HelmValues values) {
        KubernetesClient client = client(cluster);
        HorizontalPodAutoscaler autoscaler = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NAMESPACE)
                .withName(ISTIOD_RELEASE).get();
        int replicas;
        String source;
        if (autoscaler != null && autoscaler.getSpec() != null) {
            // the API server defaults minReplicas to 1
            replicas = Math.max(1, Objects.requireNonNullElse(autoscaler.getSpec().getMinReplicas(), 1));
            source = "minReplicas of HorizontalPodAutoscaler " + NAMESPACE + "/" + ISTIOD_RELEASE;
        } else {
            replicas = Math.max(1, replicaCount(values));
            source = "the chart's replicaCount";
        }
        client.apps().deployments().inNamespace(NAMESPACE).withName(ISTIOD_RELEASE)
                .edit(istiod -> new DeploymentBuilder(istiod).editSpec().withReplicas(replicas).endSpec().build());
        LOG.warn("[{}] Deployment {}/{} was scaled to 0 replicas while its Helm release holds: scaled it back to {} ({})",
                cluster, NAMESPACE, ISTIOD_RELEASE, replicas, source);
    }

    /** {@code replicaCount} as mcmesh passes it ({@code pilot.replicaCount} before 1.24), else the chart's default 1. */
    private int replicaCount(HelmValues values) {
        Object node = values.asTree();
        String key = spec().istioVersion().isAtLeast(FLAT_ISTIOD_VALUES) ? "replicaCount" : "pilot.replicaCount";
        for (String part : key.split("\\.")) {
            node = node instanceof Map<?, ?> map ? map.get(part) : null;
        }
        try {
            return node == null ? 1 : Integer.parseInt(node.toString().strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The directory the mesh's root CA is kept in: the state directory, then the mesh identity as a file name. */
    Path authorityDirectory() {
        return spec().stateDirectory().resolve(SpecFacts.identityFileName(spec()));
    }

    /** The kept root certificate, or empty when none is kept (then no cluster's CA can be ours). */
    private String rootIfKept() {
        return authority().map(CertificateAuthority::rootCertificatePem).orElse("");
    }

    private synchronized Optional<CertificateAuthority> authority() {
        if (authority == null && Files.isRegularFile(authorityDirectory().resolve(CertificateAuthority.ROOT_KEY_FILE))) {
            // the prepared root is the kept one when it was loaded, not made (nothing else writes the files meanwhile)
            authority = preparedTrust().map(PreparedTrust::authority).filter(ca -> !ca.wasCreated())
                    .orElseGet(() -> CertificateAuthority.loadOrCreate(authorityDirectory()));
            context.secrets().add(authority.rootKeyPem());
        }
        return Optional.ofNullable(authority);
    }

    private synchronized CertificateAuthority authorityCreatingIfMissing() {
        if (authority().isEmpty()) {
            authority = preparedTrust().map(PreparedTrust::authority).filter(CertificateAuthority::wasCreated)
                    .orElseGet(() -> CertificateAuthority.loadOrMake(authorityDirectory()));
            authority.keepIn(authorityDirectory());
            context.secrets().add(authority.rootKeyPem());
            LOG.warn("No root CA key kept for mesh {} in {}: created a new root; the CA of every cluster is rebuilt from it",
                    spec().identity(), authorityDirectory());
        }
        return authority;
    }

    private Optional<String> cacertsRoot(String cluster) {
        Secret secret = client(cluster).secrets().inNamespace(NAMESPACE).withName(CACERTS).get();
        return Optional.ofNullable(secret).map(Secret::getData).map(data -> data.get(ROOT_CERT_KEY))
                .map(encoded -> new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII));
    }

    private void plugInCertificates(String cluster) {
        CertificateAuthority ca = authorityCreatingIfMissing();
        boolean replacing = cacertsRoot(cluster).isPresent();
        CertificateAuthority.ClusterCertificates certificates = preparedTrust().filter(prepared -> prepared.authority() == ca)
                .map(prepared -> prepared.intermediates().get(cluster)).orElseGet(() -> ca.issueIntermediate(cluster));
        context.secrets().add(certificates.caKey());
        Map<String, String> data = certificates.secretData().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.US_ASCII))));
        Secret cacerts = new SecretBuilder().withNewMetadata().withName(CACERTS).withNamespace(NAMESPACE)
                .addToLabels(ClusterMarker.MANAGED_BY_LABEL, ClusterMarker.MANAGED_BY_MCMESH).endMetadata()
                .withType("Opaque").withData(data).build();
        KubernetesClient client = client(cluster);
        client.secrets().inNamespace(NAMESPACE).resource(cacerts).createOr(NonDeletingOperation::update);
        if (replacing && client.apps().deployments().inNamespace(NAMESPACE).withName(ISTIOD_RELEASE).get() != null) {
            // istiod reads a new root only at start ("Plug-in new Root-CA not supported" while running).
            LOG.warn("[{}] replaced the cluster's CA (secret {}/{}): restarting istiod; running workloads get certificates"
                    + " from the new root when they restart", cluster, NAMESPACE, CACERTS);
            client.apps().deployments().inNamespace(NAMESPACE).withName(ISTIOD_RELEASE).rolling().restart();
        }
    }

    private KubernetesClient client(String cluster) {
        return context.connection(cluster).client();
    }
}
