package io.github.mcmesh.junit;

/**
 * The mesh a test class asked for could not be provisioned; the cause says why. Thrown for the
 * first class that asked, and again, at once and without another attempt, for every later class
 * asking for the same mesh in the same JVM.
 *
 * <pre class="not-java">{@code
 * io.github.mcmesh.junit.MeshUnavailableException: Mesh mcmesh-east+mcmesh-west@mesh1 could not be
 *   provisioned for com.example.FirstIT earlier in this JVM; not trying again: minikube start ... exited with 80
 * Caused by: ...
 * }</pre>
 */
public class MeshUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MeshUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
