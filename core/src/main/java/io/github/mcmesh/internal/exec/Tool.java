package io.github.mcmesh.internal.exec;

/**
 * The external tools mcmesh drives, with what each is needed for and where to get it.
 *
 * <pre>{@code
 * Path minikube = tools.path(Tool.MINIKUBE);
 * }</pre>
 */
public enum Tool {
    MINIKUBE("minikube", "1.37.0", "https://minikube.sigs.k8s.io/docs/start/"),
    HELM("helm", "3.12.0", "https://helm.sh/docs/intro/install/"),
    ISTIOCTL("istioctl", "the Istio version of the mesh", "https://istio.io/latest/docs/setup/additional-setup/download-istio-release/"),
    DOCKER("docker", "20.10", "https://docs.docker.com/engine/install/");

    private final String executableName;
    private final String minimumVersion;
    private final String installHint;

    Tool(String executableName, String minimumVersion, String installHint) {
        this.executableName = executableName;
        this.minimumVersion = minimumVersion;
        this.installHint = installHint;
    }

    /** The executable's file name, e.g. {@code minikube}. */
    public String executableName() {
        return executableName;
    }

    /** The oldest version mcmesh is known to work with. */
    public String minimumVersion() {
        return minimumVersion;
    }

    /** Where to get it. */
    public String installHint() {
        return installHint;
    }
}
