package io.github.mcmesh.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The API packages, read from the one place that lists them: the README's "What is API" section,
 * whose bullets name each package as {@code - `io.github.mcmesh.spec`: ...}. The tests that
 * guard the API ({@link ApiSurfaceTest}, {@link JavadocExamplesTest}) read them here.
 */
final class ApiPackages {

    static final String INTERNAL = "io.github.mcmesh.internal";
    private static final Pattern BULLET = Pattern.compile("^- `(io\\.github\\.mcmesh[\\w.]*)`", Pattern.MULTILINE);

    private ApiPackages() {
    }

    static boolean isInternal(String packageName) {
        return packageName.equals(INTERNAL) || packageName.startsWith(INTERNAL + ".");
    }

    /** The packages the README's "What is API" section lists, in its order. */
    static Set<String> listedInReadme() {
        String readme = read(repositoryRoot().resolve("README.md"));
        int start = readme.indexOf("\n## What is API\n");
        if (start < 0) {
            throw new IllegalStateException("README.md has no '## What is API' section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> packages = new LinkedHashSet<>();
        Matcher matcher = BULLET.matcher(section);
        while (matcher.find()) {
            packages.add(matcher.group(1));
        }
        return packages;
    }

    /** The repository root: the nearest directory at or above the one the tests run in (a module's) with the README and {@code core/}. */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !(Files.isRegularFile(here.resolve("README.md")) && Files.isDirectory(here.resolve("core")))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
        }
        return here;
    }

    /** Every public top-level type in the jars (or class directories) that hold the anchors; nested ones are their members. */
    static List<Class<?>> publicTypes(List<Class<?>> anchors) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> anchor : anchors) {
            for (String name : classNames(location(anchor))) {
                Class<?> type = load(name, anchor.getClassLoader());
                if (java.lang.reflect.Modifier.isPublic(type.getModifiers()) && type.getEnclosingClass() == null) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static Path location(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> classNames(Path location) {
        try {
            if (Files.isDirectory(location)) {
                return names(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                return names(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).map(Path::toString)
                    .filter(path -> path.endsWith(".class") && path.startsWith("io/github/mcmesh/"))
                    .filter(path -> !path.endsWith("module-info.class") && !path.endsWith("package-info.class"))
                    .map(path -> path.substring(0, path.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
