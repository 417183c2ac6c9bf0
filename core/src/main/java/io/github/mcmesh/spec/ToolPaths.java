package io.github.mcmesh.spec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the external tools are. An empty path means "look it up on {@code PATH}" ({@link #searchPath()},
 * or the process's own {@code PATH} when that is empty too). Not part of a mesh's fingerprint.
 * Made from {@link #onPath()} and its {@code with...} methods only, so a tool added later breaks no caller.
 *
 * <pre>{@code
 * ToolPaths tools = ToolPaths.onPath().withMinikube(Path.of("/opt/minikube/bin/minikube"));
 * }</pre>
 */
public final class ToolPaths {

    /**
     * The paths, one component each: the one list the accessors, {@link #equals}, {@link #toString}
     * and the builder's record of which setting set what read.
     *
     * @param minikube the {@code minikube} executable
     * @param helm the {@code helm} executable
     * @param istioctl the {@code istioctl} executable (only for {@link RemoteSecretMode#ISTIOCTL})
     * @param docker the {@code docker} executable (docker driver only)
     * @param searchPath a {@code PATH}-style list of directories searched for tools without an explicit path
     */
    record Parts(Optional<Path> minikube, Optional<Path> helm, Optional<Path> istioctl, Optional<Path> docker,
            Optional<String> searchPath) {
    }

    private final Parts parts;

    private ToolPaths(Parts parts) {
        this.parts = parts;
    }

    /** Every tool looked up on {@code PATH}. */
    public static ToolPaths onPath() {
        return new ToolPaths(new Parts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    /** The {@code minikube} executable; empty: looked up on the path. */
    public Optional<Path> minikube() {
        return parts.minikube();
    }

    /** The {@code helm} executable; empty: looked up on the path. */
    public Optional<Path> helm() {
        return parts.helm();
    }

    /** The {@code istioctl} executable (only for {@link RemoteSecretMode#ISTIOCTL}); empty: looked up on the path. */
    public Optional<Path> istioctl() {
        return parts.istioctl();
    }

    /** The {@code docker} executable (docker driver only); empty: looked up on the path. */
    public Optional<Path> docker() {
        return parts.docker();
    }

    /** A {@code PATH}-style list of directories searched for tools without an explicit path; empty: the process's {@code PATH}. */
    public Optional<String> searchPath() {
        return parts.searchPath();
    }

    public ToolPaths withMinikube(Path path) {
        return new ToolPaths(new Parts(Optional.of(path), helm(), istioctl(), docker(), searchPath()));
    }

    public ToolPaths withHelm(Path path) {
        return new ToolPaths(new Parts(minikube(), Optional.of(path), istioctl(), docker(), searchPath()));
    }

    public ToolPaths withIstioctl(Path path) {
        return new ToolPaths(new Parts(minikube(), helm(), Optional.of(path), docker(), searchPath()));
    }

    public ToolPaths withDocker(Path path) {
        return new ToolPaths(new Parts(minikube(), helm(), istioctl(), Optional.of(path), searchPath()));
    }

    /** Looks tools up in these directories instead of the process's {@code PATH}. */
    public ToolPaths withSearchPath(String path) {
        return new ToolPaths(new Parts(minikube(), helm(), istioctl(), docker(), Optional.of(path)));
    }

    /** The parts, for {@link Components}. */
    Parts parts() {
        return parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ToolPaths that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ToolPaths.class, parts);
    }

    /** E.g. {@code ToolPaths[minikube=Optional[/opt/minikube], helm=Optional.empty, ...]}. */
    @Override
    public String toString() {
        return Components.describe("ToolPaths", parts);
    }
}
