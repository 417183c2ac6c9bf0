package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.Sources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What shapes a mesh's clusters and its Istio install: versions, ranges, driver, runtime, CNI,
 * trust, mesh-wide DNS proxying. Timeouts, tool paths and the reuse and cleanup policies are not
 * part of it. Recorded in every cluster after provisioning, compared field by field on reuse.
 *
 * <pre>{@code
 * List<Fingerprint.Change> drift = Fingerprint.of(spec).changesFrom(recorded);
 * drift.forEach(System.out::println); // mcmesh.istio.version: 1.29.0 -> 1.30.3
 * }</pre>
 *
 * @param fields field name to value, in a stable order
 */
public record Fingerprint(Map<String, String> fields) {

    private static final Set<String> ISTIO_FIELDS =
            Set.of("istioVersion", "meshId", "networkName", "trust", "dnsProxying", "istiodCpu", "istiodMemory",
                    "istioHub", "helmValues", "helmValuesFiles",
                    // not Istio, but not node-level either: the preload step adds what is missing
                    "preloadImages");

    /** The field suffix of a cluster's east-west gateway address: Istio's, a {@code helm upgrade} repairs it. */
    private static final String EAST_WEST_GATEWAY = "eastWestGateway";

    public Fingerprint {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The fingerprinted fields of a specification, in a stable order. */
    public static Fingerprint of(MeshSpec spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("provider", spec.provider().name());
        fields.put("kubernetesVersion", spec.kubernetesVersion().toString());
        fields.put("istioVersion", spec.istioVersion().toString());
        Sources sources = spec.sources();
        PassThrough passThrough = spec.passThrough();
        if (spec.provider() == Provider.MINIKUBE) {
            fields.put("driver", spec.driver());
            fields.put("containerRuntime", spec.containerRuntime());
            fields.put("cni", spec.cni());
            fields.put("nodeNetwork", spec.nodeNetwork());
            if (SpecFacts.usesContainerDriver(spec)) {
                fields.put("nodeSubnet", spec.nodeSubnet().toString());
            }
            fields.put("registryMirrors", String.join(",", sources.registryMirrors()));
            fields.put("imageMirrorCountry", sources.imageMirrorCountry().orElse(""));
            fields.put("imageRepository", sources.imageRepository().orElse(""));
            fields.put("minikubeStartArgs", String.join(" ", passThrough.minikubeStartArgs()));
            if (sources.preloadImages()) {
                // only when asked, so markers written without preloading still match
                fields.put("preloadImages", "sampleImages=" + new TreeMap<>(sources.sampleImages()));
            }
            // preloadIstioImages is no field: a running mesh's nodes hold Istio's images already, so turning it on keeps the
            // warm path instead of pulling what no cluster needs
        }
        boolean multiNetwork = SpecFacts.multiNetwork(spec);
        for (ClusterSpec c : spec.clusters()) {
            String prefix = "clusters[" + c.name() + "].";
            fields.put(prefix + "podCidr", c.podCidr().toString());
            fields.put(prefix + "serviceCidr", c.serviceCidr().toString());
            if (spec.provider() == Provider.MINIKUBE) {
                fields.put(prefix + "bridge", c.bridge().map(Cidr::toString).orElse(""));
                // node labels mcmesh sets at minikube start; existing clusters keep their own
                fields.put(prefix + "region", c.region());
                fields.put(prefix + "zone", c.zone());
                if (SpecFacts.usesContainerDriver(spec)) {
                    fields.put(prefix + "staticIp", c.staticIp());
                }
            }
            if (multiNetwork) {
                // only with several networks, so the markers of one-network meshes stay as they were
                fields.put(prefix + "network", c.network());
                fields.put(prefix + EAST_WEST_GATEWAY, eastWestGatewayAddress(spec, c));
            }
        }
        fields.put("meshId", spec.meshId());
        fields.put("networkName", spec.networkName());
        fields.put("trust", spec.trust().name());
        fields.put("dnsProxying", Boolean.toString(spec.dnsProxying()));
        fields.put("istiodCpu", spec.istiodCpu());
        fields.put("istiodMemory", spec.istiodMemory());
        fields.put("istioHub", sources.istioHub().orElse(""));
        fields.put("helmValues", String.join(",", passThrough.helmValues()));
        fields.put("helmValuesFiles", passThrough.helmValuesFiles().stream().map(Path::toString)
                .collect(Collectors.joining(",")));
        return new Fingerprint(fields);
    }

    /**
     * Where the cluster's east-west gateway is reached from the other networks, as far as the spec
     * fixes it: the node's static IP (container drivers), the node's IP (other drivers), or the
     * address the gateway Service's load balancer reports (clusters mcmesh did not create); port
     * 15443 ({@code DefaultNetworkGatewayPort}, pilot/pkg/serviceregistry/kube/controller).
     */
    static String eastWestGatewayAddress(MeshSpec spec, ClusterSpec cluster) {
        if (spec.provider() != Provider.MINIKUBE) {
            return "load balancer of Service istio-eastwestgateway:15443";
        }
        return (SpecFacts.usesContainerDriver(spec) ? cluster.staticIp() : "node InternalIP") + ":15443";
    }

    /** A field whose recorded value differs from the requested one. */
    public record Change(String field, String recorded, String requested) {

        /**
         * Whether the change lives in the nodes (versions, ranges, driver, runtime, CNI):
         * {@code minikube start} does not apply those to an existing profile, so only delete and
         * recreate repairs it. The other changes are Istio's and a {@code helm upgrade} repairs them.
         */
        public boolean isNodeLevel() {
            return !ISTIO_FIELDS.contains(field) && !field.endsWith("." + EAST_WEST_GATEWAY);
        }

        /** The change as a user reads it: under the property that sets the field, e.g. {@code mcmesh.istio.version: 1.30.3 -> 1.29.0}. */
        @Override
        public String toString() {
            return PropertyFields.propertyOf(field).orElse(field) + ": " + (recorded == null ? "(none)" : recorded) + " -> "
                    + (requested == null ? "(none)" : requested);
        }
    }

    /** The fields that differ between a recorded fingerprint and this requested one. */
    public List<Change> changesFrom(Fingerprint recorded) {
        Set<String> names = new LinkedHashSet<>(fields.keySet());
        names.addAll(recorded.fields.keySet());
        List<Change> changes = new ArrayList<>();
        for (String name : names) {
            String was = recorded.fields.get(name);
            String now = fields.get(name);
            if (was == null ? now != null : !was.equals(now)) {
                changes.add(new Change(name, was, now));
            }
        }
        return changes;
    }

    /** A short stable hash of the fields (SHA-256, first 16 hex digits). */
    public String hash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            fields.forEach((name, value) -> digest.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
