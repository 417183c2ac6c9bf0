package io.github.mcmesh.spec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The parts of a composite setting ({@link Timeouts}, {@link ToolPaths}, {@link Sources},
 * {@link PassThrough}), by the name validation gives them ({@code timeouts.command} is
 * {@code command} here), so the builder can tell which parts a setter changed and name only those
 * as set by it. The parts are the components of each composite's package-private {@code Parts}
 * record, the one list its accessors, {@code equals} and {@code toString} read too, so a part
 * added later is covered without a second list to keep. Package-private: the records are, and a
 * user never needs this.
 */
final class Components {

    private Components() {
    }

    /** Each component's name and value as text, in declaration order; empty for {@code null}. */
    static Map<String, String> components(Record parts) {
        Map<String, String> result = new LinkedHashMap<>();
        if (parts != null) {
            for (RecordComponent component : parts.getClass().getRecordComponents()) {
                result.put(component.getName(), String.valueOf(value(parts, component)));
            }
        }
        return result;
    }

    /** The composite as a record would print itself: {@code Name[a=1, b=2]}. */
    static String describe(String name, Record parts) {
        return components(parts).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", name + "[", "]"));
    }

    private static Object value(Record parts, RecordComponent component) {
        try {
            return component.getAccessor().invoke(parts);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + parts, e);
        }
    }
}
