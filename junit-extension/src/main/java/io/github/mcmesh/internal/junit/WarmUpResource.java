package io.github.mcmesh.internal.junit;

import io.github.mcmesh.internal.provision.ClientWarmUp;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link ClientWarmUp} kept in the root store from the condition to the first class's warm
 * check, closed by JUnit at the end of the run (or at once when the class is skipped), so no
 * client built ahead outlives the run.
 *
 * <pre>{@code
 * rootStore.getOrComputeIfAbsent(WarmUpResource.key(spec), key -> new WarmUpResource(backend.warmUp(spec)), WarmUpResource.class);
 * }</pre>
 */
// JUnit closes AutoCloseable store values from 5.13 on, CloseableResource ones before (see SharedMesh)
@SuppressWarnings("deprecation")
public final class WarmUpResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final ClientWarmUp warmUp;

    public WarmUpResource(ClientWarmUp warmUp) {
        this.warmUp = warmUp;
    }

    /** The root store key of a mesh's warm-up. */
    public static String key(io.github.mcmesh.spec.MeshSpec spec) {
        return "client warm-up " + spec.identity();
    }

    public ClientWarmUp warmUp() {
        return warmUp;
    }

    @Override
    public void close() {
        warmUp.close();
    }
}
