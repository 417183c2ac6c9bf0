package io.github.mcmesh.provision.istio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values passed to a chart on the command line, in order: {@code --set key=value} (Helm infers
 * the type) or {@code --set-string key=value} (always a string, as {@code proxyMetadata}'s
 * {@code map<string,string>} needs).
 *
 * <pre>{@code
 * HelmValues values = HelmValues.empty().set("global.meshID", "mesh1")
 *     .setString("meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE", "true");
 * values.arguments(); // [--set, global.meshID=mesh1, --set-string, meshConfig....=true]
 * }</pre>
 */
public final class HelmValues {

    private record Entry(String key, String value, boolean forceString) {
    }

    private final List<Entry> entries;

    private HelmValues(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static HelmValues empty() {
        return new HelmValues(List.of());
    }

    public HelmValues set(String key, String value) {
        return with(new Entry(key, value, false));
    }

    public HelmValues setString(String key, String value) {
        return with(new Entry(key, value, true));
    }

    private HelmValues with(Entry entry) {
        List<Entry> more = new ArrayList<>(entries);
        more.add(entry);
        return new HelmValues(more);
    }

    /**
     * The command-line arguments. Values are escaped for Helm's {@code strvals} parser, where
     * {@code ,} separates pairs and {@code \} escapes the next character.
     */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        for (Entry entry : entries) {
            arguments.add(entry.forceString() ? "--set-string" : "--set");
            arguments.add(entry.key() + "=" + entry.value().replace("\\", "\\\\").replace(",", "\\,"));
        }
        return arguments;
    }

    /** The values as nested maps, the shape {@code helm get values -o json} prints them in. */
    public Map<String, Object> asTree() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Entry entry : entries) {
            String[] path = entry.key().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < path.length - 1; i++) {
                node = child(node, path[i]);
            }
            node.put(path[path.length - 1], entry.value());
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String key) {
        return (Map<String, Object>) node.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    /**
     * Whether the values a release holds ({@code helm get values -o json}) are exactly these. A
     * {@code --set} value is compared as text (Helm turns {@code a=1} into a number); a
     * {@code --set-string} value must have stayed a string.
     */
    public boolean matches(Object installed) {
        Map<String, Object> leaves = new LinkedHashMap<>();
        flatten("", installed, leaves);
        if (leaves.size() != entries.size()) {
            return false;
        }
        return entries.stream().allMatch(entry -> {
            Object actual = leaves.get(entry.key());
            return entry.forceString() ? entry.value().equals(actual)
                    : actual != null && entry.value().equals(String.valueOf(actual));
        });
    }

    private static void flatten(String prefix, Object node, Map<String, Object> leaves) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, value, leaves));
        } else if (node != null) {
            leaves.put(prefix, node);
        }
    }

    @Override
    public String toString() {
        return String.join(" ", arguments());
    }
}
