package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values passed to a chart on the command line, in order: {@code --set key=value} (Helm infers
 * the type), {@code --set-string key=value} (always a string, as {@code proxyMetadata}'s
 * {@code map<string,string>} needs), {@code --set-json key=<json>} (a list such as
 * {@code service.externalIPs}, which {@link #matches(Object)} compares as the JSON value it is), a
 * user's {@code --set} text as written, then values files ({@code --values <file>}, helm's
 * {@code -f, --values}).
 *
 * <pre>{@code
 * HelmValues values = HelmValues.empty().set("global.meshID", "mesh1")
 *     .setString("meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE", "true")
 *     .setAsWritten("pilot.traceSampling=1.0").valuesFile(Path.of("istiod-values.yaml"));
 * values.arguments(); // [--set, global.meshID=mesh1, --set-string, meshConfig....=true,
 *                     //  --set, pilot.traceSampling=1.0, --values, istiod-values.yaml]
 * }</pre>
 */
public final class HelmValues {

    /**
     * One {@code --set}/{@code --set-string}/{@code --set-json}; {@code written} holds the user's
     * text when passed as written; {@code json} holds the parsed value of a {@code --set-json}.
     */
    private record Entry(String key, String value, boolean forceString, String written, Object json) {

        Entry(String key, String value, boolean forceString, String written) {
            this(key, value, forceString, written, null);
        }

        boolean isJson() {
            return json != null;
        }

        /** Helm's {@code values.Options.MergeValues} order: {@code --set-json}, {@code --set}, {@code --set-string}. */
        int mergeOrder() {
            return isJson() ? 0 : forceString ? 2 : 1;
        }
    }

    private final List<Entry> entries;
    private final List<Path> files;

    private HelmValues(List<Entry> entries, List<Path> files) {
        this.entries = List.copyOf(entries);
        this.files = List.copyOf(files);
    }

    public static HelmValues empty() {
        return new HelmValues(List.of(), List.of());
    }

    public HelmValues set(String key, String value) {
        return with(new Entry(key, value, false, null));
    }

    public HelmValues setString(String key, String value) {
        return with(new Entry(key, value, true, null));
    }

    /**
     * A {@code --set-json key=<json>} value, e.g. {@code ("service.externalIPs", "[\"192.168.200.2\"]")}:
     * Helm decodes it as JSON ({@code strvals.ParseJSON}), so a list stays a list, and
     * {@link #matches(Object)} compares it with what the release holds as that value.
     *
     * @throws IllegalArgumentException when {@code json} is not JSON
     */
    public HelmValues setJson(String key, String json) {
        Object parsed;
        try {
            // JSON is YAML, and a JSON value is all fabric8's YAML reader is handed here
            parsed = Serialization.unmarshal(json, Object.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON for --set-json " + key + ": " + json, e);
        }
        if (parsed instanceof String && !json.strip().startsWith("\"")) {
            // YAML reads a bare word as a string; Helm's JSON decoder rejects it
            throw new IllegalArgumentException("not JSON for --set-json " + key + ": " + json);
        }
        if (parsed == null) {
            throw new IllegalArgumentException("--set-json " + key + "=null removes the key; leave it out instead");
        }
        return with(new Entry(key, json, false, null, parsed));
    }

    /**
     * A {@code --set} value exactly as the user wrote it, {@code key=value} in Helm's syntax
     * ({@code \,} for a literal comma). {@link #matches(Object)} compares it as one key and its
     * unescaped text, so a list ({@code a={x,y}}) or several pairs in one text never match and the
     * release is upgraded again each time.
     */
    public HelmValues setAsWritten(String keyEqualsValue) {
        int equals = keyEqualsValue.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("a Helm value is key=value, not '" + keyEqualsValue + "'");
        }
        return with(new Entry(keyEqualsValue.substring(0, equals), unescape(keyEqualsValue.substring(equals + 1)), false,
                keyEqualsValue));
    }

    /** A values file, passed as {@code --values <file>}; read again by each {@link #matches(Object)}. */
    public HelmValues valuesFile(Path file) {
        List<Path> more = new ArrayList<>(files);
        more.add(file);
        return new HelmValues(entries, more);
    }

    private HelmValues with(Entry entry) {
        List<Entry> more = new ArrayList<>(entries);
        more.add(entry);
        return new HelmValues(more, files);
    }

    private static String unescape(String text) {
        return text.replaceAll("\\\\(.)", "$1");
    }

    /**
     * The command-line arguments. Values are escaped for Helm's {@code strvals} parser, where
     * {@code ,} separates pairs and {@code \} escapes the next character.
     */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        for (Entry entry : entries) {
            arguments.add(entry.isJson() ? "--set-json" : entry.forceString() ? "--set-string" : "--set");
            // a JSON value is read by a JSON decoder, which consumes its own commas
            arguments.add(entry.written() != null ? entry.written() : entry.isJson() ? entry.key() + "=" + entry.value()
                    : entry.key() + "=" + entry.value().replace("\\", "\\\\").replace(",", "\\,"));
        }
        for (Path file : files) {
            arguments.add("--values");
            arguments.add(file.toString());
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
            node.put(path[path.length - 1], entry.isJson() ? entry.json() : entry.value());
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String key) {
        return (Map<String, Object>) node.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    /**
     * Whether the values a release holds ({@code helm get values -o json}) are exactly these:
     * the values files merged in order, then every {@code --set-json}, every {@code --set}, then
     * every {@code --set-string} (the order of Helm's {@code values.Options.MergeValues}). A
     * {@code --set} value is compared as text (Helm turns {@code a=1} into a number); a
     * {@code --set-string} value must have stayed a string; a {@code --set-json} object is compared
     * leaf by leaf as a file's, any other JSON value (a list) as the value it is; a file's number is
     * compared by value, its other values as text.
     */
    public boolean matches(Object installed) {
        Map<String, Object> actual = new LinkedHashMap<>();
        flatten("", installed, actual);
        Map<String, Object> expected = mergedLeaves();
        if (!actual.keySet().equals(expected.keySet())) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> {
            Object value = actual.get(e.getKey());
            if (e.getValue() instanceof Entry entry && entry.isJson()) {
                return sameJsonValue(entry.json(), value);
            }
            if (e.getValue() instanceof Entry entry) {
                return entry.forceString() ? entry.value().equals(value) : entry.value().equals(String.valueOf(value));
            }
            return sameFileValue(e.getValue(), value);
        });
    }

    /**
     * The value a leaf key ends up with once Helm has merged these values (the order of
     * {@link #matches(Object)}), as text; empty when none of them sets it, so the chart's default applies.
     */
    public Optional<String> value(String key) {
        Object value = mergedLeaves().get(key);
        if (value instanceof Entry entry) {
            return Optional.of(entry.isJson() ? String.valueOf(entry.json()) : entry.value());
        }
        return Optional.ofNullable(value).map(String::valueOf);
    }

    /** The values files merged in order, then the entries in Helm's order, by leaf key: a file's value or an {@link Entry}. */
    private Map<String, Object> mergedLeaves() {
        Map<String, Object> leaves = new LinkedHashMap<>();
        files.forEach(file -> flatten("", readValuesFile(file), leaves));
        entries.stream().sorted(Comparator.comparingInt(Entry::mergeOrder)).forEach(entry -> {
            leaves.keySet().removeIf(key -> key.equals(entry.key()) || key.startsWith(entry.key() + "."));
            if (entry.isJson() && entry.json() instanceof Map<?, ?>) {
                flatten(entry.key(), entry.json(), leaves);
            } else {
                leaves.put(entry.key(), entry);
            }
        });
        return leaves;
    }

    /** A JSON list compares element by element, numbers by value (Helm's JSON prints {@code 1.0} as {@code 1}). */
    private static boolean sameJsonValue(Object expected, Object actual) {
        if (expected instanceof List<?> list && actual instanceof List<?> other) {
            if (list.size() != other.size()) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!sameJsonValue(list.get(i), other.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Map<?, ?> || actual instanceof Map<?, ?>) {
            return java.util.Objects.equals(expected, actual);
        }
        if (expected instanceof Number || actual instanceof Number) {
            return sameFileValue(expected, actual);
        }
        return java.util.Objects.equals(expected, actual);
    }

    /** YAML's {@code 1.0} comes back from Helm's JSON as {@code 1}: numbers compare by value, the rest as text. */
    private static boolean sameFileValue(Object expected, Object actual) {
        if (expected instanceof Number number && actual instanceof Number other) {
            return new BigDecimal(number.toString()).compareTo(new BigDecimal(other.toString())) == 0;
        }
        return String.valueOf(expected).equals(String.valueOf(actual));
    }

    static Object readValuesFile(Path file) {
        try {
            return Serialization.unmarshal(Files.readString(file), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Helm values file " + file, e);
        }
    }

    /** The leaves of nested maps by dotted key ({@code global.hub}); {@code prefix} is put before each. */
    static void flatten(String prefix, Object node, Map<String, Object> leaves) {
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
