package io.github.mcmesh.internal.provision;

import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.exec.Redactor;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the steps of one provisioning share: the specification, the command runner and the
 * connections to the clusters, which the cluster steps register as clusters come up.
 *
 * <pre>{@code
 * ProvisioningContext context = new ProvisioningContext(spec, runner);
 * context.register(new ClusterConnection("mcmesh-east", client, "192.168.200.2", "https://192.168.200.2:8443"));
 * }</pre>
 */
public final class ProvisioningContext {

    private final MeshSpec spec;
    private final CommandRunner runner;
    private final Map<String, ClusterConnection> connections = new ConcurrentHashMap<>();

    public ProvisioningContext(MeshSpec spec, CommandRunner runner) {
        this.spec = spec;
        this.runner = runner;
    }

    public MeshSpec spec() {
        return spec;
    }

    public CommandRunner runner() {
        return runner;
    }

    /**
     * Where to register every secret a step learns (reader tokens, CA keys, kubeconfig
     * credentials): the runner's {@link CommandRunner#secrets()}, so whatever a tool echoes of
     * them is masked in logs and exception messages. The secrets still go to no logged channel on purpose.
     */
    public Redactor secrets() {
        return runner.secrets();
    }

    /** Makes a cluster's connection available to later steps. */
    public void register(ClusterConnection connection) {
        connections.put(connection.name(), connection);
    }

    /**
     * The connection to a cluster registered by an earlier step.
     *
     * @throws IllegalStateException when no step registered it yet
     */
    public ClusterConnection connection(String cluster) {
        ClusterConnection connection = connections.get(cluster);
        if (connection == null) {
            throw new IllegalStateException("No connection to cluster '" + cluster + "' yet; the cluster steps register it");
        }
        return connection;
    }

    /** Every registered connection, in the order of the specification. */
    public List<ClusterConnection> connections() {
        return spec.clusterNames().stream().filter(connections::containsKey).map(connections::get).toList();
    }
}
