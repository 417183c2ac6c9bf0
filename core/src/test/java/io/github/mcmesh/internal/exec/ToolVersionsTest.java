package io.github.mcmesh.internal.exec;

import static io.github.mcmesh.internal.exec.Scripts.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcmesh.spec.ToolPaths;
import io.github.mcmesh.spec.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolVersionsTest {

    // minikube cmd/minikube/cmd/version.go: json.Marshal of {"minikubeVersion", "commit"}, keys sorted
    private static final String MINIKUBE_JSON = "{\"commit\":\"c93a4cb9311efc66b90d33ea03f75f2c4120e9b0\",\"minikubeVersion\":\"v1.38.1\"}\n";
    // istio pkg/version/cobra.go: json.MarshalIndent(&version, "", "  ") with --remote=false
    private static final String ISTIOCTL_JSON = """
            {
              "clientVersion": {
                "version": "1.30.3",
                "revision": "8f2bb1a0b4e0c8e6e2b9d3a3b0b8a4f1f6a5d2c7",
                "golang_version": "go1.25.6",
                "status": "Clean",
                "tag": "1.30.3"
              }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void reads_the_minikube_version_from_its_json() {
        assertThat(ToolVersions.parseMinikube(MINIKUBE_JSON)).isEqualTo(Version.parse("1.38.1"));
    }

    @Test
    void reads_a_minikube_pre_release() {
        Version version = ToolVersions.parseMinikube("{\"commit\":\"abc\",\"minikubeVersion\":\"v1.38.0-beta.0\"}");
        assertThat(version.toString()).isEqualTo("1.38.0-beta.0");
    }

    @Test
    void reads_helm_3_and_helm_4_short_versions_without_the_build_metadata() {
        // helm pkg/cmd/version.go formatVersion(short): "%s+g%s" with 7 characters of the commit
        assertThat(ToolVersions.parseHelm("v3.17.0+g301108e\n").toString()).isEqualTo("3.17.0");
        assertThat(ToolVersions.parseHelm("v4.0.0+g99cd196\n").toString()).isEqualTo("4.0.0");
        // a build without a commit prints only the version
        assertThat(ToolVersions.parseHelm("v3.12.3\n").toString()).isEqualTo("3.12.3");
        assertThat(ToolVersions.parseHelm("v4.1.0-rc.1+g1234567").toString()).isEqualTo("4.1.0-rc.1");
    }

    @Test
    void reads_the_istioctl_client_version() {
        assertThat(ToolVersions.parseIstioctl(ISTIOCTL_JSON)).isEqualTo(Version.parse("1.30.3"));
        assertThat(ToolVersions.parseIstioctl("{\"clientVersion\":{\"version\":\"1.18.2\",\"revision\":\"x\"}}"))
                .isEqualTo(Version.parse("1.18.2"));
    }

    @Test
    void runs_each_version_command_once_with_the_real_flags_and_caches_the_answer() throws IOException {
        // given tools that record their arguments
        Path calls = temp.resolve("calls.log");
        ToolPaths paths = ToolPaths.onPath()
                .withMinikube(script(temp, "minikube", "echo \"minikube $*\" >> " + calls + "; printf '%s' '" + MINIKUBE_JSON + "'"))
                .withHelm(script(temp, "helm", "echo \"helm $*\" >> " + calls + "; echo v4.0.0+g99cd196"))
                .withIstioctl(script(temp, "istioctl", "echo \"istioctl $*\" >> " + calls + "; cat <<'JSON'\n" + ISTIOCTL_JSON + "JSON"));
        ToolVersions versions = new ToolVersions(runner(paths));
        // when
        for (int i = 0; i < 2; i++) {
            assertThat(versions.minikube()).isEqualTo(Version.parse("1.38.1"));
            assertThat(versions.helm()).isEqualTo(Version.parse("4.0.0"));
            assertThat(versions.istioctl()).isEqualTo(Version.parse("1.30.3"));
        }
        // then
        assertThat(Files.readAllLines(calls)).containsExactly(
                "minikube version -o json", "helm version --short", "istioctl version --remote=false -o json");
    }

    @Test
    void a_prefetched_probe_starts_before_it_is_asked_and_is_not_run_again() throws IOException {
        // given a helm that answers only once the gate file exists
        Path calls = temp.resolve("calls.log");
        Path gate = temp.resolve("gate");
        ToolPaths paths = ToolPaths.onPath().withHelm(script(temp, "helm", "echo \"helm $*\" >> " + calls
                + "; while [ ! -f " + gate + " ]; do sleep 0.05; done; echo v4.0.0+g99cd196"));
        ToolVersions versions = new ToolVersions(runner(paths));
        // when
        versions.prefetch(List.of(Tool.HELM, Tool.DOCKER));
        // then it runs before anyone asks
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(calls));
        Files.createFile(gate);
        assertThat(versions.helm()).isEqualTo(Version.parse("4.0.0"));
        assertThat(versions.helm()).isEqualTo(Version.parse("4.0.0"));
        assertThat(Files.readAllLines(calls)).containsExactly("helm version --short");
    }

    @Test
    void a_prefetched_probe_that_failed_is_run_again_when_asked() throws IOException {
        // given a helm that fails its first call only
        Path calls = temp.resolve("calls.log");
        ToolPaths paths = ToolPaths.onPath().withHelm(script(temp, "helm", "echo \"helm $*\" >> " + calls
                + "; if [ $(wc -l < " + calls + ") -eq 1 ]; then echo 'Error: transient' >&2; exit 1; fi; echo v3.19.0+g3d8990f"));
        ToolVersions versions = new ToolVersions(runner(paths));
        versions.prefetch(List.of(Tool.HELM));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(calls));
        // when
        Version helm = versions.helm();
        // then
        assertThat(helm).isEqualTo(Version.parse("3.19.0"));
        assertThat(Files.readAllLines(calls)).containsExactly("helm version --short", "helm version --short");
    }

    @Test
    void output_that_is_no_version_fails_naming_the_command_and_the_output() {
        // given a development build of istioctl
        ToolPaths paths = ToolPaths.onPath()
                .withIstioctl(script(temp, "istioctl", "echo '{\"clientVersion\":{\"version\":\"1.31-alpha.8f2bb1a\"}}'"));
        ToolVersions versions = new ToolVersions(runner(paths));
        // when / then
        assertThatThrownBy(versions::istioctl)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll("Cannot read the version of istioctl", "'1.31-alpha.8f2bb1a' is not a version",
                        "command: istioctl version --remote=false -o json",
                        "output: {\"clientVersion\":{\"version\":\"1.31-alpha.8f2bb1a\"}}");
    }

    @Test
    void output_without_json_fails_naming_the_command_and_the_output() {
        // given a minikube too old for -o json on version
        ToolPaths paths = ToolPaths.onPath().withMinikube(script(temp, "minikube", "echo 'minikube version: v1.2.0'"));
        ToolVersions versions = new ToolVersions(runner(paths));
        // when / then
        assertThatThrownBy(versions::minikube)
                .hasMessageContainingAll("Cannot read the version of minikube: no JSON object in the output",
                        "command: minikube version -o json", "output: minikube version: v1.2.0");
    }

    @Test
    void json_without_the_version_field_fails_naming_the_field() {
        assertThatThrownBy(() -> ToolVersions.parseMinikube("{\"commit\":\"abc\"}"))
                .hasMessageContaining("no text field \"minikubeVersion\"");
        assertThatThrownBy(() -> ToolVersions.parseIstioctl("{\"meshVersion\":[]}"))
                .hasMessageContaining("no text field \"version\"");
    }

    private static CommandRunner runner(ToolPaths paths) {
        return new ProcessCommandRunner(new Tools(paths), Map.of("PATH", "/usr/bin:/bin"), new Redactor(), Duration.ofSeconds(10));
    }
}
