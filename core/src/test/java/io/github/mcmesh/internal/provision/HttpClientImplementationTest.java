package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpClientImplementationTest {

    @Test
    void fabric8_finds_the_jdk_http_client_and_no_other() {
        // given core's dependencies (the mock servers of the tests add vert.x itself, but no client factory)
        // when fabric8 looks for HTTP client implementations as KubernetesClientBuilder does
        List<String> factories = ServiceLoader.load(HttpClient.Factory.class).stream().map(provider -> provider.type().getName())
                .toList();

        // then it has one to choose: no vert.x 5 client (nor its netty) on a user's classpath
        assertThat(factories).containsExactly("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
    }

    @Test
    void a_client_for_a_kube_context_talks_through_the_jdk_http_client(@TempDir Path directory) throws IOException {
        // given a kubeconfig with one context
        Path kubeconfig = Files.writeString(directory.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: east
                  cluster:
                    server: http://127.0.0.1:6443
                contexts:
                - name: east
                  context:
                    cluster: east
                    user: east
                users:
                - name: east
                  user:
                    token: test-token
                """);

        // when mcmesh makes its client
        try (KubernetesClient client = KubeAccess.client(Optional.of(kubeconfig), "east").orElseThrow()) {
            // then
            assertThat(client.getHttpClient().getClass().getName()).isEqualTo("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl");
        }
    }
}
