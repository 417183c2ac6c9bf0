package io.github.mcmesh.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each kind of step may take. Not part of a mesh's fingerprint: changing a timeout
 * never rebuilds a mesh. Made from {@link #defaults()} and its {@code with...} methods only, so
 * a timeout added later breaks no caller; validated with the mesh in {@link MeshSpec.Builder#build()}.
 *
 * <pre>{@code
 * Timeouts timeouts = Timeouts.defaults()
 *     .withIstioInstall(Duration.ofMinutes(15))
 *     .withClusterStart(Duration.ofMinutes(5));
 * }</pre>
 */
public final class Timeouts {

    /**
     * The timeouts, one component each: the one list the accessors, {@link #equals}, {@link #toString}
     * and the builder's record of which setting set what ({@code Components}) read.
     *
     * @param clusterStart one {@code minikube start}
     * @param istioInstall one {@code helm upgrade --install ... --wait}
     * @param meshReady until every istiod reports every peer cluster synced
     * @param command any other single command (status, ip, ssh, docker network)
     * @param workloadReady until deployed workloads are ready
     * @param assertion how long an assertion polls before it fails
     * @param namespaceDeletion until a test class's namespaces are gone from every cluster
     * @param coreDnsReady until CoreDNS has a pod IP in a cluster just started or connected to
     */
    record Parts(Duration clusterStart, Duration istioInstall, Duration meshReady, Duration command,
            Duration workloadReady, Duration assertion, Duration namespaceDeletion, Duration coreDnsReady) {
    }

    private final Parts parts;

    private Timeouts(Parts parts) {
        this.parts = parts;
    }

    /**
     * Ten minutes to start a cluster and to install Istio, five until the mesh and workloads are
     * ready and namespaces deleted, two for any other command and for CoreDNS, one for an assertion.
     */
    public static Timeouts defaults() {
        return new Timeouts(new Parts(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofMinutes(2)));
    }

    /** One {@code minikube start} ({@value MeshProperties#TIMEOUT_CLUSTER_START}). */
    public Duration clusterStart() {
        return parts.clusterStart();
    }

    /** One {@code helm upgrade --install ... --wait} ({@value MeshProperties#TIMEOUT_ISTIO_INSTALL}). */
    public Duration istioInstall() {
        return parts.istioInstall();
    }

    /** Until every istiod reports every peer cluster synced ({@value MeshProperties#TIMEOUT_MESH_READY}). */
    public Duration meshReady() {
        return parts.meshReady();
    }

    /** Any other single command: status, ip, ssh, docker network ({@value MeshProperties#TIMEOUT_COMMAND}). */
    public Duration command() {
        return parts.command();
    }

    /** Until deployed workloads are ready ({@value MeshProperties#TIMEOUT_WORKLOAD_READY}). */
    public Duration workloadReady() {
        return parts.workloadReady();
    }

    /** How long an assertion polls before it fails ({@value MeshProperties#TIMEOUT_ASSERTION}). */
    public Duration assertion() {
        return parts.assertion();
    }

    /** Until a test class's namespaces are gone from every cluster ({@value MeshProperties#TIMEOUT_NAMESPACE_DELETION}). */
    public Duration namespaceDeletion() {
        return parts.namespaceDeletion();
    }

    /**
     * Until CoreDNS has a pod IP in a cluster just started or connected to, the IP that shows the
     * CNI assigns pod addresses from the cluster's pod range ({@value MeshProperties#TIMEOUT_COREDNS_READY}).
     */
    public Duration coreDnsReady() {
        return parts.coreDnsReady();
    }

    public Timeouts withClusterStart(Duration value) {
        return new Timeouts(new Parts(value, istioInstall(), meshReady(), command(), workloadReady(), assertion(),
                namespaceDeletion(), coreDnsReady()));
    }

    public Timeouts withIstioInstall(Duration value) {
        return new Timeouts(new Parts(clusterStart(), value, meshReady(), command(), workloadReady(), assertion(),
                namespaceDeletion(), coreDnsReady()));
    }

    public Timeouts withMeshReady(Duration value) {
        return new Timeouts(new Parts(clusterStart(), istioInstall(), value, command(), workloadReady(), assertion(),
                namespaceDeletion(), coreDnsReady()));
    }

    public Timeouts withCommand(Duration value) {
        return new Timeouts(new Parts(clusterStart(), istioInstall(), meshReady(), value, workloadReady(), assertion(),
                namespaceDeletion(), coreDnsReady()));
    }

    public Timeouts withWorkloadReady(Duration value) {
        return new Timeouts(new Parts(clusterStart(), istioInstall(), meshReady(), command(), value, assertion(),
                namespaceDeletion(), coreDnsReady()));
    }

    public Timeouts withAssertion(Duration value) {
        return new Timeouts(new Parts(clusterStart(), istioInstall(), meshReady(), command(), workloadReady(), value,
                namespaceDeletion(), coreDnsReady()));
    }

    public Timeouts withNamespaceDeletion(Duration value) {
        return new Timeouts(new Parts(clusterStart(), istioInstall(), meshReady(), command(), workloadReady(),
                assertion(), value, coreDnsReady()));
    }

    public Timeouts withCoreDnsReady(Duration value) {
        return new Timeouts(new Parts(clusterStart(), istioInstall(), meshReady(), command(), workloadReady(),
                assertion(), namespaceDeletion(), value));
    }

    /** The parts, for {@link Components}. */
    Parts parts() {
        return parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Timeouts that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Timeouts.class, parts);
    }

    /** E.g. {@code Timeouts[clusterStart=PT10M, istioInstall=PT10M, ...]}. */
    @Override
    public String toString() {
        return Components.describe("Timeouts", parts);
    }
}
