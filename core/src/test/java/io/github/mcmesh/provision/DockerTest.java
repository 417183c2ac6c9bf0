package io.github.mcmesh.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.testing.FakeTools;
import java.nio.file.Path;
import java.time.Duration;
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
}
