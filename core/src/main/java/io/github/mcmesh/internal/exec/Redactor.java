package io.github.mcmesh.internal.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The secrets known so far (bearer tokens, keys), masked as {@value #MASK} wherever text leaves
 * mcmesh: every logged line and every exception message of {@link ProcessCommandRunner} passes
 * through {@link #redact(String)}. Secrets are added at runtime, as soon as mcmesh learns them.
 * Strings shorter than {@value #MINIMUM_LENGTH} characters are ignored: masking every {@code "a"}
 * or {@code "true"} would make all output unreadable and hide nothing.
 * A multi-line secret (a PEM key, a kubeconfig) is also registered line by line, because output
 * is logged line by line. Thread-safe.
 *
 * <pre>{@code
 * Redactor redactor = new Redactor();
 * redactor.add(serviceAccountToken);
 * log.info(redactor.redact(line)); // "token: ***"
 * }</pre>
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /** Shorter strings are not registered. */
    public static final int MINIMUM_LENGTH = 8;

    /** Longest first, so a secret containing another is masked whole. Replaced, never mutated. */
    private volatile List<String> secrets = List.of();

    /**
     * Registers a secret to be masked from now on.
     *
     * @return whether it will be masked; {@code false} for {@code null}, blank and short strings
     */
    public synchronized boolean add(String secret) {
        if (!isMaskable(secret)) {
            return false;
        }
        List<String> updated = new ArrayList<>(secrets);
        addIfNew(updated, secret);
        secret.lines().map(String::strip).filter(Redactor::isMaskable).forEach(line -> addIfNew(updated, line));
        updated.sort(Comparator.comparingInt(String::length).reversed());
        secrets = List.copyOf(updated);
        return true;
    }

    /** The text with every registered secret replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }

    private static boolean isMaskable(String candidate) {
        return candidate != null && !candidate.isBlank() && candidate.strip().length() >= MINIMUM_LENGTH;
    }

    private static void addIfNew(List<String> secrets, String secret) {
        if (!secrets.contains(secret)) {
            secrets.add(secret);
        }
    }
}
