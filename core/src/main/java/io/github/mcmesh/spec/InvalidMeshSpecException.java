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
     * @param field the field, e.g. {@code clusters[mcmesh-west].podCidr} or a property name
     * @param value the offending value as given
     * @param explanation what is wrong and how to fix it
     */
    public record Problem(String field, String value, String explanation) {
        @Override
        public String toString() {
            return field + " = '" + value + "': " + explanation;
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
