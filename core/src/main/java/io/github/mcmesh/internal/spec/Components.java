package io.github.mcmesh.internal.spec;

import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.Sources;
import io.github.mcmesh.spec.Timeouts;
import io.github.mcmesh.spec.ToolPaths;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a composite setting ({@link Timeouts}, {@link ToolPaths}, {@link Sources},
 * {@link PassThrough}), by the name validation gives them ({@code timeouts.command} is
 * {@code command} here), so the builder can tell which parts a setter changed and name only those
 * as set by it. The parts are the record's components, so a component added later is covered too.
 */
public final class Components {

    private Components() {
    }

    /** Each component's name and value as text, in declaration order; empty for {@code null}. */
    public static Map<String, String> components(Record composite) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (composite != null) {
            for (RecordComponent component : composite.getClass().getRecordComponents()) {
                parts.put(component.getName(), String.valueOf(value(composite, component)));
            }
        }
        return parts;
    }

    private static Object value(Record composite, RecordComponent component) {
        try {
            return component.getAccessor().invoke(composite);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + composite, e);
        }
    }
}
