package io.github.mcmesh.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Options passed verbatim to the tools, for what mcmesh has no setting of its own. A
 * pass-through option may not contradict one mcmesh sets itself (a second
 * {@code --kubernetes-version}, a {@code global.meshID} value): validation names both.
 * Made from {@link #none()} and its {@code with...} methods only, so an option added later breaks no caller.
 *
 * <pre>{@code
 * MeshSpec.builder().passThrough(PassThrough.none()
 *     .withMinikubeStartArgs(List.of("--disk-size=30g"))
 *     .withHelmValues(List.of("pilot.env.PILOT_ENABLE_IP_AUTOALLOCATE=true")));
 * }</pre>
 */
public final class PassThrough {

    /**
     * The options, one component each: the one list the accessors, {@link #equals}, {@link #toString}
     * and the builder's record of which setting set what read.
     *
     * @param minikubeStartArgs extra {@code minikube start} flags, each {@code --flag=value} or {@code --flag}
     * @param helmValues extra istiod values, each {@code key=value}, passed as {@code --set}
     * @param helmValuesFiles extra istiod values files, passed as {@code --values}
     */
    record Parts(List<String> minikubeStartArgs, List<String> helmValues, List<Path> helmValuesFiles) {
        Parts {
            minikubeStartArgs = List.copyOf(minikubeStartArgs);
            helmValues = List.copyOf(helmValues);
            helmValuesFiles = List.copyOf(helmValuesFiles);
        }
    }

    private final Parts parts;

    private PassThrough(Parts parts) {
        this.parts = parts;
    }

    /** No options passed through. */
    public static PassThrough none() {
        return new PassThrough(new Parts(List.of(), List.of(), List.of()));
    }

    /** Extra {@code minikube start} flags, each {@code --flag=value} or {@code --flag}. */
    public List<String> minikubeStartArgs() {
        return parts.minikubeStartArgs();
    }

    /** Extra istiod values, each {@code key=value}, passed as {@code --set}. */
    public List<String> helmValues() {
        return parts.helmValues();
    }

    /** Extra istiod values files, passed as {@code --values}. */
    public List<Path> helmValuesFiles() {
        return parts.helmValuesFiles();
    }

    public PassThrough withMinikubeStartArgs(List<String> value) {
        return new PassThrough(new Parts(value, helmValues(), helmValuesFiles()));
    }

    public PassThrough withHelmValues(List<String> value) {
        return new PassThrough(new Parts(minikubeStartArgs(), value, helmValuesFiles()));
    }

    public PassThrough withHelmValuesFiles(List<Path> value) {
        return new PassThrough(new Parts(minikubeStartArgs(), helmValues(), value));
    }

    /** The parts, for {@link Components}. */
    Parts parts() {
        return parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PassThrough that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(PassThrough.class, parts);
    }

    /** E.g. {@code PassThrough[minikubeStartArgs=[--disk-size=30g], helmValues=[], helmValuesFiles=[]]}. */
    @Override
    public String toString() {
        return Components.describe("PassThrough", parts);
    }
}
