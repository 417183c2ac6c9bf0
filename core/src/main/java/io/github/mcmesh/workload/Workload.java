package io.github.mcmesh.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Something to deploy into a cluster: a named set of Kubernetes objects (typically a Service,
 * a ServiceAccount and a Deployment), deployed together and waited for together.
 *
 * <pre>{@code
 * Workload hello = Samples.helloworld("v1");
 * mesh.cluster("mcmesh-east").deploy(hello);
 * }</pre>
 *
 * @param name the workload's name, e.g. {@code helloworld-v1}
 * @param resources the objects, namespace left unset
 */
public record Workload(String name, List<HasMetadata> resources) {
    public Workload {
        resources = List.copyOf(resources);
    }
}
