package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.Version;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes versions each Istio minor release supports, as published in istio.io's
 * {@code data/compatibility/supportStatus.yml}.
 *
 * <pre>{@code
 * SupportMatrix.supportedKubernetes(Version.parse("1.18.2")); // Optional[1.24 - 1.27]
 * }</pre>
 */
public final class SupportMatrix {

    /** An inclusive range of Kubernetes minor versions. */
    public record Window(int oldestMinor, int newestMinor) {
        public boolean contains(Version kubernetes) {
            return kubernetes.major() == 1 && kubernetes.minor() >= oldestMinor && kubernetes.minor() <= newestMinor;
        }

        @Override
        public String toString() {
            return "1." + oldestMinor + " - 1." + newestMinor;
        }
    }

    private static final Map<String, Window> WINDOWS = Map.ofEntries(
            Map.entry("1.17", new Window(23, 26)),
            Map.entry("1.18", new Window(24, 27)),
            Map.entry("1.19", new Window(25, 28)),
            Map.entry("1.20", new Window(25, 29)),
            Map.entry("1.21", new Window(26, 29)),
            Map.entry("1.22", new Window(27, 30)),
            Map.entry("1.23", new Window(27, 30)),
            Map.entry("1.24", new Window(28, 31)),
            Map.entry("1.25", new Window(29, 32)),
            Map.entry("1.26", new Window(29, 33)),
            Map.entry("1.27", new Window(29, 33)),
            Map.entry("1.28", new Window(30, 34)),
            Map.entry("1.29", new Window(31, 35)),
            Map.entry("1.30", new Window(32, 36)));

    private SupportMatrix() {
    }

    /** The supported Kubernetes window of this Istio release, or empty when the table does not know it. */
    public static Optional<Window> supportedKubernetes(Version istio) {
        return Optional.ofNullable(WINDOWS.get(istio.minorVersion()));
    }
}
