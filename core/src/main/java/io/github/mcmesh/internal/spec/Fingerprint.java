package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Timeouts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What shapes a mesh's clusters and its Istio install: versions, ranges, driver, runtime, CNI,
 * trust, mesh-wide DNS proxying. Timeouts, tool paths and the reuse and cleanup policies are not
 * part of it. Recorded in every cluster after provisioning, compared field by field on reuse.
 *
 * <pre>{@code
 * List<Fingerprint.Change> drift = spec.fingerprint().changesFrom(recorded);
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

    public Fingerprint {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Fingerprint of(MeshSpec spec) {
        return new Fingerprint(spec.fingerprintFields());
    }

    /** A field whose recorded value differs from the requested one. */
    public record Change(String field, String recorded, String requested) {

        /**
         * Whether the change lives in the nodes (versions, ranges, driver, runtime, CNI):
         * {@code minikube start} does not apply those to an existing profile, so only delete and
         * recreate repairs it. The other changes are Istio's and a {@code helm upgrade} repairs them.
         */
        public boolean isNodeLevel() {
            return !ISTIO_FIELDS.contains(field);
        }

        /** The change as a user reads it: under the property that sets the field, e.g. {@code mcmesh.istio.version: 1.30.3 -> 1.29.0}. */
        @Override
        public String toString() {
            return MeshProperties.propertyOf(field).orElse(field) + ": " + (recorded == null ? "(none)" : recorded) + " -> "
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
