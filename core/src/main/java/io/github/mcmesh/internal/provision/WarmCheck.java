package io.github.mcmesh.internal.provision;

import io.github.mcmesh.spec.ReusePolicy;
import java.util.Optional;

/**
 * One JVM's way to a mesh in two turns, for a caller that checks under a shared lock and
 * provisions under an exclusive one: {@link #reuseIfReady()} reads only; when it finds nothing to
 * reuse, {@link #provision()} takes over the clients it opened and what it read, re-reading what
 * may have changed in between. The check owns its clients until it hands them on (to the reused
 * mesh, or to provisioning, which closes them when it fails); {@link #close()} closes those it still owns.
 *
 * <pre>{@code
 * try (WarmCheck check = IstioLayers.provisioner(MeshSpec.defaults()).warmCheck()) {
 *     ProvisionedMesh mesh = check.reuseIfReady().orElseGet(check::provision);
 * }
 * }</pre>
 */
public final class WarmCheck implements AutoCloseable {

    private final MeshProvisioner provisioner;
    private final ProvisioningContext context;
    private boolean handedOn;

    WarmCheck(MeshProvisioner provisioner, ProvisioningContext context) {
        this.provisioner = provisioner;
        this.context = context;
    }

    /**
     * The mesh when it can be used as it is (it owns the clients from then on); empty when it needs
     * {@link #provision()} (always under {@link ReusePolicy#NEVER}, without reading anything).
     */
    public synchronized Optional<ProvisionedMesh> reuseIfReady() {
        requireNotHandedOn();
        if (context.spec().reuse() == ReusePolicy.NEVER) {
            return Optional.empty();
        }
        Optional<ProvisionedMesh> warm = provisioner.reuseIfReady(context);
        handedOn = warm.isPresent();
        return warm;
    }

    /**
     * Provisions with what the check observed; the check owns nothing afterwards, whether it succeeds or fails.
     *
     * @throws io.github.mcmesh.ProvisioningException as {@link MeshProvisioner#provision()}
     */
    public synchronized ProvisionedMesh provision() {
        requireNotHandedOn();
        handedOn = true;
        return provisioner.provision(context);
    }

    /** Closes the clients nobody took over; after a hand-on, does nothing. */
    @Override
    public synchronized void close() {
        if (!handedOn) {
            handedOn = true;
            context.closeClients();
        }
    }

    /** The context this check observes into (tests look at its clients). */
    ProvisioningContext context() {
        return context;
    }

    private void requireNotHandedOn() {
        if (handedOn) {
            throw new IllegalStateException("this warm check already handed its clients on (or was closed)");
        }
    }
}
