package io.github.mcmesh.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * One cluster of a mesh: its name, its address ranges and its Istio network. Built through
 * {@link MeshSpec.Builder#cluster(String, java.util.function.Consumer)} and validated with the
 * whole mesh; there is no other way to make one.
 *
 * <pre>{@code
 * MeshSpec.builder()
 *     .cluster("east", c -> c.podCidr("10.10.0.0/16").serviceCidr("10.255.10.0/24"))
 *     .cluster("west", c -> c.podCidr("10.20.0.0/16").serviceCidr("10.255.20.0/24"))
 *     .build();
 * }</pre>
 *
 * <p>Clusters whose pods cannot reach each other's pod IPs go on different networks; their
 * services are then reached through each cluster's east-west gateway:
 *
 * <pre>{@code
 * MeshSpec.builder()
 *     .cluster("east", c -> c.network("net-east"))
 *     .cluster("west", c -> c.network("net-west"))
 *     .build();
 * }</pre>
 */
public final class ClusterSpec {

    /**
     * The cluster's settings, one component each: the one list the accessors, {@link #equals} and
     * {@link #toString} read.
     *
     * @param name minikube profile, kube context and Istio cluster ID at once (a DNS-1123 label)
     * @param podCidr the range pods get their IPs from ({@code kubeadm.pod-network-cidr})
     * @param serviceCidr the range of Service cluster IPs ({@code --service-cluster-ip-range})
     * @param bridge the docker bridge inside the node ({@code --docker-opt bip=...}), if set
     * @param staticIp the node's IP on the shared node network ({@code --static-ip})
     * @param network the cluster's Istio network ({@code global.network}), the mesh's network name unless set
     * @param region the node's {@code topology.kubernetes.io/region} label
     * @param zone the node's {@code topology.kubernetes.io/zone} label
     */
    record Parts(String name, Cidr podCidr, Cidr serviceCidr, Optional<Cidr> bridge, String staticIp, String network,
            String region, String zone) {
    }

    private final Parts parts;

    ClusterSpec(Parts parts) {
        this.parts = parts;
    }

    /** Minikube profile, kube context and Istio cluster ID at once (a DNS-1123 label). */
    public String name() {
        return parts.name();
    }

    /** The range pods get their IPs from ({@code kubeadm.pod-network-cidr}). */
    public Cidr podCidr() {
        return parts.podCidr();
    }

    /** The range of Service cluster IPs ({@code --service-cluster-ip-range}). */
    public Cidr serviceCidr() {
        return parts.serviceCidr();
    }

    /** The docker bridge inside the node ({@code --docker-opt bip=...}), if set. */
    public Optional<Cidr> bridge() {
        return parts.bridge();
    }

    /** The node's IP on the shared node network ({@code --static-ip}); derived from the node subnet when not set. */
    public String staticIp() {
        return parts.staticIp();
    }

    /**
     * The cluster's Istio network: istiod's {@code global.network} and the label
     * {@code topology.istio.io/network} on {@code istio-system}. The mesh's
     * {@link MeshSpec#networkName()} unless set for this cluster; clusters on one network reach each
     * other's pods directly (mcmesh routes the pod networks), clusters on different networks through
     * each other's east-west gateway.
     */
    public String network() {
        return parts.network();
    }

    /**
     * The region Istio's locality load balancing sees for this cluster's pods: the node label
     * {@code topology.kubernetes.io/region}, which mcmesh sets when it starts the node (default:
     * the cluster name). For provider {@code existing} the nodes' own label counts, not this.
     */
    public String region() {
        return parts.region();
    }

    /** The node label {@code topology.kubernetes.io/zone}, as {@link #region()} (default: {@code <name>-a}). */
    public String zone() {
        return parts.zone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterSpec that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ClusterSpec.class, parts);
    }

    /** E.g. {@code ClusterSpec[name=mcmesh-east, podCidr=10.10.0.0/16, ...]}. */
    @Override
    public String toString() {
        return Components.describe("ClusterSpec", parts);
    }

    /** The cluster's settings as they are being built; see {@link MeshSpec.Builder#cluster}. */
    public static final class Builder {
        final String name;
        String podCidr;
        String serviceCidr;
        String bridge;
        String staticIp;
        String network;
        String region;
        String zone;
        /** Where this cluster's settings come from, for validation messages; null for the default clusters. */
        String origin;

        Builder(String name) {
            this.name = name;
        }

        /** The pod range, e.g. {@code 10.10.0.0/16}. Default: {@code 10.<10·(i+1)>.0.0/16} for the i-th cluster. */
        public Builder podCidr(String cidr) {
            this.podCidr = cidr;
            return this;
        }

        /** The Service range, e.g. {@code 10.255.10.0/24}. Default: {@code 10.255.<10·(i+1)>.0/24}. */
        public Builder serviceCidr(String cidr) {
            this.serviceCidr = cidr;
            return this;
        }

        /** The node's docker bridge, e.g. {@code 10.254.17.1/24} ({@code --docker-opt bip=...}). Default: not set. */
        public Builder bridge(String addressWithPrefix) {
            this.bridge = addressWithPrefix;
            return this;
        }

        /** The node IP on the shared node network (docker and podman drivers). Default: node subnet + 2 + i. */
        public Builder staticIp(String address) {
            this.staticIp = address;
            return this;
        }

        /**
         * The cluster's Istio network, e.g. {@code net-east}. Default: the mesh's network name
         * ({@value MeshProperties#MESH_NETWORK}), so every cluster is on one network. Give clusters
         * different networks when their pods cannot route to each other.
         */
        public Builder network(String name) {
            this.network = name;
            return this;
        }

        /**
         * The node's {@code topology.kubernetes.io/region}, a label value (up to 63 letters, digits,
         * {@code -}, {@code _}, {@code .}), e.g. {@code eu-west}. Default: the cluster name.
         */
        public Builder region(String value) {
            this.region = value;
            return this;
        }

        /** The node's {@code topology.kubernetes.io/zone}, a label value, e.g. {@code eu-west-b}. Default: {@code <name>-a}. */
        public Builder zone(String value) {
            this.zone = value;
            return this;
        }
    }
}
