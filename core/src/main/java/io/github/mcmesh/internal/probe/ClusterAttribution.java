package io.github.mcmesh.internal.probe;

import io.github.mcmesh.Mesh;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which cluster answered an HTTP call. The default for helloworld reads the pod name from
 * {@code instance: <pod>} and looks it up across the mesh; other services can use a header or a
 * body pattern.
 *
 * <pre>{@code
 * ClusterAttribution byInstance = ClusterAttribution.helloworldInstance(mesh);
 * ClusterAttribution byHeader = ClusterAttribution.header("x-cluster");   // value is the cluster name
 * ClusterAttribution byZone = ClusterAttribution.bodyPattern(Pattern.compile("zone=(\\w+)"),
 *         Map.of("a", "mcmesh-east", "b", "mcmesh-west"));
 * }</pre>
 */
@FunctionalInterface
public interface ClusterAttribution {

    /** helloworld's {@code Hello version: v1, instance: <pod name>}. */
    Pattern HELLOWORLD_INSTANCE = Pattern.compile("instance: (\\S+)");

    /** The cluster that produced this observation, empty when it cannot be told. */
    Optional<String> clusterOf(HttpObservation observation);

    /**
     * Reads the pod name with {@link #HELLOWORLD_INSTANCE} and finds its cluster with
     * {@link Mesh#clusterOfPod(String)}; each pod is looked up once per returned instance.
     */
    static ClusterAttribution helloworldInstance(Mesh mesh) {
        return podNameInBody(mesh, HELLOWORLD_INSTANCE);
    }

    /** As {@link #helloworldInstance(Mesh)}, the pod name being group 1 of {@code pattern}. */
    static ClusterAttribution podNameInBody(Mesh mesh, Pattern pattern) {
        Map<String, Optional<String>> clusterByPod = new ConcurrentHashMap<>();
        return observation -> firstGroup(pattern, observation.body())
                .flatMap(pod -> clusterByPod.computeIfAbsent(pod, mesh::clusterOfPod));
    }

    /** Group 1 of {@code pattern} in the body, mapped to a cluster by {@code clusterByValue}. */
    static ClusterAttribution bodyPattern(Pattern pattern, Map<String, String> clusterByValue) {
        Map<String, String> copy = Map.copyOf(clusterByValue);
        return observation -> firstGroup(pattern, observation.body()).map(copy::get);
    }

    /** A response header whose value is the cluster's name. */
    static ClusterAttribution header(String name) {
        return header(name, Function.identity());
    }

    /** A response header, its value mapped to a cluster by {@code clusterByValue}. */
    static ClusterAttribution header(String name, Map<String, String> clusterByValue) {
        Map<String, String> copy = Map.copyOf(clusterByValue);
        return header(name, copy::get);
    }

    private static ClusterAttribution header(String name, Function<String, String> toCluster) {
        Objects.requireNonNull(name, "name");
        return observation -> observation.header(name).map(toCluster);
    }

    private static Optional<String> firstGroup(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.ofNullable(matcher.group(1)) : Optional.empty();
    }
}
