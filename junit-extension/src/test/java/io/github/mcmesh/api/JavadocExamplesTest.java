package io.github.mcmesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code <pre>{@code ...}</pre>} example in the Javadoc of the API types compiles against
 * the API, since javadoc itself never compiles them. Each example becomes one source file: a
 * method body by default, with the few variables examples use ({@code mesh}, {@code spec},
 * {@code east}, ...) as fields; top level when it declares a class or an annotation; its
 * {@code import} lines go on top. A block that is not Java (an exception printout, a command line)
 * is written {@code <pre class="not-java">{@code ...}</pre>} and skipped on purpose.
 */
class JavadocExamplesTest {

    /** What an example may use without declaring it. */
    private static final String IMPORTS = """
            import io.github.mcmesh.*;
            import io.github.mcmesh.spec.*;
            import io.github.mcmesh.assertions.*;
            import io.github.mcmesh.workload.*;
            import io.github.mcmesh.junit.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.lang.annotation.*;
            import static java.lang.annotation.ElementType.*;
            import static java.lang.annotation.RetentionPolicy.*;
            import static io.github.mcmesh.assertions.MeshAssertions.assertThat;
            import io.fabric8.kubernetes.api.model.HasMetadata;
            import io.fabric8.kubernetes.client.KubernetesClient;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.api.extension.RegisterExtension;
            """;
    private static final String VARIABLES = """
                Mesh mesh;
                MeshSpec spec;
                MeshSpec.Builder builder;
                ClusterHandle east;
                ClusterHandle west;
                HasMetadata destinationRule;
                Path reportDirectory;
                Throwable failure;
            """;
    private static final Pattern BLOCK_START = Pattern.compile("<pre(?: class=\"([^\"]*)\")?>\\{@code");
    private static final Pattern TOP_LEVEL = Pattern.compile("^(class|@interface|interface|enum|record)\\s", Pattern.MULTILINE);

    /** One example: where it is, its code, and whether it is marked as not Java. */
    record Example(Path source, int line, String code, boolean notJava) {
        String where() {
            return source.getFileName() + ":" + line;
        }
    }

    @Test
    void every_example_in_the_api_javadoc_compiles(@TempDir Path work) throws IOException {
        // given
        List<Example> examples = apiSources().stream().flatMap(source -> examplesIn(source).stream()).toList();
        List<Example> java = examples.stream().filter(example -> !example.notJava()).toList();

        // when
        List<String> errors = compile(java, work);

        // then
        assertThat(java).hasSizeGreaterThan(30);
        assertThat(examples.stream().filter(Example::notJava).map(Example::where))
                .containsExactlyInAnyOrder("ReusePolicy.java:6", "MeshUnavailableException.java:8");
        assertThat(errors).isEmpty();
    }

    @Test
    void an_example_that_does_not_compile_is_reported_with_its_place(@TempDir Path work) throws IOException {
        // given
        Example broken = new Example(Path.of("Broken.java"), 12, "mesh.noSuchMethod();", false);
        Example top = new Example(Path.of("Top.java"), 3, "@MultiClusterMesh\nclass SomeIT { }", false);

        // when
        List<String> errors = compile(List.of(broken, top), work);

        // then
        assertThat(errors).singleElement().asString().startsWith("Broken.java:12: ").contains("noSuchMethod");
    }

