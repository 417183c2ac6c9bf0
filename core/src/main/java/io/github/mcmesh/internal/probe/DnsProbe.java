package io.github.mcmesh.internal.probe;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One name lookup in a pod with {@code getent hosts <name>}: the C library's resolver, with the
 * pod's search domains, exactly as curl resolves (the curl image is Alpine-based, so musl's
 * {@code getent} is there). {@code getent} exits 2 when the name does not exist.
 *
 * <pre>{@code
 * DnsObservation seen = new DnsProbe(new Fabric8PodExec(), Duration.ofSeconds(5))
 *         .resolve(SourcePod.find(mesh.cluster("mcmesh-east"), "sleep"), "helloworld");
 * }</pre>
 */
public class DnsProbe {

    /** {@code getent}'s exit code for a key that was not found. */
    public static final int NOT_FOUND_EXIT_CODE = 2;

    private final PodExec exec;
    private final Duration timeout;

    public DnsProbe(PodExec exec, Duration timeout) {
        this.exec = Objects.requireNonNull(exec, "exec");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The lookup command for {@code host}. */
    public List<String> command(String host) {
        return List.of("getent", "hosts", host);
    }

    /** Looks {@code host} up once in {@code source}; never throws for resolver failures. */
    public DnsObservation resolve(SourcePod source, String host) {
        PodExec.ExecResult result = exec.exec(source.client(), source.namespace(), source.name(), source.container(),
                timeout, command(host));
        List<String> addresses = result.stdout().lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0]).distinct().toList();
        return new DnsObservation(host, result.exitCode(), result.exitCode() == 0 ? addresses : List.of(), result.stderr());
    }
}
