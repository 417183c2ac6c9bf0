package io.github.mcmesh.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.github.mcmesh.internal.workload.Manifest;
import io.github.mcmesh.internal.workload.Manifests;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Something to deploy into a cluster: a named set of Kubernetes objects (typically a Service,
 * a ServiceAccount and a Deployment), deployed together and waited for together.
 *
 * <pre>{@code
 * Workload hello = Samples.helloworld("v1").withImage("registry.example.com/helloworld-v1:1.0");
 * mesh.cluster("mcmesh-east").deploy(hello);
 * mesh.cluster("mcmesh-west").deploy(hello.serviceOnly());
 * }</pre>
 *
 * Or the team's own manifests, every document of a YAML file or classpath resource:
 *
 * <pre>{@code
 * Workload checkout = Workload.fromYaml(Path.of("k8s/checkout.yaml"));   // name "checkout"
 * mesh.cluster("mcmesh-east").deploy(checkout, Workload.fromClasspath("k8s/frontend.yaml"));
 * }</pre>
 *
 * @param name the workload's name, e.g. {@code helloworld-v1}
 * @param resources the objects, namespace left unset
 */
public record Workload(String name, List<HasMetadata> resources) {

    /** Istio's per-pod proxy configuration annotation. */
    public static final String PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";
    // Capture off is enough in every release: a proxy uses auto-allocated addresses only with DNS
    // capture (Istio 1.18.2 and 1.30.3 pilot/pkg/model/service.go), and naming
    // ISTIO_META_DNS_AUTO_ALLOCATE at all is deprecated from 1.25 on.
    private static final String DNS_PROXYING_OFF = """
            proxyMetadata:
              ISTIO_META_DNS_CAPTURE: "false"
            """;

    public Workload {
        Objects.requireNonNull(name, "name");
        // a manifest is unmodifiable already and knows each object's file and document, for errors at deploy time
        resources = resources instanceof Manifest manifest ? manifest : List.copyOf(resources);
    }

    /**
     * Every object of a multi-document YAML file, named after the file ({@code k8s/checkout.yaml}
     * gives {@code checkout}). Any kind fabric8 has a model for, and Istio resources
     * ({@code *.istio.io}) as generic resources; {@link io.github.mcmesh.ClusterHandle#deploy deploy}
     * waits for its Deployments and StatefulSets.
     *
     * @throws IllegalArgumentException for bad YAML, a document that is not a Kubernetes object, an
     *         unknown kind or a missing file, naming the file and the document (index, first line,
     *         kind and name when known)
     */
    public static Workload fromYaml(Path file) {
        return new Workload(baseName(String.valueOf(file.getFileName())), Manifests.read(file));
    }

    /**
     * Like {@link #fromYaml(Path)}, from a classpath resource such as {@code k8s/checkout.yaml}
     * (under {@code src/test/resources}), looked up with the thread's context class loader.
     */
    public static Workload fromClasspath(String resource) {
        return new Workload(baseName(resource.substring(resource.lastIndexOf('/') + 1)), Resources.fromClasspath(resource));
    }

    private static String baseName(String fileName) {
        return fileName.replaceFirst("\\.(yaml|yml|json)$", "");
    }

    /** The StatefulSets among {@link #resources()}; the deployer waits for these too. */
    public List<StatefulSet> statefulSets() {
        return resources.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).toList();
    }

    /** The Deployments among {@link #resources()}; the deployer waits for these. */
    public List<Deployment> deployments() {
        return resources.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
    }

    /** The images of every container of every Deployment and StatefulSet, in order. */
    public List<String> images() {
        return resources.stream().flatMap(resource -> podTemplate(resource).stream())
                .flatMap(template -> template.getSpec().getContainers().stream())
                .map(container -> container.getImage())
                .toList();
    }

    /**
     * The same workload with every container of its Deployments and StatefulSets running
     * {@code image} instead, e.g. a mirror for clusters without access to Docker Hub.
     */
    public Workload withImage(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("Workload '" + name + "': image must not be blank; pass a reference such as "
                    + "'docker.io/curlimages/curl:8.16.0'");
        }
        return withPodTemplates(template -> template.getSpec().getContainers().forEach(container -> container.setImage(image)));
    }

    /**
     * The same workload with Istio's DNS proxying turned off for the pods of its Deployments and
     * StatefulSets, whatever the mesh-wide setting: the per-pod {@code proxy.istio.io/config}
     * annotation sets {@code ISTIO_META_DNS_CAPTURE} to {@code "false"}.
     * Shows the write-up's DNS problem without a second mesh.
     */
    public Workload withoutDnsProxying() {
        return withPodTemplates(template -> {
            if (template.getMetadata() == null) {
                template.setMetadata(new ObjectMeta());
            }
            if (template.getMetadata().getAnnotations() == null) {
                template.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            template.getMetadata().getAnnotations().put(PROXY_CONFIG_ANNOTATION, DNS_PROXYING_OFF);
        });
    }

    /** A copy of this workload whose Deployments and StatefulSets are copies with {@code change} applied to their pod template. */
    private Workload withPodTemplates(Consumer<PodTemplateSpec> change) {
        return new Workload(name, resources.stream().map(resource -> {
            HasMetadata copy = resource instanceof Deployment deployment ? new DeploymentBuilder(deployment).build()
                    : resource instanceof StatefulSet statefulSet ? new StatefulSetBuilder(statefulSet).build() : resource;
            podTemplate(copy).ifPresent(change);
            return copy;
        }).toList());
    }

    /** The pod template of a Deployment or a StatefulSet; empty for other kinds. */
    private static Optional<PodTemplateSpec> podTemplate(HasMetadata resource) {
        return resource instanceof Deployment deployment ? Optional.ofNullable(deployment.getSpec()).map(DeploymentSpec::getTemplate)
                : resource instanceof StatefulSet statefulSet ? Optional.ofNullable(statefulSet.getSpec()).map(StatefulSetSpec::getTemplate)
                : Optional.empty();
    }

    /**
     * Only the Services of this workload, named {@code <name>-service}: a cluster that must know
     * the Service (so its DNS answers) without running its pods.
     */
    public Workload serviceOnly() {
        List<HasMetadata> services = resources.stream().filter(Service.class::isInstance).toList();
        if (services.isEmpty()) {
            throw new IllegalStateException("Workload '" + name + "' has no Service to deploy on its own");
        }
        return new Workload(name + "-service", services);
    }
}
