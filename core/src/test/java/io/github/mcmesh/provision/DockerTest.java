package io.github.mcmesh.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.spec.Cidr;
import io.github.mcmesh.testing.FakeTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerTest {

    @TempDir
    Path temp;

    @Test
    void a_running_engine_has_no_problem() {
        // given
        FakeTools fakes = FakeTools.install(temp);

        // when
        var problem = new Docker(fakes.runner(), Duration.ofSeconds(10)).engineProblem();

        // then
        assertThat(problem).isEmpty();
        assertThat(fakes.invocations()).containsExactly("docker version --format {{.Server.Version}}");
    }

    @Test
    void a_client_without_a_daemon_reports_what_docker_said() {
        // given only the docker client, as on a machine without a Docker engine
        FakeTools fakes = FakeTools.install(temp);
        fakes.steer("docker-engine-down", "");

        // when
        var problem = new Docker(fakes.runner(), Duration.ofSeconds(10)).engineProblem();

        // then
        assertThat(problem).contains("Cannot connect to the Docker daemon at unix:///var/run/docker.sock."
                + " Is the docker daemon running?");
    }

    @Test
    void a_network_created_with_a_label_shows_it_in_inspect_and_a_missing_network_has_no_labels() {
        // given
        FakeTools fakes = FakeTools.install(temp);
        Docker docker = new Docker(fakes.runner(), Duration.ofSeconds(10));

        // when
        docker.createNetwork("mcmesh", Cidr.parse("192.168.200.0/24"), "io.github.mcmesh.creation-id=abc-123");

        // then
        assertThat(fakes.invocations()).contains(
                "docker network create --driver=bridge --subnet=192.168.200.0/24 --label=io.github.mcmesh.creation-id=abc-123 mcmesh");
        assertThat(docker.networkLabels("mcmesh")).contains(Map.of("io.github.mcmesh.creation-id", "abc-123"));
        assertThat(docker.networkLabels("elsewhere")).isEmpty();
    }

    @Test
    void a_network_created_without_labels_has_none() {
        // given
        FakeTools fakes = FakeTools.install(temp);
        Docker docker = new Docker(fakes.runner(), Duration.ofSeconds(10));

        // when
        docker.createNetwork("mcmesh", Cidr.parse("192.168.200.0/24"));

        // then
        assertThat(docker.networkLabels("mcmesh")).contains(Map.of());
    }
}
