package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.ResolveAssert;
import io.github.mcmesh.internal.probe.DnsObservation;
import io.github.mcmesh.internal.probe.SourcePod;
import java.time.Duration;

/**
 * One lookup round of a {@link ResolveAssert}.
 *
 * <pre>{@code
 * DnsRound round = ...;
 * round.lookup().addresses();   // [10.255.20.17]
 * }</pre>
 *
 * @param source the pod the lookup ran in
 * @param number the round's number, from 1
 * @param elapsed time since the assertion started
 * @param lookup what the lookup saw
 */
public record DnsRound(SourcePod source, int number, Duration elapsed, DnsObservation lookup) {

    /** The round's evidence as failure messages show it. */
    @Override
    public String toString() {
        return Evidence.of(this);
    }
}
