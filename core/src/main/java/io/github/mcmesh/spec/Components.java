package io.github.mcmesh.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of the composite settings, by the name validation gives them ({@code timeouts.command}
 * is {@code command} here), so the builder can tell which parts a setter changed and name only
 * those as set by it.
 */
final class Components {

    private Components() {
    }

    static Map<String, String> components(Timeouts timeouts) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (timeouts != null) {
            parts.put("clusterStart", String.valueOf(timeouts.clusterStart()));
            parts.put("istioInstall", String.valueOf(timeouts.istioInstall()));
            parts.put("meshReady", String.valueOf(timeouts.meshReady()));
            parts.put("command", String.valueOf(timeouts.command()));
            parts.put("workloadReady", String.valueOf(timeouts.workloadReady()));
            parts.put("assertion", String.valueOf(timeouts.assertion()));
        }
        return parts;
    }

    static Map<String, String> components(ToolPaths tools) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (tools != null) {
            parts.put("minikube", String.valueOf(tools.minikube()));
            parts.put("helm", String.valueOf(tools.helm()));
            parts.put("istioctl", String.valueOf(tools.istioctl()));
            parts.put("docker", String.valueOf(tools.docker()));
            parts.put("searchPath", String.valueOf(tools.searchPath()));
        }
        return parts;
    }

    static Map<String, String> components(Sources sources) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (sources != null) {
            parts.put("registryMirrors", String.valueOf(sources.registryMirrors()));
            parts.put("imageMirrorCountry", String.valueOf(sources.imageMirrorCountry()));
            parts.put("imageRepository", String.valueOf(sources.imageRepository()));
            parts.put("istioCharts", String.valueOf(sources.istioCharts()));
            parts.put("istioHub", String.valueOf(sources.istioHub()));
            parts.put("sampleImages", String.valueOf(sources.sampleImages()));
            parts.put("preloadImages", String.valueOf(sources.preloadImages()));
        }
        return parts;
    }

    static Map<String, String> components(PassThrough passThrough) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (passThrough != null) {
            parts.put("minikubeStartArgs", String.valueOf(passThrough.minikubeStartArgs()));
            parts.put("helmValues", String.valueOf(passThrough.helmValues()));
            parts.put("helmValuesFiles", String.valueOf(passThrough.helmValuesFiles()));
        }
        return parts;
    }
}
