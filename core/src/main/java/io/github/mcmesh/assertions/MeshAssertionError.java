package io.github.mcmesh.assertions;

import java.util.List;

/**
 * A failed mesh assertion. Besides the message it carries the probe transcript (every command
 * and what it saw, last lines only), which the JUnit extension's diagnostics write next to the
 * cluster state. Its cause is the last failing round's own assertion error.
 *
 * <pre>{@code
 * try {
 *     assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").succeeds();
 * } catch (MeshAssertionError e) {
 *     Files.write(reportDirectory.resolve("transcript.txt"), e.transcript());
 *     throw e;
 * }
 * }</pre>
 */
public class MeshAssertionError extends AssertionError {

    private final transient List<String> transcript;

    public MeshAssertionError(String message, Throwable cause, List<String> transcript) {
        super(message, cause);
        this.transcript = List.copyOf(transcript);
    }

    /** The probe transcript, oldest line first. */
    public List<String> transcript() {
        return transcript;
    }
}
