package io.github.mcmesh.internal.exec;

import io.github.mcmesh.spec.Version;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

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

    private final CommandRunner runner;
    private final Map<Tool, Version> cache = new EnumMap<>(Tool.class);
    /** Probes {@link #prefetch} started; a failed one is run again when asked, so its failure reads as before. */
    private final Map<Tool, CompletableFuture<Version>> prefetched = new EnumMap<>(Tool.class);

    public ToolVersions(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * Starts every tool's probe at once, each on its own daemon thread, so that the first call
     * asking for a version finds it read (or waits for the read already under way) instead of
     * running it then. A tool that is missing or fails is asked again when its version is wanted.
     */
    public void prefetch(Collection<Tool> tools) {
        for (Tool tool : tools) {
            Command command = probe(tool);
            synchronized (this) {
                if (command == null || cache.containsKey(tool) || prefetched.containsKey(tool)) {
                    continue;
                }
                CompletableFuture<Version> future = new CompletableFuture<>();
                prefetched.put(tool, future);
                Thread thread = new Thread(() -> {
                    try {
                        future.complete(parse(command, runner.run(command.withTimeout(VERSION_TIMEOUT)).stdout()));
                    } catch (RuntimeException e) {
                        future.completeExceptionally(e);
                    }
                }, "mcmesh-version-" + tool.executableName());
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** The command reading a tool's version, or null for a tool without one (docker's engine is checked apart). */
    private static Command probe(Tool tool) {
        return switch (tool) {
            case MINIKUBE -> Command.of(Tool.MINIKUBE, "version", "-o", "json");
            case HELM -> Command.of(Tool.HELM, "version", "--short");
            case ISTIOCTL -> Command.of(Tool.ISTIOCTL, "version", "--remote=false", "-o", "json");
            default -> null;
        };
    }

    /** The minikube version, from {@code minikube version -o json}: {@code {"commit":"…","minikubeVersion":"v1.38.1"}}. */
    public Version minikube() {
        return read(Tool.MINIKUBE);
    }

    /** The Helm version, from {@code helm version --short}: {@code v3.17.0+g301108e}. */
    public Version helm() {
        return read(Tool.HELM);
    }

    /** The istioctl client version, from {@code istioctl version --remote=false -o json}: {@code {"clientVersion":{"version":"1.30.3",…}}}. */
    public Version istioctl() {
        return read(Tool.ISTIOCTL);
    }

    private Version read(Tool tool) {
        CompletableFuture<Version> started;
        synchronized (this) {
            Version cached = cache.get(tool);
            if (cached != null) {
                return cached;
            }
            started = prefetched.remove(tool);
        }
        if (started != null) {
            try {
                return remember(tool, started.join());
            } catch (CompletionException e) {
                // asked again below, so the failure surfaces from this call as it always did
            }
        }
        return readNow(tool);
    }

    private synchronized Version readNow(Tool tool) {
        Version cached = cache.get(tool);
        if (cached != null) {
            return cached;
        }
        Command command = probe(tool);
        return remember(tool, parse(command, runner.run(command.withTimeout(VERSION_TIMEOUT)).stdout()));
    }

    private synchronized Version remember(Tool tool, Version version) {
        cache.put(tool, version);
        return version;
    }

    private static Version parse(Command command, String output) {
        Function<String, Version> parser = switch (command.tool()) {
            case MINIKUBE -> ToolVersions::parseMinikube;
            case HELM -> ToolVersions::parseHelm;
            default -> ToolVersions::parseIstioctl;
        };
        try {
            return parser.apply(output);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(String.format("Cannot read the version of %s: %s%n"
                    + "  command: %s%n  output: %s", command.tool().executableName(), e.getMessage(),
                    command.commandLine(), output.strip()), e);
        }
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
            return ToolJson.tree(output.substring(start));
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
