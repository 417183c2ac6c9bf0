package io.github.mcmesh.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.mcmesh.spec.Version;
import java.util.List;
import java.util.Map;

/**
 * Istio's verification samples as fabric8 objects: {@code samples/helloworld/helloworld.yaml},
 * {@code samples/sleep/sleep.yaml} and {@code samples/curl/curl.yaml} of the Istio release, with
 * pinned image tags where upstream uses {@code latest}. The factories give the images of the newest
 * Istio's samples; deployed through a mesh, a sample runs the image of that mesh's Istio release
 * instead ({@link #defaultImages(Version)}).
 *
 * <pre>{@code
 * mesh.cluster("mcmesh-east").deploy(Samples.helloworld("v1"), Samples.sleep());
 * mesh.cluster("mcmesh-west").deploy(Samples.helloworld("v2"));
 * mesh.cluster("mcmesh-west").deploy(Samples.sleep().withImage("mirror.example.com/curl:8.16.0"));
 * }</pre>
 */
public final class Samples {

    /**
     * helloworld's image for a version as Istio 1.30 and later pin it: the samples moved to Istio's
     * own registry in 1.30.0 (istio/istio#59364, {@code samples/helloworld/helloworld.yaml}).
     */
    public static final String HELLOWORLD_IMAGE = "registry.istio.io/release/examples-helloworld-%s:1.0";
    /**
     * helloworld's image on Docker Hub, as Istio 1.22 to 1.29 pin it; 1.21 and older name it
     * untagged ({@code latest}), mcmesh pins {@code :1.0} there too.
     */
    public static final String DOCKER_HUB_HELLOWORLD_IMAGE = "docker.io/istio/examples-helloworld-%s:1.0";
    /** The first Istio release whose samples take helloworld from {@code registry.istio.io}. */
    public static final Version ISTIO_REGISTRY_SINCE = Version.parse("1.30.0");
    /**
     * The curl image of the sleep and curl samples, pinned as in Istio 1.29 and 1.30 (1.18 names
     * {@code curlimages/curl} untagged).
     */
    public static final String CURL_IMAGE = "docker.io/curlimages/curl:8.16.0";
    /** helloworld's Service name and port (named {@code http}). */
    public static final String HELLOWORLD = "helloworld";
    public static final int HELLOWORLD_PORT = 5000;

    private static final List<String> HELLOWORLD_VERSIONS = List.of("v1", "v2");

    /** Each sample's workload name and the image its factory method gives it (the newest Istio's). */
    public static final Map<String, String> DEFAULT_IMAGES = images(HELLOWORLD_IMAGE);

    /**
     * Each sample's workload name and the image Istio's samples of that release use:
     * helloworld from {@value #HELLOWORLD_IMAGE} from 1.30.0 on, from
     * {@value #DOCKER_HUB_HELLOWORLD_IMAGE} before; curl is the same for every release.
     *
     * <pre>{@code
     * Samples.defaultImages(Version.parse("1.18.2")).get("helloworld-v1"); // docker.io/istio/examples-helloworld-v1:1.0
     * }</pre>
     */
    public static Map<String, String> defaultImages(Version istioVersion) {
        return istioVersion.isAtLeast(ISTIO_REGISTRY_SINCE) ? DEFAULT_IMAGES : images(DOCKER_HUB_HELLOWORLD_IMAGE);
    }

    private static Map<String, String> images(String helloworldImage) {
        return Map.of(
                HELLOWORLD + "-v1", helloworldImage.formatted("v1"),
                HELLOWORLD + "-v2", helloworldImage.formatted("v2"),
                "sleep", CURL_IMAGE,
                "curl", CURL_IMAGE);
    }

    private Samples() {
    }

    /**
     * The Service {@code helloworld} and the Deployment {@code helloworld-<version>}; its
     * {@code /hello} answers {@code Hello version: <version>, instance: <pod name>}.
     *
     * @param version {@code v1} or {@code v2}, the versions Istio publishes images for
     */
    public static Workload helloworld(String version) {
        if (!HELLOWORLD_VERSIONS.contains(version)) {
            throw new IllegalArgumentException("helloworld version '" + version + "' has no published image; use one of "
                    + HELLOWORLD_VERSIONS + ", or helloworld(version, image) with an image of your own");
        }
        return helloworld(version, HELLOWORLD_IMAGE.formatted(version));
    }

    /** As {@link #helloworld(String)}, running {@code image}; the version is baked into the image. */
    public static Workload helloworld(String version, String image) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(HELLOWORLD + "-" + version)
                    .withLabels(Map.of("app", HELLOWORLD, "version", version)).endMetadata()
                .withNewSpec().withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("app", HELLOWORLD, "version", version)).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Map.of("app", HELLOWORLD, "version", version)).endMetadata()
                        .withNewSpec()
                            .addNewContainer().withName(HELLOWORLD).withImage(image).withImagePullPolicy("IfNotPresent")
                                .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"))).endResources()
                                .addNewPort().withContainerPort(HELLOWORLD_PORT).endPort()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        return new Workload(HELLOWORLD + "-" + version, List.of(helloworldServiceObject(), deployment));
    }

    /**
     * Only the Service {@code helloworld}: for a cluster that must resolve the name (no DNS
     * proxying) while the pods run elsewhere.
     */
    public static Workload helloworldService() {
        return new Workload(HELLOWORLD + "-service", List.of(helloworldServiceObject()));
    }

    /** The sleep client: ServiceAccount, Service (port 80) and Deployment {@code sleep} running curl. */
    public static Workload sleep() {
        return curlClient("sleep");
    }

    /** The curl client of newer Istio releases: as {@link #sleep()}, named {@code curl}. */
    public static Workload curl() {
        return curlClient("curl");
    }

    private static Service helloworldServiceObject() {
        return new ServiceBuilder()
                .withNewMetadata().withName(HELLOWORLD).withLabels(Map.of("app", HELLOWORLD, "service", HELLOWORLD))
                .endMetadata()
                .withNewSpec().addNewPort().withPort(HELLOWORLD_PORT).withName("http").endPort()
                    .withSelector(Map.of("app", HELLOWORLD)).endSpec()
                .build();
    }

    private static Workload curlClient(String name) {
        HasMetadata serviceAccount = new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build();
        HasMetadata service = new ServiceBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of("app", name, "service", name)).endMetadata()
                .withNewSpec().addNewPort().withPort(80).withName("http").endPort()
                    .withSelector(Map.of("app", name)).endSpec()
                .build();
        HasMetadata deployment = new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                        .withNewSpec()
                            .withTerminationGracePeriodSeconds(0L)
                            .withServiceAccountName(name)
                            .addNewContainer().withName(name).withImage(CURL_IMAGE)
                                .withCommand("/bin/sleep", "infinity").withImagePullPolicy("IfNotPresent")
                                .addNewVolumeMount().withMountPath("/etc/" + name + "/tls").withName("secret-volume")
                                .endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("secret-volume")
                                .withNewSecret().withSecretName(name + "-secret").withOptional(true).endSecret()
                            .endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        return new Workload(name, List.of(serviceAccount, service, deployment));
    }
}
