package io.github.mcmesh.internal.provision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether the classpath's Jackson fits together, asked before anything parses JSON. mcmesh and
 * fabric8 kubernetes-client 8 use Jackson 3 ({@code tools.jackson.core:jackson-databind}), which
 * shares {@code com.fasterxml.jackson.core:jackson-annotations} with Jackson 2. A BOM that pins
 * Jackson 2 (Spring Boot 3.x's does, through {@code jackson-bom.version}) pins those annotations
 * too old for Jackson 3, and the first class to touch JSON then dies with
 * {@code NoClassDefFoundError: com/fasterxml/jackson/annotation/JsonSerializeAs}.
 *
 * <p>Jackson 3.M is released with jackson-annotations 2.(20+M) (tools.jackson:jackson-bom 3.1.x
 * sets {@code jackson.version.annotations} 2.21, 3.2.x sets 2.22); annotations are backward
 * compatible, so a newer one also serves Jackson 2.
 *
 * <pre>{@code
 * JacksonClasspath.problem().ifPresent(problem -> { throw new IllegalStateException(problem); });
 * }</pre>
 */
public final class JacksonClasspath {

    private static final String DATABIND = "tools.jackson.core/jackson-databind";
    private static final String ANNOTATIONS = "com.fasterxml.jackson.core/jackson-annotations";

    private JacksonClasspath() {
    }

    /** What is wrong with this classpath's Jackson, read from the jars' Maven metadata; empty when it fits or cannot be told. */
    public static Optional<String> problem() {
        return versionOf(DATABIND).flatMap(databind -> versionOf(ANNOTATIONS).flatMap(annotations -> problem(databind, annotations)));
    }

    /**
     * @param databindVersion the version of {@code tools.jackson.core:jackson-databind}, e.g. {@code 3.2.3}
     * @param annotationsVersion the version of {@code com.fasterxml.jackson.core:jackson-annotations}, e.g. {@code 2.17.3}
     * @return the problem and the dependency to set, or empty when the pair fits or a version is not understood
     */
    static Optional<String> problem(String databindVersion, String annotationsVersion) {
        Optional<int[]> databind = majorMinor(databindVersion);
        Optional<int[]> annotations = majorMinor(annotationsVersion);
        if (databind.isEmpty() || annotations.isEmpty() || databind.get()[0] != 3) {
            return Optional.empty();
        }
        int neededMinor = 20 + databind.get()[1];
        boolean fits = annotations.get()[0] > 2 || annotations.get()[0] == 2 && annotations.get()[1] >= neededMinor;
        if (fits) {
            return Optional.empty();
        }
        String needed = "2." + neededMinor;
        return Optional.of("mcmesh uses Jackson " + databindVersion + " (tools.jackson.core:jackson-databind, through fabric8"
                + " kubernetes-client), which needs com.fasterxml.jackson.core:jackson-annotations " + needed + " or newer, but"
                + " the test classpath has jackson-annotations " + annotationsVersion + ", most likely pinned by a BOM that"
                + " manages Jackson 2 (Spring Boot 3.x's does, through jackson-bom.version). Set"
                + " com.fasterxml.jackson.core:jackson-annotations to " + needed + " in your <dependencyManagement>, before"
                + " the BOM import (jackson-annotations is backward compatible: Jackson 2 keeps working with it).");
    }

    private static Optional<String> versionOf(String groupAndArtifact) {
        String resource = "META-INF/maven/" + groupAndArtifact + "/pom.properties";
        try (InputStream in = JacksonClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            return Optional.ofNullable(properties.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static Optional<int[]> majorMinor(String version) {
        String[] parts = version.split("[.-]");
        try {
            return parts.length < 2 ? Optional.empty()
                    : Optional.of(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
