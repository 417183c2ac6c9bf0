package io.github.mcmesh.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.mcmesh.internal.workload.Manifests;
import java.nio.file.Path;
import java.util.List;

/**
 * Kubernetes objects from YAML, to apply rather than to deploy and wait for: Istio configuration
 * (DestinationRule, VirtualService, ...) and anything else fabric8 has a model for. Each file may
 * hold several documents; every error names the file and the document, and is raised here, before
 * anything is applied.
 *
 * <pre>{@code
 * mesh.applyEverywhere(Resources.fromYaml(Path.of("k8s/checkout-failover-dr.yaml")));
 * east.apply(Resources.fromClasspath("k8s/checkout-config.yaml"));
 * }</pre>
 */
public final class Resources {

    private Resources() {
    }

    /**
     * Every object of a multi-document YAML file (UTF-8), in order, unmodifiable.
     *
     * @throws IllegalArgumentException for bad YAML, a document that is not a Kubernetes object, a
     *         kind that is neither one fabric8 has a model for nor an Istio resource, or a missing
     *         file, naming the file and the document (index, first line, kind and name when known)
     */
    public static List<HasMetadata> fromYaml(Path file) {
        return Manifests.read(file);
    }

    /**
     * Like {@link #fromYaml(Path)}, from a classpath resource such as {@code k8s/checkout-dr.yaml},
     * looked up with the thread's context class loader.
     */
    public static List<HasMetadata> fromClasspath(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return Manifests.readResource(resource, loader == null ? Resources.class.getClassLoader() : loader);
    }
}
