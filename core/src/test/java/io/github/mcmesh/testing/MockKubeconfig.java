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
        servers.forEach((name, server) -> yaml.append("- name: ").append(name).append("\n  cluster:\n    server: ")
                .append(serverUrl(server)).append('\n'));
        yaml.append("contexts:\n");
        servers.keySet().forEach(name -> yaml.append("- name: ").append(name).append("\n  context:\n    cluster: ")
                .append(name).append("\n    user: ").append(name).append('\n'));
        yaml.append("users:\n");
        servers.keySet().forEach(name -> yaml.append("- name: ").append(name).append("\n  user:\n    token: ")
                .append(token(name)).append('\n'));
        try {
            return Files.writeString(file, yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL a client reaches the mock server at, as its kubeconfig entry names it. */
    public static String serverUrl(KubernetesMockServer server) {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** The bearer token of the cluster's user in a mock kubeconfig (the mock servers accept any). */
    public static String token(String cluster) {
        return "test-token-" + cluster;
    }

    /**
     * Writes a kubeconfig as a user's machine has it before mcmesh starts a cluster: one context of the user's
     * own ({@code user-own}, current, on an address nothing listens at) and none of a mesh cluster.
     */
    public static Path writeUsersOwn(Path file) {
        try {
            return Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: user-own
                      cluster:
                        server: https://127.0.0.1:1
                    contexts:
                    - name: user-own
                      context:
                        cluster: user-own
                        user: user-own
                    current-context: user-own
                    users:
                    - name: user-own
                      user:
                        token: user-own-token
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
