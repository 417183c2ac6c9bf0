package io.github.mcmesh.internal.provision;

import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.CommandFailedException;
import io.github.mcmesh.spec.MeshProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads images from this machine's docker daemon into minikube nodes, all clusters at once. Three
 * facts of minikube v1.37.0-v1.38.1 shape it: {@code image load} exits 0 when the image exists
 * nowhere (it only warns), a failed load first removes the node's copy
 * (machine/cache_images.go {@code transferAndLoadImage}), and a rebuilt image keeps its tag. So
 * the daemon is asked first ({@code docker image inspect}), for every image, before any load; a
 * node is skipped only when it holds the same image <em>id</em> ({@code image ls --format json});
 * and after a load the node's ids are read again, since minikube keeps the old image without an
 * error when a running container uses it (kubernetes/minikube#23023). For a preload of images
 * from a registry ({@code mcmesh.preload.istio.images}) it also pulls what the daemon lacks, once
 * for all clusters ({@link #pullMissing}), and loads one cluster at a time ({@link #loadInto(String, List, String)}).
 *
 * <pre>{@code
 * new MinikubeImages(minikube, docker).load(List.of("mcmesh-east", "mcmesh-west"), List.of("registry.local/checkout:dev"));
 * }</pre>
 */
final class MinikubeImages implements ImageLoader {

    private static final Logger LOG = LoggerFactory.getLogger(MinikubeImages.class);
    private static final String DIGEST_PREFIX = "sha256:";

    private final Minikube minikube;
    private final Docker docker;

    MinikubeImages(Minikube minikube, Docker docker) {
        this.minikube = minikube;
        this.docker = docker;
    }

    @Override
    public void load(List<String> clusters, List<String> images) {
        Map<String, String> hostIds = hostIds(images, missing -> new IllegalArgumentException("Mesh.loadImages: this machine's"
                + " docker daemon has no image " + String.join(", ", missing) + " ('docker image inspect' found none), so"
                + " nothing was loaded; build it (docker build -t " + missing.get(0) + " .) or pull it first, and pass the"
                + " name 'docker images' shows"));
        // every cluster at once; the first failure in the clusters' order is thrown, the others suppressed in it
        PerCluster.forEach("image-load", clusters, cluster -> {
            try {
                loadInto(cluster, hostIds);
            } catch (RuntimeException e) {
                throw new ProvisioningException(Optional.of(cluster), "load images " + images, e.getMessage(), e);
            }
        });
    }

    /**
     * Pulls each image this machine's docker daemon lacks ({@code docker image inspect} finds none)
     * into it with {@code docker pull}, one after the other; an image it has is not pulled again.
     *
     * @param setting the setting that asked for the images, named in a failure as the one to turn off
     * @throws IllegalStateException when a pull fails (offline, no such tag), with the command's failure
     */
    void pullMissing(List<String> images, Duration pullTimeout, String setting) {
        List<String> missing = missingOnHost(images);
        LOG.info("pulling images {} into this machine's docker daemon; it has {}", missing,
                images.stream().filter(image -> !missing.contains(image)).toList());
        for (String image : missing) {
            try {
                docker.pull(image, pullTimeout);
            } catch (CommandFailedException e) {
                throw new IllegalStateException("cannot pull " + image + " into this machine's docker daemon for " + setting
                        + ": make its registry reachable (or set " + MeshProperties.ISTIO_HUB + " to a mirror that has it),"
                        + " or set " + setting + "=false to let each cluster pull its own images.\n" + e.getMessage(), e);
            }
        }
    }

    /** The images this machine's docker daemon lacks. */
    List<String> missingOnHost(List<String> images) {
        return images.stream().filter(image -> docker.imageId(image).isEmpty()).toList();
    }

    /**
     * Makes one cluster's node hold the images as this machine's daemon has them: loads those it
     * lacks or holds under another id, skips the rest.
     *
     * @param setting the setting that asked for the images, named when the daemon lacks one
     */
    void loadInto(String cluster, List<String> images, String setting) {
        loadInto(cluster, hostIds(images, missing -> new IllegalStateException("this machine's docker daemon has no image "
                + String.join(", ", missing) + " ('docker image inspect' found none) to load for " + setting
                + " into cluster " + cluster + "; was it removed since it was pulled?")));
    }

    /** Each image's id in this machine's daemon; fails with {@code whenMissing} of every image it lacks. */
    private Map<String, String> hostIds(List<String> images, Function<List<String>, RuntimeException> whenMissing) {
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            docker.imageId(image).ifPresentOrElse(id -> ids.put(image, hex(id)), () -> missing.add(image));
        }
        if (!missing.isEmpty()) {
            throw whenMissing.apply(missing);
        }
        return ids;
    }

    private void loadInto(String cluster, Map<String, String> hostIds) {
        long start = System.nanoTime();
        Map<String, String> before = minikube.imageIds(cluster);
        List<String> stale = stale(before, hostIds);
        List<String> skipped = hostIds.keySet().stream().filter(image -> !stale.contains(image)).toList();
        if (!stale.isEmpty()) {
            LOG.info("[{}] loading images {} from this machine's docker daemon", cluster, stale);
            minikube.loadImagesFromDaemon(cluster, stale);
            Map<String, String> after = minikube.imageIds(cluster);
            // unchanged or absent means minikube loaded nothing; another id than this machine's is accepted, since a
            // daemon on the containerd image store reports the index digest where the node's docker reports the config's
            List<String> notLoaded = stale.stream().filter(image -> {
                String now = after.get(Minikube.listedName(image));
                return now == null || !now.equals(hostIds.get(image)) && now.equals(before.get(Minikube.listedName(image)));
            }).toList();
            if (!notLoaded.isEmpty()) {
                throw new IllegalStateException("after 'minikube image load' the node still has " + notLoaded.stream()
                        .map(image -> image + " " + Optional.ofNullable(after.get(Minikube.listedName(image)))
                                .map(id -> "with its old id " + id).orElse("nowhere")).toList()
                        + ", not this machine's build: minikube keeps the node's image, without an error, when a running"
                        + " container uses it (kubernetes/minikube#23023); delete the pods using it, or build the new"
                        + " image under a new tag");
            }
        }
        LOG.info("[{}] images in {} ms: loaded {}, skipped {} (the node has the same image id)", cluster,
                Duration.ofNanos(System.nanoTime() - start).toMillis(), stale, skipped);
    }

    /** The images whose id in the node differs from this machine's, or that the node lacks. */
    private static List<String> stale(Map<String, String> nodeIds, Map<String, String> hostIds) {
        return hostIds.entrySet().stream()
                .filter(image -> !image.getValue().equals(nodeIds.get(Minikube.listedName(image.getKey()))))
                .map(Map.Entry::getKey).toList();
    }

    private static String hex(String id) {
        return id.startsWith(DIGEST_PREFIX) ? id.substring(DIGEST_PREFIX.length()) : id;
    }
}
