package io.github.mcmesh.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Options passed verbatim to the tools, for what mcmesh has no setting of its own. A
 * pass-through option may not contradict one mcmesh sets itself (a second
 * {@code --kubernetes-version}, a {@code global.meshID} value): validation names both.
 *
 * <pre>{@code
 * MeshSpec.builder().passThrough(PassThrough.none()
 *     .withMinikubeStartArgs(List.of("--disk-size=30g"))
 *     .withHelmValues(List.of("pilot.env.PILOT_ENABLE_IP_AUTOALLOCATE=true")));
 * }</pre>
 *
 * @param minikubeStartArgs extra {@code minikube start} flags, each {@code --flag=value} or {@code --flag}
 * @param helmValues extra istiod values, each {@code key=value}, passed as {@code --set}
 * @param helmValuesFiles extra istiod values files, passed as {@code --values}
 */
public record PassThrough(List<String> minikubeStartArgs, List<String> helmValues, List<Path> helmValuesFiles) {

    public PassThrough {
        minikubeStartArgs = List.copyOf(minikubeStartArgs);
        helmValues = List.copyOf(helmValues);
        helmValuesFiles = List.copyOf(helmValuesFiles);
    }

    public static PassThrough none() {
        return new PassThrough(List.of(), List.of(), List.of());
    }

    public PassThrough withMinikubeStartArgs(List<String> value) {
        return new PassThrough(value, helmValues, helmValuesFiles);
    }

    public PassThrough withHelmValues(List<String> value) {
        return new PassThrough(minikubeStartArgs, value, helmValuesFiles);
    }

    public PassThrough withHelmValuesFiles(List<Path> value) {
        return new PassThrough(minikubeStartArgs, helmValues, value);
    }
}
