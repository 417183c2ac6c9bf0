package io.github.mcmesh.internal.provision;

import java.util.List;

/**
 * Puts images built on this machine into a mesh's clusters ({@code Mesh.loadImages}): the
 * provider's way, or a refusal saying what to do instead.
 *
 * <pre>{@code
 * ImageLoader loader = provider.imageLoader();
 * loader.load(List.of("mcmesh-east", "mcmesh-west"), List.of("registry.local/checkout:dev"));
 * }</pre>
 */
public interface ImageLoader {

    /**
     * Makes every cluster hold the images as this machine has them.
     *
     * @throws IllegalArgumentException naming the images this machine lacks, before anything is loaded
     */
    void load(List<String> clusters, List<String> images);

    /** A loader that loads nothing and fails with {@code why}, for clusters images cannot be put into. */
    static ImageLoader refusing(String why) {
        return (clusters, images) -> {
            throw new IllegalStateException("cannot load " + images + " into " + clusters + ": " + why);
        };
    }
}
