package io.github.mcmesh.assertions;

import static io.github.mcmesh.internal.assertions.ShouldNotResolve.shouldNotResolve;
import static io.github.mcmesh.internal.assertions.ShouldResolve.shouldResolve;
import static io.github.mcmesh.internal.assertions.ShouldResolve.shouldResolveTo;

import io.github.mcmesh.internal.assertions.AssertionSettings;
import io.github.mcmesh.internal.assertions.DnsRound;
import io.github.mcmesh.internal.assertions.Poller;
import io.github.mcmesh.internal.assertions.Source;
import io.github.mcmesh.internal.assertions.Transcript;
import io.github.mcmesh.internal.probe.DnsObservation;
import io.github.mcmesh.internal.probe.DnsProbe;
import io.github.mcmesh.internal.probe.ProbeContainer;
import io.github.mcmesh.internal.probe.SourcePod;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Assertions on a {@link Lookup}: name lookups in a pod, one per round, converging like
 * {@link CallAssert}. Call-only settings ({@code calls(n)}, {@code callTimeout}) do not exist here:
 * a lookup is one {@code getent hosts} per round, within the default exec timeout of 5 s.
 *
 * <pre>{@code
 * assertThat(mesh).from("mcmesh-east", "sleep").resolving("helloworld").resolves();
 * assertThat(mesh).from("mcmesh-east", "sleep").resolving("helloworld").doesNotResolve(); // no DNS proxying
 * }</pre>
 */
public class ResolveAssert extends AbstractMeshAssert<ResolveAssert, Lookup> {

    ResolveAssert(Lookup lookup, AssertionSettings settings) {
        super(lookup, settings, ResolveAssert.class);
    }

    @Override
    ResolveAssert with(AssertionSettings changed) {
        return new ResolveAssert(actual, changed);
    }

    /** The name resolves to at least one address. */
    public ResolveAssert resolves() {
        return poll("resolving", round -> round.lookup().resolved() ? Optional.empty() : Optional.of(shouldResolve(round)));
    }

    /** The name resolves, and {@code address} is among its addresses. */
    public ResolveAssert resolvesTo(String address) {
        return poll("resolving to " + address, round -> round.lookup().addresses().contains(address) ? Optional.empty()
                : Optional.of(shouldResolveTo(round, address)));
    }

    /** The resolver answers that the name does not exist. */
    public ResolveAssert doesNotResolve() {
        return poll("not resolving", round -> round.lookup().notFound() ? Optional.empty()
                : Optional.of(shouldNotResolve(round)));
    }

    private ResolveAssert poll(String expectation, Function<DnsRound, Optional<ErrorMessageFactory>> verdict) {
        Transcript transcript = new Transcript();
        DnsProbe probe = new DnsProbe(settings.podExec(), settings.callTimeout());
        Source source = new Source(actual.cluster(), actual.workload());
        AtomicReference<SourcePod> pod = new AtomicReference<>();
        long start = settings.ticker().nanoTime();
        Poller.converge(info, actual, expectation, settings, transcript, number -> {
            SourcePod from = pod.updateAndGet(known -> known != null ? known : source.find(actual.mesh()));
            DnsObservation lookup = resolve(probe, from, pod);
            if (!from.inProbeContainer() && ProbeContainer.lacksBinary(lookup.exitCode(), lookup.error())) {
                from = source.probeContainer(actual.mesh(), from, "getent", lookup.exitCode(), lookup.error(),
                        settings.within(), transcript);
                pod.set(from);
                lookup = resolve(probe, from, pod);
            }
            transcript.record("round " + number + " " + from.cluster() + "/" + from.name() + " "
                    + String.join(" ", probe.command(actual.host())) + " -> " + lookup);
            return new DnsRound(from, number, settings.ticker().elapsedSince(start), lookup);
        }, verdict);
        return myself;
    }

    private DnsObservation resolve(DnsProbe probe, SourcePod from, AtomicReference<SourcePod> pod) {
        try {
            return probe.resolve(from, actual.host());
        } catch (RuntimeException e) {
            pod.set(null); // the pod may be gone: look it up again next round
            throw new AssertionError("Could not run the lookup in " + from + ": " + e.getMessage(), e);
        }
    }
}
