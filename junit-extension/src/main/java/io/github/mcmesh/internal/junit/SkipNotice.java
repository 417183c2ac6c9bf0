package io.github.mcmesh.internal.junit;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Says on the console why a class is skipped: Surefire and Failsafe show only {@code Skipped: N},
 * and mcmesh's log may go nowhere (SLF4J without a backend). Each reason is printed in full once per
 * JVM; later classes skipped for the same reason get one short line with their name.
 */
public final class SkipNotice {

    /** The one for this JVM, on standard error (looked up when printing: build tools replace it). */
    public static final SkipNotice CONSOLE = new SkipNotice(() -> System.err);

    private final Supplier<PrintStream> out;
    private final Set<String> printedReasons = ConcurrentHashMap.newKeySet();

    public SkipNotice(Supplier<PrintStream> out) {
        this.out = out;
    }

    public void skipped(String testClass, String reason) {
        if (printedReasons.add(reason)) {
            out.get().println("mcmesh: skipped " + testClass + ": " + reason);
        } else {
            out.get().println("mcmesh: skipped " + testClass + " (same reason as above)");
        }
    }
}
