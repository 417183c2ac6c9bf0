package io.github.mcmesh.internal.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The objects of one manifest (a YAML file or classpath resource), in order, each with where it
 * came from: an unmodifiable list, so {@code Workload} and {@code Resources} hand it on as is and
 * an error found at deploy time (a kind the cluster does not serve) can still name the file and
 * the document.
 *
 * <pre>{@code
 * Manifest manifest = Manifests.parse("k8s/checkout.yaml", yaml);
 * manifest.origin(0); // "k8s/checkout.yaml, document 1 (line 1, Service checkout)"
 * }</pre>
 */
public final class Manifest extends AbstractList<HasMetadata> implements RandomAccess {

    private final List<HasMetadata> objects;
    private final List<String> origins;

    Manifest(List<HasMetadata> objects, List<String> origins) {
        this.objects = List.copyOf(objects);
        this.origins = List.copyOf(origins);
    }

    @Override
    public HasMetadata get(int index) {
        return objects.get(index);
    }

    @Override
    public int size() {
        return objects.size();
    }

    /** Where the object at {@code index} came from: source, document, its first line, kind and name. */
    public String origin(int index) {
        return origins.get(index);
    }

    /** Where {@code object} (this very instance) came from, or its kind and name when it is not one of these. */
    public static String originOf(List<? extends HasMetadata> list, HasMetadata object) {
        if (list instanceof Manifest manifest) {
            for (int i = 0; i < manifest.size(); i++) {
                if (manifest.get(i) == object) {
                    return manifest.origin(i);
                }
            }
        }
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
