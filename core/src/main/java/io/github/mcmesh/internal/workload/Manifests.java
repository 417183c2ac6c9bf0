package io.github.mcmesh.internal.workload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads multi-document YAML into Kubernetes objects, one document at a time, so that every error
 * names the source, the document and the line: fabric8's own {@code load(...)} parses the whole
 * stream at once, counts lines from the start of the stream, loses the valid documents on the first
 * bad one and names neither file nor document. A document is one of the kinds fabric8 has a model
 * for (a typed object) or an Istio resource (group {@code *.istio.io}, a
 * {@link GenericKubernetesResource}); fabric8 reads any other kind as a generic resource too and
 * fails only when it is applied, so such kinds are refused here, before anything is applied.
 * Comment-only documents are skipped, as fabric8 skips them; a {@code kind: List} gives its items.
 *
 * <pre>{@code
 * Manifest objects = Manifests.read(Path.of("k8s/checkout.yaml"));
 * Manifest same = Manifests.readResource("k8s/checkout.yaml", getClass().getClassLoader());
 * }</pre>
 */
public final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern SEPARATOR = Pattern.compile("^(---|\\.\\.\\.)(\\s.*)?$");
    private static final Pattern READER_POSITION = Pattern.compile("in reader, line (\\d+), column (\\d+)");
    private static final String ISTIO_GROUP_SUFFIX = ".istio.io";

    private Manifests() {
    }

    /** Reads a YAML file (UTF-8). */
    public static Manifest read(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Manifest " + file + " does not exist (resolved against the working directory "
                    + Path.of("").toAbsolutePath() + " to " + file.toAbsolutePath() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + file, e);
        }
    }

    /** Reads a YAML classpath resource (UTF-8), e.g. {@code k8s/checkout.yaml} under {@code src/test/resources}. */
    public static Manifest readResource(String resource, ClassLoader loader) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("No classpath resource '" + name + "' (looked up with " + loader
                        + "); put it under src/test/resources/" + name + " or src/main/resources/" + name);
            }
            return parse("classpath:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }

    /**
     * Parses YAML text.
     *
     * @param source how errors name the text, e.g. the file
     * @throws IllegalArgumentException naming the source, the document (index and first line, kind and
     *         name when known) and the problem
     */
    public static Manifest parse(String source, String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        int index = 0;
        for (Document document : split(yaml)) {
            if (!document.hasContent()) {
                continue;
            }
            index++;
            String where = source + ", document " + index + " (line " + document.firstContentLine();
            KubernetesResource resource = toResource(where, document);
            if (resource instanceof KubernetesList list) {
                for (int item = 0; item < list.getItems().size(); item++) {
                    HasMetadata object = list.getItems().get(item);
                    String origin = where + ", List item " + (item + 1) + ", " + describe(object) + ")";
                    check(origin, object);
                    objects.add(object);
                    origins.add(origin);
                }
            } else {
                HasMetadata object = (HasMetadata) resource;
                String origin = where + ", " + describe(object) + ")";
                check(origin, object);
                objects.add(object);
                origins.add(origin);
            }
        }
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("Manifest " + source + " holds no Kubernetes object (it is empty or only comments)");
        }
        return new Manifest(objects, origins);
    }

    /** Whether fabric8 has a model for the kind or it is an Istio resource: the kinds a manifest may hold. */
    static boolean knownKind(HasMetadata object) {
        return SERIALIZATION.getRegisteredKubernetesResource(object.getApiVersion(), object.getKind()) != null
                || isIstio(object.getApiVersion());
    }

    private static boolean isIstio(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash > 0 && apiVersion.substring(0, slash).endsWith(ISTIO_GROUP_SUFFIX);
    }

    private static KubernetesResource toResource(String where, Document document) {
        Object tree;
        try {
            tree = SERIALIZATION.unmarshal(document.text(), Object.class);
        } catch (RuntimeException e) {
            // snakeyaml-engine counts lines from the start of the text it got: this document's
            throw new IllegalArgumentException("Bad manifest " + where + "): invalid YAML: "
                    + absolutePositions(String.valueOf(e.getMessage()), document.firstLine()).strip(), e);
        }
        if (!(tree instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("Bad manifest " + where + "): not a Kubernetes object but a "
                    + (tree instanceof List ? "list" : "scalar") + "; every document needs apiVersion, kind and metadata.name");
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("apiVersion", "kind")) {
            if (!(fields.get(field) instanceof String value) || value.isBlank()) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Bad manifest " + where + "): not a Kubernetes object, it has no "
                    + String.join(" and no ", missing) + "; every document needs apiVersion, kind and metadata.name");
        }
        String kindAndName = fields.get("kind") + (fields.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") != null
                ? " " + metadata.get("name") : "");
        try {
            return SERIALIZATION.convertValue(tree, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Bad manifest " + where + ", " + kindAndName + "): invalid value: "
                    + String.valueOf(e.getMessage()).replace("\n at [No location information]", ""), e);
        }
    }

    private static void check(String origin, HasMetadata object) {
        if (!knownKind(object)) {
            throw new IllegalArgumentException("Bad manifest " + origin + ": unknown kind " + object.getKind() + " of "
                    + object.getApiVersion() + ": fabric8 has no model for it and it is not an Istio resource (group *"
                    + ISTIO_GROUP_SUFFIX + "); check apiVersion and kind (kubectl api-resources lists what a cluster serves)");
        }
        if (object.getMetadata() == null || object.getMetadata().getName() == null || object.getMetadata().getName().isBlank()) {
            throw new IllegalArgumentException("Bad manifest " + origin + ": it has no metadata.name");
        }
    }

    private static String describe(HasMetadata object) {
        String name = object.getMetadata() == null ? null : object.getMetadata().getName();
        return object.getKind() + (name == null ? "" : " " + name);
    }

    private static String absolutePositions(String message, int firstLine) {
        Matcher position = READER_POSITION.matcher(message);
        StringBuilder text = new StringBuilder();
        while (position.find()) {
            int line = firstLine + Integer.parseInt(position.group(1)) - 1;
            position.appendReplacement(text, "at line " + line + ", column " + position.group(2));
        }
        position.appendTail(text);
        return text.toString();
    }

    /** One YAML document: its text and the line (1-based, in the whole source) its text starts at. */
    private record Document(String text, int firstLine) {
        boolean hasContent() {
            return text.lines().map(String::strip).anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
        }

        int firstContentLine() {
            List<String> lines = text.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    return firstLine + i;
                }
            }
            return firstLine;
        }
    }

    /** Splits at column-0 {@code ---} (and {@code ...}) lines, as YAML marks document boundaries. */
    private static List<Document> split(String yaml) {
        List<Document> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = 1;
        int number = 0;
        // no empty line after the last newline: it is not a line of the source
        String[] lines = yaml.split("\r?\n", -1);
        int count = yaml.endsWith("\n") ? lines.length - 1 : lines.length;
        for (String line : Arrays.asList(lines).subList(0, count)) {
            number++;
            if (SEPARATOR.matcher(line).matches()) {
                documents.add(new Document(current.toString(), start));
                current.setLength(0);
                start = number + 1;
            } else {
                current.append(line).append('\n');
            }
        }
        documents.add(new Document(current.toString(), start));
        return documents;
    }
}
