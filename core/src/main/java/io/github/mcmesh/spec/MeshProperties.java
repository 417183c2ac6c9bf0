package io.github.mcmesh.spec;

import io.github.mcmesh.internal.files.OwnerOnlyFiles;
import io.github.mcmesh.internal.spec.PropertyFields;
import io.github.mcmesh.spec.InvalidMeshSpecException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code mcmesh.*} properties: their names, and how they apply to a {@link MeshSpec.Builder}.
 * Each can be set in {@code junit-platform.properties}, as a system property, or as an environment
 * variable ({@link ConfigSource#environmentName(String)}); cluster names and topology come from the
 * annotation only.
 *
 * <pre>{@code
 * // MCMESH_ISTIO_VERSION=1.29.0 mvn verify
 * MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), ConfigSource.environment(System.getenv())).build();
 * }</pre>
 */
public final class MeshProperties {

    public static final String PROVIDER = "mcmesh.provider";
    public static final String KUBERNETES_VERSION = "mcmesh.kubernetes.version";
    public static final String ISTIO_VERSION = "mcmesh.istio.version";
    public static final String DRIVER = "mcmesh.driver";
    public static final String CONTAINER_RUNTIME = "mcmesh.container.runtime";
    public static final String CNI = "mcmesh.cni";
    public static final String MEMORY = "mcmesh.memory";
    public static final String CPUS = "mcmesh.cpus";
    public static final String NODE_NETWORK = "mcmesh.node.network";
    public static final String NODE_SUBNET = "mcmesh.node.subnet";
    public static final String MESH_ID = "mcmesh.mesh.id";
    public static final String MESH_NETWORK = "mcmesh.mesh.network";
    public static final String TRUST = "mcmesh.trust";
    public static final String DNS_PROXYING = "mcmesh.dns.proxying";
    public static final String REMOTE_SECRETS = "mcmesh.remote.secrets";
    public static final String ISTIOD_CPU = "mcmesh.istiod.cpu";
    public static final String ISTIOD_MEMORY = "mcmesh.istiod.memory";
    public static final String REUSE = "mcmesh.reuse";
    public static final String CLEANUP = "mcmesh.cleanup";
    public static final String NAMESPACE_CLEANUP = "mcmesh.namespace.cleanup";
    public static final String TIMEOUT_CLUSTER_START = "mcmesh.timeout.cluster.start";
    public static final String TIMEOUT_ISTIO_INSTALL = "mcmesh.timeout.istio.install";
    public static final String TIMEOUT_MESH_READY = "mcmesh.timeout.mesh.ready";
    public static final String TIMEOUT_COMMAND = "mcmesh.timeout.command";
    public static final String TIMEOUT_WORKLOAD_READY = "mcmesh.timeout.workload.ready";
    public static final String TIMEOUT_ASSERTION = "mcmesh.timeout.assertion";
    /** How long the deletion of a test class's namespaces may take in every cluster; default 5m. */
    public static final String TIMEOUT_NAMESPACE_DELETION = "mcmesh.timeout.namespace.deletion";
    /** How long CoreDNS may take to get a pod IP in a cluster just started or connected to; default 2m. */
    public static final String TIMEOUT_COREDNS_READY = "mcmesh.timeout.coredns.ready";
    public static final String TOOLS_MINIKUBE = "mcmesh.tools.minikube";
    public static final String TOOLS_HELM = "mcmesh.tools.helm";
    public static final String TOOLS_ISTIOCTL = "mcmesh.tools.istioctl";
    public static final String TOOLS_DOCKER = "mcmesh.tools.docker";
    public static final String TOOLS_PATH = "mcmesh.tools.path";
    public static final String STATE_DIR = "mcmesh.state.dir";
    /** The kubeconfig holding the clusters' contexts; default: {@code KUBECONFIG} or {@code ~/.kube/config}. */
    public static final String KUBECONFIG = "mcmesh.kubeconfig";
    public static final String ALLOW_UNSUPPORTED_VERSIONS = "mcmesh.allow.unsupported.versions";
    /**
     * {@code true}: running clusters of the spec's names that mcmesh did not create are given Istio,
     * its secrets and marker (never deleted or restarted); default {@code false} refuses them.
     */
    public static final String ADOPT_CLUSTERS = "mcmesh.adopt.clusters";
    public static final String REGISTRY_MIRRORS = "mcmesh.registry.mirrors";
    public static final String IMAGE_MIRROR_COUNTRY = "mcmesh.image.mirror.country";
    public static final String IMAGE_REPOSITORY = "mcmesh.image.repository";
    public static final String ISTIO_CHARTS = "mcmesh.istio.charts";
    public static final String ISTIO_HUB = "mcmesh.istio.hub";
    /** Comma-separated {@code sample=image} pairs, e.g. {@code sleep=registry.example.com/curl:8.16.0}. */
    public static final String SAMPLE_IMAGES = "mcmesh.sample.images";
    public static final String PRELOAD_IMAGES = "mcmesh.preload.images";
    /**
     * {@code true}: istiod's and the sidecar's images, for the mesh's Istio version and hub, are
     * pulled once into this machine's docker daemon ({@code docker pull}, unless it has them) and
     * loaded into every cluster right after its start ({@code minikube image load}, unless the node
     * has the same image id); default {@code false}. The {@code existing} provider loads nothing.
     */
    public static final String PRELOAD_ISTIO_IMAGES = "mcmesh.preload.istio.images";
    public static final String MINIKUBE_ARGS = "mcmesh.minikube.args";
    /** Comma-separated {@code key=value}; a literal comma in a value is written {@code \,} as Helm's {@code --set} does. */
    public static final String HELM_VALUES = "mcmesh.helm.values";
    public static final String HELM_VALUES_FILES = "mcmesh.helm.values.files";
    /** Read by the JUnit extension: fail instead of skipping when a required tool is missing. */
    public static final String REQUIRE_TOOLS = "mcmesh.require.tools";
    /**
     * The former name of {@link #REQUIRE_TOOLS}, the only camel-case one; still read, below the new
     * name. Both have the environment variable {@code MCMESH_REQUIRE_TOOLS}.
     *
     * @deprecated use {@link #REQUIRE_TOOLS}
     */
    @Deprecated
    public static final String REQUIRE_TOOLS_DEPRECATED_NAME = "mcmesh.requireTools";

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private MeshProperties() {
    }

