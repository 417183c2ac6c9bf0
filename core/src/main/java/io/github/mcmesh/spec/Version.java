package io.github.mcmesh.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version {@code major.minor.patch}, written with or without a leading {@code v}
 * ({@code v1.35.1}, {@code 1.30.3}). Pre-release suffixes such as {@code -rc.0} are kept in
 * {@link #toString()} and ignored when comparing.
 *
 * <pre>{@code
 * Version.parse("v1.26.8").isOlderThan(Version.parse("1.28.0")); // true
 * }</pre>
 */
public record Version(int major, int minor, int patch, String suffix) implements Comparable<Version> {

    private static final Pattern FORMAT = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)([-+][0-9A-Za-z.+-]+)?");

    /**
     * Parses {@code [v]major.minor.patch[-suffix]}.
     *
     * @throws IllegalArgumentException naming the expected format
     */
    public static Version parse(String text) {
        Matcher matcher = text == null ? null : FORMAT.matcher(text.trim());
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version of the form major.minor.patch, e.g. 1.30.3");
        }
        return new Version(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), matcher.group(4) == null ? "" : matcher.group(4));
    }

    /** {@code major.minor}, e.g. {@code 1.30}. */
    public String minorVersion() {
        return major + "." + minor;
    }

    public boolean isOlderThan(Version other) {
        return compareTo(other) < 0;
    }

    public boolean isAtLeast(Version other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Version other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    /** The version without a leading {@code v}, e.g. {@code 1.35.1}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + suffix;
    }

    /** The version with a leading {@code v}, as Kubernetes writes it, e.g. {@code v1.35.1}. */
    public String withV() {
        return "v" + this;
    }
}
