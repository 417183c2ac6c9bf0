package io.github.mcmesh.internal.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done ahead on a daemon thread so that a later step finds it done: class loading and
 * initialisation in a new JVM (Jackson's mapper, fabric8's client, a kind's deserializers). It never
 * fails its caller and never holds up the JVM's exit; what it could not do, the step that needs it
 * does itself, and reports.
 *
 * <pre>{@code
 * WarmUp.start("mcmesh-prepare-json", () -> ToolJson.tree("{}"));
 * }</pre>
 */
public final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    private WarmUp() {
    }

    /** Starts {@code work} on a daemon thread named {@code name}; a failure is only logged (debug). */
    public static void start(String name, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("{}: could not prepare ahead: {}", name, e.toString());
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
