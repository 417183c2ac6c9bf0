package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubeAccessTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            // as client-go writes it (minikube, kind, kubectl config set-context)
            """
            apiVersion: v1
            clusters:
            - cluster:
                server: https://192.168.200.2:8443
              name: mcmesh-east
            contexts:
            - context:
                cluster: mcmesh-east
                namespace: default
                user: mcmesh-east
              name: mcmesh-east
            - context:
                cluster: kind-dev
                user: kind-dev
              name: "kind-dev"
            current-context: kind-dev
            kind: Config
            preferences: {}
            users:
            - name: mcmesh-east
              user:
                client-certificate: /home/me/.minikube/profiles/mcmesh-east/client.crt
            """,
            // JSON is YAML too
            """
            {"apiVersion": "v1", "kind": "Config", "clusters": [{"name": "c", "cluster": {"server": "https://10.0.0.1"}}],
             "contexts": [{"name": "mcmesh-west", "context": {"cluster": "c", "user": "u", "extensions": [{"name": "x",
             "extension": {"name": "not-a-context"}}]}}], "users": [{"name": "u", "user": {"token": "t"}}]}
            """,
            // flow style, quoted names, and a name before its context
            """
            kind: Config
            contexts: [{name: 'east', context: {cluster: c, user: u}}, {name: "west", context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "https://10.0.0.1"}}]
            users: [{name: u, user: {token: t}}]
            """,
            // no contexts at all
            """
            apiVersion: v1
            kind: Config
            contexts: null
            """,
            """
            apiVersion: v1
            kind: Config
            contexts: []
            clusters: []
            """
    })
    void reads_the_context_names_fabric8_reads(String kubeconfig) throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("kubeconfig"), kubeconfig);

        // when
        Optional<Set<String>> names = KubeAccess.contextNames(file);

        // then
        List<NamedContext> fabric8 = KubeConfigUtils.parseConfig(file.toFile()).getContexts();
        assertThat(names).contains(fabric8 == null ? Set.of()
                : fabric8.stream().map(NamedContext::getName).collect(Collectors.toSet()));
    }

    @Test
    void a_file_it_cannot_read_as_a_kubeconfig_is_left_to_fabric8s_parse() throws IOException {
        // given
        Path broken = Files.writeString(dir.resolve("broken"), "contexts:\n- name: east\n  context: {cluster: [\n");
        Path list = Files.writeString(dir.resolve("list"), "- name: east\n");
        Path contextsMap = Files.writeString(dir.resolve("map"), "contexts:\n  east: {}\n");

        // when / then
        assertThat(KubeAccess.contextNames(broken)).isEmpty();
        assertThat(KubeAccess.contextNames(list)).isEmpty();
        assertThat(KubeAccess.contextNames(contextsMap)).isEmpty();
        assertThat(KubeAccess.lacksContext(List.of(broken), "west")).isFalse();
    }

    @Test
    void a_context_is_lacking_only_when_no_file_of_the_merged_kubeconfig_lists_it() throws IOException {
        // given: KUBECONFIG=first:second:missing, as fabric8 merges them
        Path first = Files.writeString(dir.resolve("first"), "contexts:\n- name: kind-dev\n  context: {cluster: c, user: u}\n");
        Path second = Files.writeString(dir.resolve("second"), "contexts:\n- name: mcmesh-east\n  context: {cluster: c, user: u}\n");
        List<Path> files = List.of(first, second, dir.resolve("missing"));

        // when / then
        assertThat(KubeAccess.lacksContext(files, "mcmesh-east")).isFalse();
        assertThat(KubeAccess.lacksContext(files, "mcmesh-west")).isTrue();
        assertThat(KubeAccess.config(Optional.of(first), "mcmesh-east")).isEmpty();
        assertThat(KubeAccess.config(Optional.of(second), "mcmesh-east")).isPresent();
    }
}
