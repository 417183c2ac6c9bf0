package io.github.mcmesh.assertions;

import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.DnsRound;
import io.github.mcmesh.internal.assertions.Poller;
import io.github.mcmesh.internal.assertions.Source;
import io.github.mcmesh.internal.assertions.Transcript;

import static io.github.mcmesh.internal.assertions.ShouldNotResolve.shouldNotResolve;
import static io.github.mcmesh.internal.assertions.ShouldResolve.shouldResolve;
import static io.github.mcmesh.internal.assertions.ShouldResolve.shouldResolveTo;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.probe.DnsObservation;
import io.github.mcmesh.internal.probe.DnsProbe;
import io.github.mcmesh.internal.probe.SourcePod;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Assertions on name lookups in a pod (one lookup per round, converging like {@link CallAssert}).
 *
 * <pre>{@code
 * assertThat(mesh).from("mcmesh-east", "sleep").resolving("helloworld").resolves();
 * assertThat(mesh).from("mcmesh-east", "sleep").resolving("helloworld").doesNotResolve(); // no DNS proxying
 * }</pre>
 */
public class ResolveAssert extends AbstractMeshAssert<ResolveAssert> {

    private final Source source;
    private final String host;

    ResolveAssert(Mesh mesh, AssertionSettings settings, Source source, String host) {
        super(mesh, settings, ResolveAssert.class);
        this.source = source;
        this.host = host;
    }

    @Override
    ResolveAssert with(AssertionSettings changed) {
        return new ResolveAssert(actual, changed, source, host);
    }

    /** The name resolves to at least one address. */
    public ResolveAssert resolves() {
        return check("resolving", round -> {
            if (!round.lookup().resolved()) {
                throwAssertionError(shouldResolve(round));
            }
        });
    }

    /** The name resolves, and {@code address} is among its addresses. */
    public ResolveAssert resolvesTo(String address) {
        return check("resolving to " + address, round -> {
            if (!round.lookup().addresses().contains(address)) {
                throwAssertionError(shouldResolveTo(round, address));
            }
        });
    }

    /** The resolver answers that the name does not exist. */
    public ResolveAssert doesNotResolve() {
        return check("not resolving", round -> {
            if (!round.lookup().notFound()) {
                throwAssertionError(shouldNotResolve(round));
            }
        });
    }

    private ResolveAssert check(String expectation, Consumer<DnsRound> check) {
        isNotNull();
        Transcript transcript = new Transcript();
        DnsProbe probe = new DnsProbe(settings.podExec(), settings.callTimeout());
        AtomicReference<SourcePod> pod = new AtomicReference<>();
        long start = settings.ticker().nanoTime();
        Poller.converge("lookups of " + host + " from " + source + " " + expectation, settings, transcript, number -> {
            SourcePod from = pod.updateAndGet(known -> known != null ? known : source.find(actual));
            DnsObservation lookup;
            try {
                lookup = probe.resolve(from, host);
            } catch (RuntimeException e) {
                pod.set(null); // the pod may be gone: look it up again next round
                throw new AssertionError("Could not run the lookup in " + from + ": " + e.getMessage(), e);
            }
            transcript.record("round " + number + " " + from.cluster() + "/" + from.name() + " "
                    + String.join(" ", probe.command(host)) + " -> " + lookup);
            return new DnsRound(from, number, settings.ticker().elapsedSince(start), lookup);
        }, check);
        return myself;
    }
}
