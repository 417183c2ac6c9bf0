package io.github.mcmesh.internal.exec;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the tools print as JSON ({@code minikube version -o json}, {@code profile list},
 * {@code docker network inspect}, {@code helm list -o json}): one mapper per JVM, built on first use,
 * so a run that parses no tool output (a warm reuse) never pays Jackson's mapper set-up for it, and
 * the callers before the first parse (the Docker engine check) do not wait for it. Fields a newer
 * tool adds are ignored.
 *
 * <pre>{@code
 * String version = ToolJson.tree("{\"minikubeVersion\":\"v1.38.1\"}").path("minikubeVersion").asString();
 * }</pre>
 */
public final class ToolJson {

    private ToolJson() {
    }

    /**
     * The JSON as a tree.
     *
     * @throws tools.jackson.core.JacksonException when it is not JSON
     */
    public static JsonNode tree(String json) {
        return Mapper.JSON.readTree(json);
    }

    /**
     * The JSON bound to {@code type}.
     *
     * @throws tools.jackson.core.JacksonException when it is not JSON or does not fit the type
     */
    public static <T> T value(String json, TypeReference<T> type) {
        return Mapper.JSON.readValue(json, type);
    }

    /**
     * Starts building the mapper on a daemon thread (about 0.2 s of Jackson's class loading in a new JVM),
     * for a caller about to run tools whose JSON it reads: the first parse then finds it built. Never fails.
     */
    public static void prepare() {
        WarmUp.start("mcmesh-prepare-json", () -> tree("{}"));
    }

    /** Built with the first parse, not with this class. */
    private static final class Mapper {
        static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }
}
