package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.MeshProperties;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names of mcmesh's settings, to tell a misspelled one ({@code mcmesh.reuse.policy},
 * {@code MCMESH_REQUIRETOOLS}) from a real one and name the closest real one.
 *
 * <pre>{@code
 * SettingNames names = new SettingNames(MeshProperties.names());
 * names.unknownProperties(System.getProperties().stringPropertyNames());   // [mcmesh.istio.verison]
 * names.closestProperty("mcmesh.istio.verison");                           // mcmesh.istio.version
 * }</pre>
 */
public final class SettingNames {

    /** How far, in edits of the name without separators and case, a misspelling may be from the name meant. */
    private static final int TYPO_DISTANCE = 3;

    private final Set<String> properties;
    private final Set<String> variables = new TreeSet<>();

    /** The property names mcmesh reads; the environment variables follow from them. */
    public SettingNames(Collection<String> knownProperties) {
        this.properties = new TreeSet<>(knownProperties);
        knownProperties.forEach(name -> variables.add(ConfigSource.environmentName(name)));
    }

    /** The names among {@code names} that start with {@code mcmesh.} and name no setting, sorted. */
    public List<String> unknownProperties(Collection<String> names) {
        return names.stream().filter(name -> name.startsWith("mcmesh.") && !properties.contains(name)).sorted().toList();
    }

    /** The names among {@code names} that start with {@code MCMESH_} and name no setting, sorted. */
    public List<String> unknownVariables(Collection<String> names) {
        return names.stream().filter(name -> name.startsWith("MCMESH_") && !variables.contains(name)).sorted().toList();
    }

    /** The known property closest to a misspelled one. */
    public String closestProperty(String unknown) {
        return closest(unknown, properties);
    }

    /** The known environment variable closest to a misspelled one. */
    public String closestVariable(String unknown) {
        return closest(unknown, variables);
    }

    /**
     * Whether the unknown property is most likely a misspelling of {@link #closestProperty}: a few
     * edits from it ignoring case and separators ({@code mcmesh.istio.verison}, {@code mcmesh.requireTool}),
     * or a known name with a word added ({@code mcmesh.reuse.policy}). A name like
     * {@code mcmesh.e2e.excludedGroups} is neither: it is some other program's.
     */
    public boolean looksMisspelled(String unknown) {
        return properties.stream().anyMatch(known -> unknown.startsWith(known + "."))
                || distance(normalized(unknown), normalized(closestProperty(unknown))) <= TYPO_DISTANCE;
    }

    private static String closest(String unknown, Set<String> known) {
        // a known name the unknown one extends is what was meant (mcmesh.reuse.policy: mcmesh.reuse)
        return known.stream().filter(name -> unknown.startsWith(name + ".") || unknown.startsWith(name + "_"))
                .max(Comparator.comparingInt(String::length))
                .orElseGet(() -> known.stream()
                        .min(Comparator.comparingInt((String name) -> distance(normalized(unknown), normalized(name))))
                        .orElseThrow());
    }

    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[._-]", "");
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
