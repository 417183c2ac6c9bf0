package io.github.mcmesh.internal.junit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.PerCluster;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespaces test classes get: one per class, with the same name in every cluster, labelled
 * for sidecar injection and with the run and creation time, so namespaces kept for inspection can
 * be reaped by a later run.
 */
public final class ClassNamespaces {

    public static final String INJECTION_LABEL = "istio-injection";
    public static final String RUN_LABEL = "mcmesh.io/run";
    public static final String CREATED_LABEL = "mcmesh.io/created";
    /** Kept namespaces of other runs older than this are deleted when a mesh is first used. */
    static final Duration STALE_AFTER = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(ClassNamespaces.class);
    private static final int MAX_LENGTH = 63;
    private static final int SUFFIX_LENGTH = 8;

    private ClassNamespaces() {
    }

    /**
     * A DNS-1123 label derived from the class name ({@code CrossClusterIT} gives
     * {@code cross-cluster-it-<8 hex digits>}), unique per class and run.
     */
    public static String nameFor(Class<?> testClass, String runId) {
        String className = testClass.getName().substring(testClass.getPackageName().length()).replaceFirst("^\\.", "");
        String base = className.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.length() > MAX_LENGTH - SUFFIX_LENGTH - 1) {
            base = base.substring(0, MAX_LENGTH - SUFFIX_LENGTH - 1).replaceAll("-+$", "");
        }
        String suffix = sha256(runId + ":" + testClass.getName()).substring(0, SUFFIX_LENGTH);
        return base.isEmpty() ? "mcmesh-" + suffix : base + "-" + suffix;
    }

    /** Creates the namespace in every cluster. */
    public static void create(List<ClusterConnection> clusters, String name, String runId, Instant now) {
        Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels(INJECTION_LABEL, "enabled")
                .addToLabels(RUN_LABEL, runId)
                .addToLabels(CREATED_LABEL, Long.toString(now.getEpochSecond()))
                .endMetadata().build();
        PerCluster.forEach("namespace-create", clusters, cluster -> cluster.client().namespaces().resource(namespace).create());
        LOG.info("Created namespace {} in clusters {}", name, names(clusters));
    }

    /**
     * Deletes the namespace in every cluster and waits until it is gone everywhere, so the next
     * run starts clean.
     */
    static void delete(List<ClusterConnection> clusters, String name, Duration maxWait) {
        for (ClusterConnection cluster : clusters) {
            cluster.client().namespaces().withName(name).delete();
        }
        for (ClusterConnection cluster : clusters) {
            cluster.client().namespaces().withName(name)
                    .waitUntilCondition(Objects::isNull, maxWait.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Deleted namespace {} in clusters {}", name, names(clusters));
    }

    /**
     * Deletes, without waiting, the mcmesh namespaces of other runs created more than
     * {@link #STALE_AFTER} ago. A run is taken as finished once it is older than that: a test
     * run lasting a day is not expected.
     *
     * @return {@code cluster/namespace} for each namespace deleted
     */
    static List<String> reapStale(List<ClusterConnection> clusters, String runId, Instant now) {
        long staleBefore = now.minus(STALE_AFTER).getEpochSecond();
        // each cluster at once; the reaped names stay in the clusters' order
        List<String> reaped = PerCluster.map("namespace-reap", clusters, cluster -> {
            List<String> inCluster = new ArrayList<>();
            for (Namespace namespace : cluster.client().namespaces().withLabel(RUN_LABEL).list().getItems()) {
                String run = namespace.getMetadata().getLabels().get(RUN_LABEL);
                String created = namespace.getMetadata().getLabels().getOrDefault(CREATED_LABEL, "");
                if (!run.equals(runId) && created.matches("\\d+") && Long.parseLong(created) < staleBefore) {
                    cluster.client().namespaces().withName(namespace.getMetadata().getName()).delete();
                    inCluster.add(cluster.name() + "/" + namespace.getMetadata().getName());
                }
            }
            return inCluster;
        }).stream().flatMap(List::stream).toList();
        if (!reaped.isEmpty()) {
            LOG.info("Deleted namespaces kept by earlier runs more than {} ago: {}", STALE_AFTER, reaped);
        }
        return reaped;
    }

    static List<String> names(List<ClusterConnection> clusters) {
        return clusters.stream().map(ClusterConnection::name).toList();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
