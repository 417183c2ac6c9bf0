package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.spec.MeshSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The wait for CoreDNS's pod IP after connecting is bounded by {@code mcmesh.timeout.coredns.ready}. */
class CoreDnsTimeoutTest {

    private static final String WEST = "mcmesh-west";

    @TempDir
    Path tmp;

    private MeshFixture fixture;

    @AfterEach
    void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // far below the 10-minute command timeout the poll waited on before
    void the_coredns_poll_gives_up_after_its_own_timeout_not_the_command_timeout() {
        // given: west's CoreDNS never gets an IP; commands may take 10 minutes, CoreDNS one second
        fixture = MeshFixture.create(tmp, MeshSpec.defaults());
        try (KubernetesClient west = fixture.client(WEST)) {
            west.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").delete();
        }
        MeshSpec spec = fixture.spec(b -> b.timeouts(fixture.spec().timeouts()
                .withCommand(Duration.ofMinutes(10)).withCoreDnsReady(Duration.ofSeconds(1))));

        // when / then
        assertThatThrownBy(() -> fixture.provisioner(spec).provision())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("[" + WEST + "]")
                .hasMessageContaining("no CoreDNS pod (kube-system, k8s-app=kube-dns) has an IP yet");
    }
}
