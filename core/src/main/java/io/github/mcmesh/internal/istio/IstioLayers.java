package io.github.mcmesh.internal.istio;

import io.github.mcmesh.internal.exec.CommandRunner;
import io.github.mcmesh.internal.probe.Fabric8PodExec;
import io.github.mcmesh.internal.probe.PodExec;
import io.github.mcmesh.internal.provision.IstioLayer;
import io.github.mcmesh.internal.provision.MeshProvisioner;
import io.github.mcmesh.internal.provision.Step;
import io.github.mcmesh.spec.MeshSpec;
import java.util.List;
import java.util.Map;

/**
 * The real {@link IstioLayer} (Helm releases, trust, remote secrets and health from the
 * {@link IstioInstaller}) and the provisioners wired with it. This package depends on
 * {@code internal.provision} (its {@code Step}, {@code ProvisioningContext}, {@code IstioLayer}
 * port), never the other way round, so this is where a real provisioner is put together; the pod
 * exec is made here once and carried by the provisioned mesh to whoever runs commands in its pods.
 *
 * <pre>{@code
 * try (ProvisionedMesh mesh = IstioLayers.provisioner(spec).provision()) {
 *     Mesh view = mesh.view("orders-it");
 * }
 * }</pre>
 */
public final class IstioLayers {

    private IstioLayers() {
    }

    /**
     * The provisioner for real clusters: tools located from {@link MeshSpec#tools()}, run with this
     * process's environment (HOME, KUBECONFIG, proxies), pod exec through the Kubernetes API.
     */
    public static MeshProvisioner provisioner(MeshSpec spec) {
        return provisioner(spec, MeshProvisioner.processRunner(spec), new Fabric8PodExec());
    }

    /** The provisioner for tests: commands through this runner, pod exec (Istio's health, the mesh's) through this seam. */
    public static MeshProvisioner provisioner(MeshSpec spec, CommandRunner runner, PodExec podExec) {
        return new MeshProvisioner(spec, runner, podExec, context -> of(new IstioInstaller(context, podExec)));
    }

    /** The real Istio layer: Helm releases, trust, remote secrets and health from the installer. */
    public static IstioLayer of(IstioInstaller installer) {
        return new IstioLayer() {
            private volatile MeshHealth last;

            @Override
            public List<Step> installSteps(String cluster) {
                return installer.installSteps(cluster);
            }

            @Override
            public List<Step> preflightSteps() {
                return installer.chartVersionSteps();
            }

            @Override
            public void prepare() {
                installer.prepare();
            }

            @Override
            public List<String> images() {
                return installer.images();
            }

            @Override
            public List<Step> remoteSecretSteps() {
                return installer.remoteSecretSteps();
            }

            @Override
            public Map<Step, List<Step>> remoteSecretPrerequisites(List<Step> remoteSecretSteps, Map<String, List<Step>> installSteps) {
                return installer.remoteSecretPrerequisites(remoteSecretSteps, installSteps);
            }

            @Override
            public boolean ready() {
                last = installer.health();
                return last.ready();
            }

            @Override
            public String describeHealth() {
                return String.valueOf(last != null ? last : installer.health());
            }

            @Override
            public void uninstall(String cluster) {
                installer.uninstall(cluster);
            }

            @Override
            public void deleteMeshState() {
                installer.deleteRootAuthority();
            }
        };
    }
}
