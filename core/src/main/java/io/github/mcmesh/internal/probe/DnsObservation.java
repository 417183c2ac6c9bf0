package io.github.mcmesh.internal.probe;

import java.util.List;

/**
 * What one name lookup in a pod saw: the addresses, or the resolver's failure.
 *
 * <pre>{@code
 * DnsObservation seen = new DnsProbe(new Fabric8PodExec(), Duration.ofSeconds(5)).resolve(sleep, "helloworld");
 * seen.resolved();    // true
 * seen.addresses();   // [10.255.20.17]
 * }</pre>
 *
 * @param host the name looked up
 * @param exitCode the lookup command's exit code (0 found, 2 not found), -1 when the exec did not complete
 * @param addresses the addresses found, empty when none
 * @param error what the lookup printed on failure
 */
public record DnsObservation(String host, int exitCode, List<String> addresses, String error) {

    public DnsObservation {
        addresses = List.copyOf(addresses);
        error = error == null ? "" : error.strip();
    }

    /** At least one address was found. */
    public boolean resolved() {
        return exitCode == 0 && !addresses.isEmpty();
    }

    /** The resolver answered that the name does not exist (not a timeout or a broken command). */
    public boolean notFound() {
        return exitCode == DnsProbe.NOT_FOUND_EXIT_CODE;
    }

    @Override
    public String toString() {
        if (resolved()) {
            return host + " resolved to " + addresses;
        }
        String reason = switch (exitCode) {
            case DnsProbe.NOT_FOUND_EXIT_CODE -> "not found";
            case -1 -> "exec did not complete";
            case 127 -> "getent not found in the container";
            default -> "lookup failed";
        };
        return host + " did not resolve (exit " + exitCode + ", " + reason + ")" + (error.isEmpty() ? "" : ": " + error);
    }
}
