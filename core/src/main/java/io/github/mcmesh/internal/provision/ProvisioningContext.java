package io.github.mcmesh.internal.provision;

import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.ToolVersions;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.spec.MeshSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the steps of one provisioning share: the specification (its one holder: providers, the
 * Istio layer and the mesh ask here), the command runner, and one {@link ClusterState} per cluster
 * of the spec, which the cluster steps fill as clusters come up.
 *
 * <pre>{@code
 * ProvisioningContext context = new ProvisioningContext(spec, runner);
 * context.register(new ClusterConnection("mcmesh-east", client, "192.168.200.2", "https://192.168.200.2:8443"));
 * }</pre>
 */
public final class ProvisioningContext {

    private final MeshSpec spec;
    private final CommandRunner runner;
    private final Map<String, ClusterState> clusters = new LinkedHashMap<>();
    private final ToolVersions toolVersions;

    public ProvisioningContext(MeshSpec spec, CommandRunner runner) {
        this.spec = spec;
        this.runner = runner;
        this.toolVersions = new ToolVersions(runner);
        spec.clusterNames().forEach(name -> clusters.put(name, new ClusterState(name)));
    }

    public MeshSpec spec() {
        return spec;
    }

    public CommandRunner runner() {
        return runner;
    }

    /** The tools' versions, read once per provisioning for the provider and the Istio layer alike. */
    public ToolVersions toolVersions() {
        return toolVersions;
    }

    /**
     * Where to register every secret a step learns (reader tokens, CA keys, kubeconfig
     * credentials): the runner's {@link CommandRunner#secrets()}, so whatever a tool echoes of
     * them is masked in logs and exception messages. The secrets still go to no logged channel on purpose.
     */
    public Redactor secrets() {
        return runner.secrets();
    }

    /**
     * The state of a cluster of the spec.
     *
     * @throws IllegalArgumentException when the spec has no such cluster
     */
    public ClusterState cluster(String name) {
        ClusterState state = clusters.get(name);
        if (state == null) {
            throw new IllegalArgumentException("the mesh has no cluster '" + name + "'; its clusters are " + clusters.keySet());
        }
        return state;
    }

    /** Every cluster's state, in the order of the specification. */
    public List<ClusterState> clusters() {
        return List.copyOf(clusters.values());
    }

    /** Makes a cluster's connection available to later steps. */
    public void register(ClusterConnection connection) {
        cluster(connection.name()).register(connection);
    }

    /**
     * The connection to a cluster registered by an earlier step.
     *
     * @throws IllegalStateException when no step registered it yet
     */
    public ClusterConnection connection(String cluster) {
        return Optional.ofNullable(clusters.get(cluster)).flatMap(ClusterState::connection).orElseThrow(() ->
                new IllegalStateException("No connection to cluster '" + cluster + "' yet; the cluster steps register it"));
    }

    /** Every registered connection, in the order of the specification. */
    public List<ClusterConnection> connections() {
        return clusters.values().stream().map(ClusterState::connection).flatMap(Optional::stream).toList();
    }

    /** Closes every cluster's client, once each. */
    void closeClients() {
        clusters.values().forEach(ClusterState::close);
    }
}
