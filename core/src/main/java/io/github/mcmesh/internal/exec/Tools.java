package io.github.mcmesh.internal.exec;

import io.github.mcmesh.spec.ToolPaths;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the executables of the external tools: at the path configured for the tool
 * ({@code mcmesh.tools.<tool>}), else in the directories of {@link ToolPaths#searchPath()}
 * ({@value #SEARCH_PATH_PROPERTY}), else on this process's {@code PATH}. A tool that cannot be
 * found fails with a {@link ToolNotFoundException} saying where mcmesh looked, the minimum version
 * and where to get the tool, before any command runs.
 *
 * <pre>{@code
 * Tools tools = new Tools(ToolPaths.onPath().withHelm(Path.of("/opt/helm4/helm")));
 * Path helm = tools.path(Tool.HELM);          // /opt/helm4/helm
 * boolean canUseDocker = tools.isAvailable(Tool.DOCKER);
 * }</pre>
 */
public final class Tools {

    /** The configuration key naming a tool's executable, followed by the tool's name. */
    public static final String TOOL_PROPERTY_PREFIX = "mcmesh.tools.";

    /** The configuration key of the search path. */
    public static final String SEARCH_PATH_PROPERTY = "mcmesh.tools.path";

    private final ToolPaths paths;
    private final String processPath;

    /** Tools configured by {@code paths}, falling back to this process's {@code PATH}. */
    public Tools(ToolPaths paths) {
        this(paths, Optional.ofNullable(System.getenv("PATH")).orElse(""));
    }

    /** For tests: {@code processPath} stands in for this process's {@code PATH}. */
    Tools(ToolPaths paths, String processPath) {
        this.paths = paths;
        this.processPath = processPath;
    }

    /**
     * The tool's executable.
     *
     * @throws ToolNotFoundException when the configured path is not an executable file, or the tool
     *         is on none of the search directories
     */
    public Path path(Tool tool) {
        Optional<Path> configured = configuredPath(tool);
        if (configured.isPresent()) {
            Path executable = configured.get();
            if (!Files.isRegularFile(executable)) {
                throw notFound(tool, propertyName(tool) + " is set to " + executable + ", but there is no file there"
                        + elsewhere(tool));
            }
            if (!Files.isExecutable(executable)) {
                throw notFound(tool, propertyName(tool) + " is set to " + executable
                        + ", but that file is not executable (chmod +x it)");
            }
            return executable;
        }
        return onLookupPath(tool, Files::isExecutable).orElseThrow(() -> notFound(tool, tool.executableName()
                + " was not found in " + describeLookupPath() + onLookupPath(tool, candidate -> true)
                        .map(plain -> " (" + plain + " is there, but not executable; chmod +x it)").orElse("")));
    }

    /** The first file named like the tool in the lookup directories that passes {@code usable}. */
    private Optional<Path> onLookupPath(Tool tool, java.util.function.Predicate<Path> usable) {
        return directories(lookupPath())
                .map(directory -> directory.resolve(tool.executableName()))
                .filter(candidate -> Files.isRegularFile(candidate) && usable.test(candidate))
                .findFirst();
    }

    /** Where the lookup path would have found the tool, had the explicit path not been set; else nothing. */
    private String elsewhere(Tool tool) {
        return onLookupPath(tool, Files::isExecutable)
                .map(found -> " (" + describeLookupSource() + " holds " + found + "; unset " + propertyName(tool) + " to use it)")
                .orElse("");
    }

    /** Whether {@link #path(Tool)} would find the tool. */
    public boolean isAvailable(Tool tool) {
        try {
            path(tool);
            return true;
        } catch (ToolNotFoundException e) {
            return false;
        }
    }

    /**
     * The {@code PATH} for child processes, so that a tool calling another one (minikube calling
     * docker) finds the same executable mcmesh uses: the directories of explicitly configured tools,
     * then the search path ({@link ToolPaths#searchPath()}, else this process's {@code PATH}),
     * without duplicates.
     */
    public String searchPath() {
        Stream<String> toolDirectories = Arrays.stream(Tool.values())
                .flatMap(tool -> configuredPath(tool).stream())
                .map(path -> path.toAbsolutePath().getParent().toString());
        return mergePaths(Stream.concat(toolDirectories, Stream.of(lookupPath())));
    }

    /** {@code PATH}-style lists joined into one, in order, without blank entries or duplicates. */
    static String mergePaths(Stream<String> paths) {
        Set<String> directories = new LinkedHashSet<>();
        paths.flatMap(path -> directories(path).map(Path::toString)).forEach(directories::add);
        return String.join(File.pathSeparator, directories);
    }

    private Optional<Path> configuredPath(Tool tool) {
        return switch (tool) {
            case MINIKUBE -> paths.minikube();
            case HELM -> paths.helm();
            case ISTIOCTL -> paths.istioctl();
            case DOCKER -> paths.docker();
        };
    }

    private String lookupPath() {
        return paths.searchPath().orElse(processPath);
    }

    private String describeLookupSource() {
        return paths.searchPath().isPresent() ? "the search path " + SEARCH_PATH_PROPERTY : "the PATH of this process";
    }

    private String describeLookupPath() {
        String source = describeLookupSource();
        String value = lookupPath();
        return value.isBlank() ? source + ", which is empty" : source + ": " + value;
    }

    private static Stream<Path> directories(String searchPath) {
        return Arrays.stream(searchPath.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).map(Path::of);
    }

    private static String propertyName(Tool tool) {
        return TOOL_PROPERTY_PREFIX + tool.executableName();
    }

    private static ToolNotFoundException notFound(Tool tool, String problem) {
        return new ToolNotFoundException(tool, problem, String.format("%s.%n"
                + "mcmesh needs %s (minimum version: %s). Get it from %s%n"
                + "and put it on the PATH, or set %s to the executable.", problem, tool.executableName(),
                tool.minimumVersion(), tool.installHint(), propertyName(tool)));
    }
}
