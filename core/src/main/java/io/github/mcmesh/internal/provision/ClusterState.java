package io.github.mcmesh.internal.provision;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one provisioning knows about one cluster, in one place: its client (one per cluster
 * per provisioning, opened once and closed once), the marker and node facts read from its API,
 * and, once connected, the {@link ClusterConnection} later phases use. Held by the
 * {@link ProvisioningContext}; steps of different clusters run in parallel, each on its own state.
 *
 * <pre>{@code
 * ClusterState east = context.cluster("mcmesh-east");
 * east.node().map(KubeAccess.NodeFacts::bootId);
 * }</pre>
 */
public final class ClusterState {

    private final String name;
    private volatile KubernetesClient client;
    private volatile Optional<ClusterMarker> marker = Optional.empty();
    private volatile Optional<KubeAccess.NodeFacts> node = Optional.empty();
    private volatile ClusterConnection connection;
    private volatile Optional<String> problem = Optional.empty();

    ClusterState(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The client opened for this cluster, if one is. */
    public Optional<KubernetesClient> client() {
        return Optional.ofNullable(client);
    }

    /** The marker the cluster carried when provisioning looked (empty when none, or not read yet). */
    public Optional<ClusterMarker> marker() {
        return marker;
    }

    /** The node facts last read (InternalIP, boot ID), if any. */
    public Optional<KubeAccess.NodeFacts> node() {
        return node;
    }

    /** The connection later phases use, once the cluster is connected. */
    public Optional<ClusterConnection> connection() {
        return Optional.ofNullable(connection);
    }

    /**
     * The cluster's client for the kubeconfig entry as it is now: the one already open is reused as
     * long as the entry still names the same endpoint and credentials, so {@code observe} and the
     * connect step share one. A start that rewrote the entry (a recreated profile gets a new port
     * and new certificates) makes the open client stale: only then it is closed and replaced.
     */
    synchronized KubernetesClient clientFor(Config current) {
        if (client != null && sameEndpoint(client.getConfiguration(), current)) {
            return client;
        }
        if (client != null) {
            client.close();
        }
        client = KubeAccess.client(current);
        connection = null;
        return client;
    }

    /** What kept provisioning from reading the cluster's API when it looked, if anything. */
    public Optional<String> problem() {
        return problem;
    }

    /** What was read before no longer holds: a cluster observed again may have become unreadable. */
    void unusable(String problem) {
        this.problem = Optional.of(problem);
        this.marker = Optional.empty();
        this.node = Optional.empty();
    }

    void observed(Optional<ClusterMarker> marker, KubeAccess.NodeFacts node) {
        this.marker = marker;
        this.node = Optional.of(node);
        this.problem = Optional.empty();
    }

    void connected(KubeAccess.NodeFacts node, ClusterConnection connection) {
        this.node = Optional.of(node);
        this.connection = connection;
    }

    /** Registers a connection made elsewhere (tests, or a step that connects by itself). */
    void register(ClusterConnection connection) {
        this.client = connection.client();
        this.connection = connection;
    }

    /** Closes the client, once; later calls do nothing. */
    synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
            connection = null;
        }
    }

    private static boolean sameEndpoint(Config kept, Config now) {
        return Objects.equals(kept.getMasterUrl(), now.getMasterUrl())
                && Objects.equals(kept.getCaCertData(), now.getCaCertData()) && Objects.equals(kept.getCaCertFile(), now.getCaCertFile())
                && Objects.equals(kept.getClientCertData(), now.getClientCertData())
                && Objects.equals(kept.getClientCertFile(), now.getClientCertFile())
                && Objects.equals(kept.getClientKeyData(), now.getClientKeyData())
                && Objects.equals(kept.getClientKeyFile(), now.getClientKeyFile())
                && Objects.equals(kept.getAutoOAuthToken(), now.getAutoOAuthToken())
                && Objects.equals(kept.getOauthToken(), now.getOauthToken())
                && Objects.equals(kept.getUsername(), now.getUsername())
                && Objects.equals(kept.getPassword(), now.getPassword());
    }

    @Override
    public String toString() {
        return "ClusterState " + name + (connection != null ? " (connected, node " + connection.nodeIp() + ")" : "");
    }
}
