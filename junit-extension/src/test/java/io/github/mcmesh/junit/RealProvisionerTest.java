package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import io.github.mcmesh.testing.FakeTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension with core's {@code MeshProvisioner}, created the production way
 * ({@code IstioLayers.provisioner}), and the fake tools: its failure reaches the classes, once.
 * A successful provisioning through the extension is {@link FixtureProvisioningTest}'s.
 */
class RealProvisionerTest {

    private static final String KUBECONFIG_PROPERTY = io.fabric8.kubernetes.client.Config.KUBERNETES_KUBECONFIG_FILE;

    @TempDir
    Path root;

    private String kubeconfigBefore;

    /** Keeps the provisioner away from the developer's own clusters: fabric8 reads this before KUBECONFIG and ~/.kube. */
    @BeforeEach
    void point_the_default_kubeconfig_at_an_empty_file() throws IOException {
        kubeconfigBefore = System.getProperty(KUBECONFIG_PROPERTY);
        System.setProperty(KUBECONFIG_PROPERTY, Files.createFile(root.resolve("kubeconfig")).toString());
    }

    @AfterEach
    void restore_the_kubeconfig() {
        if (kubeconfigBefore == null) {
            System.clearProperty(KUBECONFIG_PROPERTY);
        } else {
            System.setProperty(KUBECONFIG_PROPERTY, kubeconfigBefore);
        }
    }

    @Test
    void runs_the_provisioner_and_fails_the_classes_with_its_error_once() {
        // given
        FakeTools fakes = FakeTools.install(root);
        fakes.steer("fail-minikube-start", "80\nX Exiting due to GUEST_PROVISION: error provisioning guest");

        // when
        EngineExecutionResults results = MeshTestKit.in(root.resolve("state")).withRealProvisioner()
                .with(MeshProperties.TOOLS_PATH, fakes.binDirectory().toString())
                .run(FirstClass.class, SecondClass.class);

        // then
        Throwable failure = failureOf(results, FirstClass.class);
        assertThat(failure).isInstanceOf(MeshUnavailableException.class)
                .hasMessageStartingWith("Mesh mcmesh-east+mcmesh-west@mesh1 could not be provisioned: ");
        assertThat(causeChainText(failure)).contains("minikube start -p mcmesh-", "GUEST_PROVISION");
        assertThat(failure.getCause()).isInstanceOf(ProvisioningException.class);
        assertThat(failureOf(results, SecondClass.class).getCause()).isSameAs(failure.getCause());
        // one attempt for both classes: at most one start per cluster (the failure of one may stop the other's before it runs)
        assertThat(fakes.invocationsOf("minikube").stream().filter(line -> line.startsWith("minikube start ")))
                .hasSizeBetween(1, 2).doesNotHaveDuplicates();
    }

    private static String causeChainText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FirstClass {
        @Test
        void runs() {
        }
    }

    static class SecondClass extends FirstClass {
    }
}
