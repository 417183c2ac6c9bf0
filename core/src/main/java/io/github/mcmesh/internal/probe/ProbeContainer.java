package io.github.mcmesh.internal.probe;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.workload.Samples;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The curl container mcmesh adds to a pod whose own container has no {@code curl} (or no
 * {@code getent}): an ephemeral container ({@code pods/ephemeralcontainers}, GA in Kubernetes
 * 1.25) running the curl image. It shares the pod's network namespace, so its calls pass the pod's
 * sidecar like the application's own. Ephemeral containers cannot be removed, so one added before
 * is reused.
 *
 * <p>It runs as UID {@value #RUN_AS_USER} and GID {@value #RUN_AS_GROUP}: Istio's iptables rules
 * return traffic of UID 1337 and of GID 1337 unredirected (tools/istio-iptables capture/run.go,
 * {@code --uid-owner}/{@code --gid-owner}, 1.18.2 and 1.30.3), so the probe must be neither, and
 * the pod's own {@code runAsUser}/{@code runAsGroup} (which could be 1337) must not leak in.
 * 100:101 is the image's own {@code curl_user:curl_group} (Alpine {@code adduser -S}/{@code addgroup -S}
 * in curl-container's create_base_image.sh), set numerically because the image names its user
 * by name only, which {@code runAsNonRoot} cannot verify.
 *
 * <pre>{@code
 * SourcePod frontend = SourcePod.find(mesh.cluster("mcmesh-east"), "frontend");
 * SourcePod probe = ProbeContainer.attach(frontend, Samples.CURL_IMAGE, Duration.ofMinutes(2));
 * probe.container();   // mcmesh-probe
 * }</pre>
 */
public final class ProbeContainer {

    /** The ephemeral container's name. */
    public static final String NAME = "mcmesh-probe";
    /** Not Envoy's 1337: the image's curl_user. */
    public static final long RUN_AS_USER = 100;
    /** Not Envoy's 1337: the image's curl_group. */
    public static final long RUN_AS_GROUP = 101;
    /** The first Kubernetes minor with ephemeral containers on by default (GA). */
    static final int FIRST_MINOR = 25;
    private static final Set<String> FAILED_PULLS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError");
    private static final Duration POLL = Duration.ofMillis(500);

    private ProbeContainer() {
    }

    /**
     * Whether an exec failed because the command's binary is not in the container: exit 126
     * (the runtime's "executable file not found in $PATH", as cri-dockerd reports it) or 127 (a
     * shell's), or an exec the API server refused for that reason ({@link Fabric8PodExec} gives -1).
     */
    public static boolean lacksBinary(int exitCode, String error) {
        return exitCode == 126 || exitCode == 127
                || exitCode == -1 && error != null && error.contains("executable file not found");
    }

    /** The curl image of the spec's samples: its {@code curl} (else {@code sleep}) replacement, else {@code Samples.CURL_IMAGE}. */
    public static String image(MeshSpec spec) {
        Map<String, String> images = spec.sources().sampleImages();
        return images.getOrDefault("curl", images.getOrDefault("sleep", Samples.CURL_IMAGE));
    }

    /** The container a probe runs in, with {@code image}, as added to a pod. */
    static EphemeralContainer container(String image) {
        return new EphemeralContainerBuilder().withName(NAME).withImage(image)
                .withCommand("/bin/sleep", "infinity")
                .withNewSecurityContext().withRunAsUser(RUN_AS_USER).withRunAsGroup(RUN_AS_GROUP).withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .build();
    }

    /**
     * The probe container of {@code pod}: adds it unless the pod has it already, then waits until
     * it runs.
     *
     * @throws IllegalStateException when the cluster's Kubernetes is older than 1.25, the image
     *         cannot be pulled or started, or it does not run within {@code wait}; each names the pod
     */
    public static SourcePod attach(SourcePod pod, String image, Duration wait) {
        Objects.requireNonNull(image, "image");
        PodResource resource = pod.client().pods().inNamespace(pod.namespace()).withName(pod.name());
        Pod current = resource.get();
        if (current == null) {
            throw new IllegalStateException("Pod " + pod.name() + " is gone from cluster " + pod.cluster() + ", namespace "
                    + pod.namespace());
        }
        boolean present = current.getSpec().getEphemeralContainers() != null
                && current.getSpec().getEphemeralContainers().stream().anyMatch(c -> NAME.equals(c.getName()));
        if (!present) {
            requireEphemeralContainers(pod);
            // no resourceVersion in the patch: the pod's status changes all the time, and an
            // optimistic lock would make a real API server answer 409 Conflict
            resource.ephemeralContainers().edit(p -> new PodBuilder(p)
                    .editMetadata().withResourceVersion(null).endMetadata()
                    .editSpec().addToEphemeralContainers(container(image)).endSpec()
                    .build());
        }
        awaitRunning(resource, pod, wait);
        return new SourcePod(pod.cluster(), pod.client(), pod.namespace(), pod.name(), NAME);
    }

    private static void requireEphemeralContainers(SourcePod pod) {
        VersionInfo version = pod.client().getKubernetesVersion();
        // a managed cluster may say e.g. minor "28+"
        int major = Integer.parseInt(version.getMajor().replaceAll("\\D.*$", ""));
        int minor = Integer.parseInt(version.getMinor().replaceAll("\\D.*$", ""));
        if (major < 1 || major == 1 && minor < FIRST_MINOR) {
            throw new IllegalStateException("Pod " + pod + " has no curl, and cluster " + pod.cluster() + " runs Kubernetes "
                    + version.getMajor() + "." + version.getMinor() + ", which has no ephemeral containers by default"
                    + " (GA in 1.25) to add one with curl; probe from a pod that has curl (e.g. deploy Samples.sleep()"
                    + " and use from(\"" + pod.cluster() + "\", \"sleep\")), or use Kubernetes 1.25 or newer");
        }
    }

    private static void awaitRunning(PodResource resource, SourcePod pod, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Optional<ContainerStatus> status = Optional.empty();
        while (true) {
            Pod current = resource.get();
            List<ContainerStatus> statuses = current == null || current.getStatus() == null ? List.of()
                    : Objects.requireNonNullElse(current.getStatus().getEphemeralContainerStatuses(), List.of());
            status = statuses.stream().filter(s -> NAME.equals(s.getName())).findFirst();
            if (status.map(s -> s.getState() != null && s.getState().getRunning() != null).orElse(false)) {
                return;
            }
            Optional<ContainerStateWaiting> waiting = status.map(ContainerStatus::getState)
                    .map(state -> state.getWaiting()).filter(w -> FAILED_PULLS.contains(w.getReason()));
            if (waiting.isPresent()) {
                throw new IllegalStateException("The probe container " + NAME + " added to pod " + pod.name() + " in cluster "
                        + pod.cluster() + " does not start: " + waiting.get().getReason() + ": " + waiting.get().getMessage()
                        + "; the cluster must be able to pull the curl image (see Sources.sampleImages \"curl\")");
            }
            if (status.map(s -> s.getState() != null && s.getState().getTerminated() != null).orElse(false)) {
                throw new IllegalStateException("The probe container " + NAME + " in pod " + pod.name() + " in cluster "
                        + pod.cluster() + " has terminated (" + status.get().getState().getTerminated().getReason()
                        + "), and ephemeral containers cannot be restarted; restart the pod");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("The probe container " + NAME + " added to pod " + pod.name() + " in cluster "
                        + pod.cluster() + " is not running after " + wait + " (status: "
                        + status.map(s -> String.valueOf(s.getState())).orElse("none reported") + ")");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the probe container in " + pod, e);
            }
        }
    }
}