    /**
     * Every {@code mcmesh.*} property name mcmesh reads: the specification's, {@link #REQUIRE_TOOLS}
     * and its deprecated name. The JUnit extension adds its own.
     */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>(PropertyFields.properties());
        names.add(REQUIRE_TOOLS);
        names.add(REQUIRE_TOOLS_DEPRECATED_NAME);
        return Collections.unmodifiableSet(names);
    }

    /**
     * Applies every property set in the source to the builder, over what the builder holds.
     *
     * @throws InvalidMeshSpecException naming each property that does not parse, where it was set,
     *         and the accepted values
     */
    public static MeshSpec.Builder applyTo(MeshSpec.Builder builder, ConfigSource source) {
        Reader reader = new Reader(source, builder);
        reader.enumValue(PROVIDER, Provider.class, builder::provider);
        reader.text(KUBERNETES_VERSION, builder::kubernetesVersion);
        reader.text(ISTIO_VERSION, builder::istioVersion);
        reader.text(DRIVER, builder::driver);
        reader.text(CONTAINER_RUNTIME, builder::containerRuntime);
        reader.text(CNI, builder::cni);
        reader.positiveInt(MEMORY, "megabytes, e.g. 4096", builder::memoryMb);
        reader.positiveInt(CPUS, "a CPU count, e.g. 2", builder::cpus);
        reader.text(NODE_NETWORK, builder::nodeNetwork);
        reader.text(NODE_SUBNET, builder::nodeSubnet);
        reader.text(MESH_ID, builder::meshId);
        reader.text(MESH_NETWORK, builder::networkName);
        reader.enumValue(TRUST, TrustMode.class, builder::trust);
        reader.bool(DNS_PROXYING, builder::dnsProxying);
        reader.enumValue(REMOTE_SECRETS, RemoteSecretMode.class, builder::remoteSecrets);
        Optional<ConfigValue> cpu = source.lookup(ISTIOD_CPU);
        Optional<ConfigValue> memory = source.lookup(ISTIOD_MEMORY);
        if (cpu.isPresent() || memory.isPresent()) {
            builder.istiodResources(cpu.map(ConfigValue::value).orElse(builder.istiodCpu()),
                    memory.map(ConfigValue::value).orElse(builder.istiodMemory()));
            cpu.ifPresent(builder::setBy);
            memory.ifPresent(builder::setBy);
        }
        reader.enumValue(REUSE, ReusePolicy.class, builder::reuse);
        reader.enumValue(CLEANUP, CleanupPolicy.class, builder::cleanup);
        reader.enumValue(NAMESPACE_CLEANUP, CleanupPolicy.class, builder::namespaceCleanup);
        reader.duration(TIMEOUT_CLUSTER_START, d -> builder.timeouts(builder.timeouts().withClusterStart(d)));
        reader.duration(TIMEOUT_ISTIO_INSTALL, d -> builder.timeouts(builder.timeouts().withIstioInstall(d)));
        reader.duration(TIMEOUT_MESH_READY, d -> builder.timeouts(builder.timeouts().withMeshReady(d)));
        reader.duration(TIMEOUT_COMMAND, d -> builder.timeouts(builder.timeouts().withCommand(d)));
        reader.duration(TIMEOUT_WORKLOAD_READY, d -> builder.timeouts(builder.timeouts().withWorkloadReady(d)));
        reader.duration(TIMEOUT_ASSERTION, d -> builder.timeouts(builder.timeouts().withAssertion(d)));
        reader.duration(TIMEOUT_NAMESPACE_DELETION, d -> builder.timeouts(builder.timeouts().withNamespaceDeletion(d)));
        reader.duration(TIMEOUT_COREDNS_READY, d -> builder.timeouts(builder.timeouts().withCoreDnsReady(d)));
        reader.path(TOOLS_MINIKUBE, p -> builder.tools(builder.tools().withMinikube(p)));
        reader.path(TOOLS_HELM, p -> builder.tools(builder.tools().withHelm(p)));
        reader.path(TOOLS_ISTIOCTL, p -> builder.tools(builder.tools().withIstioctl(p)));
        reader.path(TOOLS_DOCKER, p -> builder.tools(builder.tools().withDocker(p)));
        reader.text(TOOLS_PATH, p -> builder.tools(builder.tools().withSearchPath(p)));
        reader.stateDirectory(STATE_DIR, builder::stateDirectory);
        reader.path(KUBECONFIG, builder::kubeconfig);
        reader.bool(ALLOW_UNSUPPORTED_VERSIONS, builder::allowUnsupportedVersions);
        reader.bool(ADOPT_CLUSTERS, builder::adoptClusters);
        reader.list(REGISTRY_MIRRORS, v -> builder.sources(builder.sources().withRegistryMirrors(v)));
        reader.text(IMAGE_MIRROR_COUNTRY, v -> builder.sources(builder.sources().withImageMirrorCountry(v)));
        reader.text(IMAGE_REPOSITORY, v -> builder.sources(builder.sources().withImageRepository(v)));
        reader.text(ISTIO_CHARTS, v -> builder.sources(builder.sources().withIstioCharts(v)));
        reader.text(ISTIO_HUB, v -> builder.sources(builder.sources().withIstioHub(v)));
        reader.parsed(SAMPLE_IMAGES, MeshProperties::parsePairs, "comma-separated sample=image pairs, samples "
                + Sources.SAMPLE_NAMES, v -> builder.sources(builder.sources().withSampleImages(v)));
        reader.bool(PRELOAD_IMAGES, v -> builder.sources(builder.sources().withPreloadImages(v)));
        reader.bool(PRELOAD_ISTIO_IMAGES, v -> builder.sources(builder.sources().withPreloadIstioImages(v)));
        reader.list(MINIKUBE_ARGS, v -> builder.passThrough(builder.passThrough().withMinikubeStartArgs(v)));
        reader.list(HELM_VALUES, v -> builder.passThrough(builder.passThrough().withHelmValues(v)));
        reader.list(HELM_VALUES_FILES, v -> builder.passThrough(builder.passThrough()
                .withHelmValuesFiles(v.stream().map(Path::of).toList())));
        reader.throwIfProblems();
        return builder;
    }

    /**
     * Parses a duration as {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT5M}).
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static Duration parseDuration(String text) {
        String trimmed = text.trim();
        Matcher matcher = SIMPLE_DURATION.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration; use 500ms, 90s, 5m, 1h or ISO-8601 such as PT5M", e);
        }
    }

    /**
     * Reads a boolean property strictly ({@code true} or {@code false}, any case).
     *
     * @throws InvalidMeshSpecException naming the property, its origin and the accepted values
     */
    public static Optional<Boolean> booleanValue(ConfigSource source, String key) {
        Reader reader = new Reader(source, null);
        Boolean[] result = new Boolean[1];
        reader.bool(key, value -> result[0] = value);
        reader.throwIfProblems();
        return Optional.ofNullable(result[0]);
    }

    /** Splits on commas not escaped by a backslash; blanks are dropped, escapes are kept for the tool. */
    static List<String> splitList(String text) {
        return Arrays.stream(text.split("(?<!\\\\),")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    private static Map<String, String> parsePairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : splitList(text)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(pair);
            }
            pairs.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return pairs;
    }

    private static final class Reader {
        private final ConfigSource source;
        /** Told where each value it gets came from; null when reading a value alone. */
        private final MeshSpec.Builder builder;
        private final List<Problem> problems = new ArrayList<>();

        Reader(ConfigSource source, MeshSpec.Builder builder) {
            this.source = source;
            this.builder = builder;
        }

        void list(String key, Consumer<List<String>> target) {
            source.lookup(key).ifPresent(value -> applied(value, () -> target.accept(splitList(value.value()))));
        }

        void text(String key, Consumer<String> target) {
            source.lookup(key).ifPresent(value -> applied(value, () -> target.accept(value.value().trim())));
        }

        /** Applies the value, then records its origin over the one the builder's setter recorded. */
        private void applied(ConfigValue value, Runnable apply) {
            apply.run();
            if (builder != null) {
                builder.setBy(value);
            }
        }

        <T> void parsed(String key, Function<String, T> parser, String accepted, Consumer<T> target) {
            source.lookup(key).ifPresent(value -> {
                T parsed;
                try {
                    parsed = parser.apply(value.value().trim());
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(key, value.value(), "accepted: " + accepted, "set by " + value.origin()));
                    return;
                }
                applied(value, () -> target.accept(parsed));
            });
        }

        <E extends Enum<E>> void enumValue(String key, Class<E> type, Consumer<E> target) {
            String accepted = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            parsed(key, text -> Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_')), accepted, target);
        }

        void bool(String key, Consumer<Boolean> target) {
            parsed(key, text -> switch (text.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(text);
            }, "true, false", target);
        }

        void positiveInt(String key, String accepted, Consumer<Integer> target) {
            parsed(key, text -> {
                int value = Integer.parseInt(text);
                if (value <= 0) {
                    throw new IllegalArgumentException(text);
                }
                return value;
            }, "a positive whole number (" + accepted + ")", target);
        }

        void duration(String key, Consumer<Duration> target) {
            parsed(key, text -> {
                Duration value = parseDuration(text);
                if (value.isZero() || value.isNegative()) {
                    throw new IllegalArgumentException(text);
                }
                return value;
            }, "a positive duration such as 500ms, 90s, 5m, 1h or PT5M", target);
        }

        void path(String key, Consumer<Path> target) {
            parsed(key, Path::of, "a file system path", target);
        }

        /**
         * A directory mcmesh keeps its state in: created owner-only now if missing (an existing one keeps
         * its mode: it is the user's), then written to
         * once, so an unusable one (e.g. under {@code /proc}, or read-only) fails here, before
         * anything runs, with the reason. Running as root, a permission check alone would pass.
         */
        void stateDirectory(String key, Consumer<Path> target) {
            source.lookup(key).ifPresent(value -> {
                Path directory = Path.of(value.value().trim());
                try {
                    // a directory the user names keeps its mode (it may be shared); mcmesh's own inside it are 0700
                    OwnerOnlyFiles.createMissingDirectories(directory);
                    Files.delete(Files.createTempFile(directory, ".mcmesh-write-check", ".tmp"));
                } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
                    problems.add(new Problem(key, value.value(), "set by " + value.origin() + "; mcmesh cannot create or write"
                            + " this directory (" + e + "); set " + key + " to a directory this user can create and write"
                            + " (it holds locks, ownership records and CA keys), or leave it unset for ~/.mcmesh"));
                    return;
                }
                target.accept(directory);
            });
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new InvalidMeshSpecException(problems);
            }
        }
    }
}
