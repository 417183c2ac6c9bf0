package io.github.mcmesh.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A kubeconfig for mock API servers: one context per cluster, named after it, with a token user.
 *
 * <pre>{@code
 * Path kubeconfig = MockKubeconfig.write(Map.of("mcmesh-east", server), dir.resolve("kubeconfig"));
 * }</pre>
 */
public final class MockKubeconfig {

    private MockKubeconfig() {
    }

    /** Writes the kubeconfig of {@code servers} (cluster name to its server, in order) to {@code file}. */
    public static Path write(Map<String, KubernetesMockServer> servers, Path file) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        servers.forEach((name, server) -> yaml.append("- name: ").append(name).append("\n  cluster:\n    server: http://")
                .append(server.getHostName()).append(':').append(server.getPort()).append('\n'));
        yaml.append("contexts:\n");
        servers.keySet().forEach(name -> yaml.append("- name: ").append(name).append("\n  context:\n    cluster: ")
                .append(name).append("\n    user: ").append(name).append('\n'));
        yaml.append("users:\n");
        servers.keySet().forEach(name -> yaml.append("- name: ").append(name).append("\n  user:\n    token: test-token-")
                .append(name).append('\n'));
        try {
            return Files.writeString(file, yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
