package io.github.mcmesh.spec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the external tools are. An empty path means "look it up on {@code PATH}" ({@link #searchPath()},
 * or the process's own {@code PATH} when that is empty too). Not part of a mesh's fingerprint.
 *
 * <pre>{@code
 * ToolPaths.onPath().withMinikube(Path.of("/opt/minikube/bin/minikube"));
 * }</pre>
 *
 * @param minikube the {@code minikube} executable
 * @param helm the {@code helm} executable
 * @param istioctl the {@code istioctl} executable (only for {@link RemoteSecretMode#ISTIOCTL})
 * @param docker the {@code docker} executable (docker driver only)
 * @param searchPath a {@code PATH}-style list of directories searched for tools without an explicit path
 */
public record ToolPaths(Optional<Path> minikube, Optional<Path> helm, Optional<Path> istioctl, Optional<Path> docker,
        Optional<String> searchPath) {

    public static ToolPaths onPath() {
        return new ToolPaths(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ToolPaths withMinikube(Path path) {
        return new ToolPaths(Optional.of(path), helm, istioctl, docker, searchPath);
    }

    public ToolPaths withHelm(Path path) {
        return new ToolPaths(minikube, Optional.of(path), istioctl, docker, searchPath);
    }

    public ToolPaths withIstioctl(Path path) {
        return new ToolPaths(minikube, helm, Optional.of(path), docker, searchPath);
    }

    public ToolPaths withDocker(Path path) {
        return new ToolPaths(minikube, helm, istioctl, Optional.of(path), searchPath);
    }

    /** Looks tools up in these directories instead of the process's {@code PATH}. */
    public ToolPaths withSearchPath(String path) {
        return new ToolPaths(minikube, helm, istioctl, docker, Optional.of(path));
    }
}
