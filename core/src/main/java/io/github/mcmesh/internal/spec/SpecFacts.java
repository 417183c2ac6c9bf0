package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.ClusterSpec;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What mcmesh derives from a specification for its own steps: which kind of nodes the driver
 * makes, the file name of the mesh's state, where local charts lie. Kept off {@link MeshSpec}
 * and {@link Sources}, whose users need none of it.
 *
 * <pre>{@code
 * if (SpecFacts.usesContainerDriver(spec)) {
 *     docker.ensureNetwork(spec.nodeNetwork(), spec.nodeSubnet());
 * }
 * Path authority = spec.stateDirectory().resolve(SpecFacts.identityFileName(spec));
 * }</pre>
 */
public final class SpecFacts {

    /** Where Istio's charts lie inside {@code manifests/charts} of a release. */
    public static final List<String> ISTIO_CHART_PATHS = List.of("base", "istio-control/istio-discovery");

    /** Where Istio's {@code gateway} chart (the east-west gateways of a mesh on several networks) lies inside {@code manifests/charts}. */
    public static final String GATEWAY_CHART_PATH = "gateway";

    private SpecFacts() {
    }

    /**
     * Whether the clusters are on more than one Istio network ({@link ClusterSpec#network()}):
     * then each cluster gets an east-west gateway and no routes go between the pod networks.
     */
    public static boolean multiNetwork(MeshSpec spec) {
        return spec.clusters().stream().map(ClusterSpec::network).distinct().count() > 1;
    }

    /**
     * The clusters on another network than {@code cluster}'s, in the spec's order: reached only
     * through their east-west gateway, never by a route to their pod network; empty on one network
     * or for a cluster the spec does not name.
     */
    public static List<String> onOtherNetworks(MeshSpec spec, String cluster) {
        return spec.cluster(cluster).map(own -> spec.clusters().stream().filter(c -> !c.network().equals(own.network()))
                .map(ClusterSpec::name).toList()).orElse(List.of());
    }

    /**
     * {@link MeshSpec#identity()} made safe as a file name, e.g. {@code mcmesh-east_mcmesh-west_mesh1}:
     * the name of the mesh's lock and CA files under {@link MeshSpec#stateDirectory()}.
     */
    public static String identityFileName(MeshSpec spec) {
        return spec.identity().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Whether the nodes are containers on a shared docker or podman network. */
    public static boolean usesContainerDriver(MeshSpec spec) {
        return spec.provider() == Provider.MINIKUBE && (spec.driver().equals("docker") || spec.driver().equals("podman"));
    }

    /**
     * Whether the nodes are QEMU VMs: their {@code --network} is one of minikube's QEMU network
     * modes ({@code builtin}/{@code user} or {@code socket_vmnet}; kubernetes/minikube
     * cmd/minikube/cmd/start_flags.go {@code validateQemuNetwork}), not a network's name, and
     * {@link MeshSpec#nodeNetwork()} defaults to {@value MeshSpec#QEMU_SHARED_NETWORK}, the one mode
     * that puts the VMs on one network.
     */
    public static boolean usesQemuDriver(MeshSpec spec) {
        return spec.provider() == Provider.MINIKUBE && (spec.driver().equals("qemu2") || spec.driver().equals("qemu"));
    }

    /** Whether {@link Sources#istioCharts()} names a chart repository rather than a local directory. */
    public static boolean chartsFromRepository(Sources sources) {
        String charts = sources.istioCharts();
        return charts.startsWith("https://") || charts.startsWith("http://") || charts.startsWith("oci://");
    }

    /**
     * The {@code manifests/charts} directory of a local Istio release, given either the release
     * directory ({@code istio-1.30.3}) or that charts directory itself; empty when neither holds
     * both of Istio's charts ({@link #ISTIO_CHART_PATHS}, each with its {@code Chart.yaml}).
     */
    public static Optional<Path> localChartsDirectory(Path directory) {
        return Stream.of(directory, directory.resolve("manifests").resolve("charts"))
                .filter(charts -> ISTIO_CHART_PATHS.stream()
                        .allMatch(chart -> Files.isRegularFile(charts.resolve(chart).resolve("Chart.yaml"))))
                .map(charts -> charts.toAbsolutePath().normalize())
                .findFirst();
    }
}
