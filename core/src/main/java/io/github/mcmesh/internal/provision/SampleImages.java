package io.github.mcmesh.internal.provision;

import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.workload.Samples;
import io.github.mcmesh.workload.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images mcmesh's samples run in a mesh: the images Istio's samples of the mesh's Istio
 * release use ({@link Samples#defaultImages}), with the spec's {@code sources.sampleImages}
 * ({@value MeshProperties#SAMPLE_IMAGES}) in their place. A sample is recognised by its workload
 * name and the image its factory gave it ({@link Samples#DEFAULT_IMAGES}), so an image set with
 * {@link Workload#withImage(String)} stays.
 *
 * <pre>{@code
 * SampleImages images = new SampleImages(spec);
 * Workload sleep = images.apply(Samples.sleep());   // runs the mirror's curl when one is set
 * Workload hello = images.apply(Samples.helloworld("v1")); // docker.io's image on Istio 1.29 and older
 * images.distinct();                                // what preloading loads into every cluster
 * }</pre>
 */
public final class SampleImages {

    private final Map<String, String> bySample = new LinkedHashMap<>();

    public SampleImages(MeshSpec spec) {
        Map<String, String> upstream = Samples.defaultImages(spec.istioVersion());
        for (String sample : Sources.SAMPLE_NAMES) {
            bySample.put(sample, spec.sources().sampleImages().getOrDefault(sample, upstream.get(sample)));
        }
    }

    /** The workload with its sample image replaced, when it is one of the samples running its default image. */
    public Workload apply(Workload workload) {
        String image = bySample.get(workload.name());
        String defaultImage = Samples.DEFAULT_IMAGES.get(workload.name());
        if (image == null || image.equals(defaultImage) || workload.images().isEmpty()
                || !workload.images().stream().allMatch(defaultImage::equals)) {
            return workload;
        }
        return workload.withImage(image);
    }

    /** Every sample's image, each once, in the order of {@link Sources#SAMPLE_NAMES}. */
    public List<String> distinct() {
        return bySample.values().stream().distinct().toList();
    }

    /** The samples running {@code image}, e.g. {@code [sleep, curl]}. */
    public List<String> samplesRunning(String image) {
        return bySample.entrySet().stream().filter(e -> e.getValue().equals(image)).map(Map.Entry::getKey).toList();
    }
}
