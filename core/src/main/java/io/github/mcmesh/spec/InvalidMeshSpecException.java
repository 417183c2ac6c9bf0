package io.github.mcmesh.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A mesh specification that cannot work, found before any command runs. The message lists
 * every problem with the field, the value and the fix.
 *
 * <pre>{@code
 * try {
 *     spec = builder.build();
 * } catch (InvalidMeshSpecException e) {
 *     e.problems().forEach(p -> System.out.println(p.field()));
 * }
 * }</pre>
 */
public class InvalidMeshSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param field what the user changes: a property name such as {@code mcmesh.istio.version}, or a
     *        cluster's setting such as {@code clusters[mcmesh-west].podCidr}
     * @param value the offending value as given
     * @param explanation what is wrong and how to fix it
     * @param origin where the value was set, e.g. {@code set by environment variable MCMESH_ISTIO_VERSION}
     *        or {@code the default; not set anywhere}; empty when not known
     */
    public record Problem(String field, String value, String explanation, String origin) {

        /** A problem whose origin is filled in later, by the builder that knows where each value came from. */
        public Problem(String field, String value, String explanation) {
            this(field, value, explanation, "");
        }

        /** This problem under the name the user sets and with its origin. */
        Problem locatedAt(String setting, String where) {
            return new Problem(setting, value, explanation, where);
        }

        @Override
        public String toString() {
            return field + " = '" + value + "'" + (origin.isEmpty() ? "" : " (" + origin + ")") + ": " + explanation;
        }
    }

    private final transient List<Problem> problems;

    public InvalidMeshSpecException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        if (problems.size() == 1) {
            return "Invalid mesh specification: " + problems.get(0);
        }
        return problems.stream().map(p -> "  - " + p)
                .collect(Collectors.joining(System.lineSeparator(),
                        "Invalid mesh specification (" + problems.size() + " problems):" + System.lineSeparator(), ""));
    }
}
