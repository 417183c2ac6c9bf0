package io.github.mcmesh.internal.exec;

import io.github.mcmesh.spec.Version;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versions of the installed tools, each read once and then cached:
 * {@code minikube version -o json}, {@code helm version --short} (Helm 3 and 4 print
 * {@code v3.17.0+g301108e}; the build metadata after {@code +} is dropped) and
 * {@code istioctl version --remote=false -o json} (the client version only, no cluster call).
 *
 * <pre>{@code
 * ToolVersions versions = new ToolVersions(runner);
 * if (versions.helm().major() >= 4) { ... } // --wait takes a strategy in Helm 4
 * }</pre>
 */
public final class ToolVersions {

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = new JsonMapper();

    private final CommandRunner runner;
    private final Map<Tool, Version> cache = new EnumMap<>(Tool.class);

    public ToolVersions(CommandRunner runner) {
        this.runner = runner;
    }

    /** The minikube version, from {@code minikube version -o json}: {@code {"commit":"…","minikubeVersion":"v1.38.1"}}. */
    public Version minikube() {
        return read(Command.of(Tool.MINIKUBE, "version", "-o", "json"), ToolVersions::parseMinikube);
    }

    /** The Helm version, from {@code helm version --short}: {@code v3.17.0+g301108e}. */
    public Version helm() {
        return read(Command.of(Tool.HELM, "version", "--short"), ToolVersions::parseHelm);
    }

    /** The istioctl client version, from {@code istioctl version --remote=false -o json}: {@code {"clientVersion":{"version":"1.30.3",…}}}. */
    public Version istioctl() {
        return read(Command.of(Tool.ISTIOCTL, "version", "--remote=false", "-o", "json"), ToolVersions::parseIstioctl);
    }

    private synchronized Version read(Command command, Function<String, Version> parser) {
        Version cached = cache.get(command.tool());
        if (cached != null) {
            return cached;
        }
        String output = runner.run(command.withTimeout(VERSION_TIMEOUT)).stdout();
        Version version;
        try {
            version = parser.apply(output);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(String.format("Cannot read the version of %s: %s%n"
                    + "  command: %s%n  output: %s", command.tool().executableName(), e.getMessage(),
                    command.commandLine(), output.strip()), e);
        }
        cache.put(command.tool(), version);
        return version;
    }

    static Version parseMinikube(String output) {
        return Version.parse(textAt(json(output), "minikubeVersion"));
    }

    static Version parseHelm(String output) {
        String version = output.strip();
        int buildMetadata = version.indexOf('+');
        return Version.parse(buildMetadata < 0 ? version : version.substring(0, buildMetadata));
    }

    static Version parseIstioctl(String output) {
        return Version.parse(textAt(json(output).path("clientVersion"), "version"));
    }

    /** The JSON object in the output, skipping any warning lines a tool printed before it. */
    private static JsonNode json(String output) {
        int start = output.indexOf('{');
        if (start < 0) {
            throw new IllegalArgumentException("no JSON object in the output");
        }
        try {
            return JSON.readTree(output.substring(start));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the output is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    private static String textAt(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isString()) {
            throw new IllegalArgumentException("no text field \"" + field + "\" in the JSON");
        }
        return value.stringValue();
    }
}