    @Test
    void examples_are_read_from_single_and_multi_line_blocks_and_not_java_ones_are_marked() throws IOException {
        // given
        Path source = Files.createTempFile("Sample", ".java");
        Files.writeString(source, """
                /**
                 * One: <pre>{@code Map<String, String> m = Map.of("a", "b");}</pre>
                 *
                 * <pre>{@code
                 * if (true) { mesh.cluster("a"); }
                 * }</pre>
                 * <pre class="not-java">{@code
                 * -Dmcmesh.reuse=never
                 * }</pre>
                 */
                class Sample { }
                """);

        // when
        List<Example> examples = examplesIn(source);

        // then
        assertThat(examples).extracting(Example::line, Example::code, Example::notJava).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "Map<String, String> m = Map.of(\"a\", \"b\");", false),
                org.assertj.core.groups.Tuple.tuple(4, "if (true) { mesh.cluster(\"a\"); }", false),
                org.assertj.core.groups.Tuple.tuple(7, "-Dmcmesh.reuse=never", true));
        Files.delete(source);
    }

    /** The sources of the API packages (each package's own directory, not its subpackages). */
    private static List<Path> apiSources() throws IOException {
        Path root = ApiPackages.repositoryRoot();
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("core", "junit-extension")) {
            for (String apiPackage : ApiPackages.listedInReadme()) {
                Path directory = root.resolve(module).resolve("src/main/java").resolve(apiPackage.replace('.', '/'));
                if (Files.isDirectory(directory)) {
                    try (Stream<Path> files = Files.list(directory)) {
                        files.filter(file -> file.toString().endsWith(".java")).sorted().forEach(sources::add);
                    }
                }
            }
        }
        return sources;
    }

    /** The {@code <pre>{@code ...}</pre>} blocks of a source file, with the Javadoc's leading {@code *} removed. */
    static List<Example> examplesIn(Path source) {
        String text = read(source);
        List<Example> examples = new ArrayList<>();
        Matcher start = BLOCK_START.matcher(text);
        while (start.find()) {
            int end = closingBrace(text, start.end());
            String raw = text.substring(start.end(), end);
            String code = raw.lines().map(line -> line.replaceFirst("^\\s*\\*( |$)", ""))
                    .collect(Collectors.joining("\n")).strip();
            int line = (int) text.substring(0, start.start()).chars().filter(c -> c == '\n').count() + 1;
            examples.add(new Example(source, line, code, "not-java".equals(start.group(1))));
            start.region(end, text.length());
        }
        return examples;
    }

    /** Where the {@code {@code} opened before {@code from} closes: its braces balance, as javadoc counts them. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("an unclosed {@code at offset " + from);
    }

    /** Compiles every example in one javac run; each error as {@code Source.java:line: message}. */
    private static List<String> compile(List<Example> examples, Path work) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Path file = work.resolve("example" + i).resolve("Example.java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, unit("example" + i, examples.get(i).code()));
            files.add(file);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-proc:none", "-Xlint:none", "-d", work.resolve("classes").toString(),
                    "-classpath", System.getProperty("java.class.path"));
            javac.getTask(null, fileManager, diagnostics, options, null, fileManager.getJavaFileObjectsFromPaths(files)).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                int index = files.indexOf(Path.of(d.getSource().toUri()));
                errors.add((index < 0 ? String.valueOf(d.getSource()) : examples.get(index).where()) + ": "
                        + d.getMessage(Locale.ROOT) + "\n" + (index < 0 ? "" : examples.get(index).code()));
            }
        }
        return errors;
    }

    /** The example as a compilation unit of its own package, so examples declaring the same class do not clash. */
    static String unit(String packageName, String code) {
        List<String> imports = code.lines().filter(line -> line.startsWith("import ")).toList();
        String body = code.lines().filter(line -> !line.startsWith("import ")).collect(Collectors.joining("\n"));
        String head = "package " + packageName + ";\n" + IMPORTS + String.join("\n", imports) + "\n";
        if (TOP_LEVEL.matcher(body).find()) {
            return head + body + "\n";
        }
        if (body.startsWith("@")) {
            // an annotation alone, e.g. @MultiClusterMesh(trust = ...): on a class, as it is used
            return head + body + "\nclass Annotated {\n}\n";
        }
        String statements = body.strip().endsWith(";") || body.strip().endsWith("}") ? body : body + ";";
        return head + "class Example {\n" + VARIABLES + "    void example() throws Exception {\n" + statements
                + "\n    }\n}\n";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
