package io.github.mcmesh.internal.provision;

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
        docker.createNetwork("mcmesh", Cidr.parse("192.168.200.0/24"), Map.of("io.github.mcmesh.creation-id", "abc-123"));

        // then
        assertThat(fakes.invocations()).last().asString().endsWith(" --label=name.minikube.sigs.k8s.io=mcmesh"
                + " --label=io.github.mcmesh.creation-id=abc-123 mcmesh");
        assertThat(docker.networkLabels("mcmesh")).contains(Map.of("created_by.minikube.sigs.k8s.io", "true",
                "name.minikube.sigs.k8s.io", "mcmesh", "io.github.mcmesh.creation-id", "abc-123"));
        assertThat(docker.networkLabels("elsewhere")).isEmpty();
    }

    @Test
    void a_network_made_by_hand_without_labels_has_none() {
        // given: docker network create --subnet=192.168.200.0/24 mcmesh
        FakeTools fakes = FakeTools.install(temp);
        fakes.runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.DOCKER, "network", "create",
                "--subnet=192.168.200.0/24", "mcmesh"));

        // when / then
        assertThat(docker(fakes).networkLabels("mcmesh")).contains(Map.of());
    }

    private static Docker docker(FakeTools fakes) {
        return new Docker(fakes.runner(), Duration.ofSeconds(10));
    }

    private static void engine(FakeTools fakes, String version) {
        try {
            java.nio.file.Files.createDirectories(fakes.stateDirectory().resolve("docker"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fakes.steer("docker/version", version);
    }

    @Test
    void creates_the_network_as_minikube_does_with_gateway_mtu_option_and_labels() {
        // given the default bridge's MTU of 1500 (moby daemon_unix.go puts it into the bridge's options)
        FakeTools fakes = FakeTools.install(temp);

        // when
        docker(fakes).createNetwork("mcmesh", io.github.mcmesh.spec.Cidr.parse("192.168.200.0/24"));

        // then (minikube network_create.go tryCreateDockerNetwork)
        assertThat(fakes.invocations()).containsExactly("docker network inspect bridge",
                "docker network create --driver=bridge --subnet=192.168.200.0/24 --gateway=192.168.200.1 -o --ip-masq"
                        + " -o --icc -o com.docker.network.driver.mtu=1500 --label=created_by.minikube.sigs.k8s.io=true"
                        + " --label=name.minikube.sigs.k8s.io=mcmesh mcmesh");
        assertThat(docker(fakes).network("mcmesh")).hasValue(new Docker.Network(
                io.github.mcmesh.spec.Cidr.parse("192.168.200.0/24"), java.util.Optional.of("192.168.200.1")));
    }

    @Test
    void further_labels_follow_minikubes_and_a_bridge_without_mtu_option_gives_none() {
        // given a default bridge without the MTU option (minikube then creates the network without it)
        FakeTools fakes = FakeTools.install(temp);
        engine(fakes, "28.5.2");
        fakes.steer("docker/bridge-mtu", "");

        // when
        docker(fakes).createNetwork("mcmesh", io.github.mcmesh.spec.Cidr.parse("192.168.200.0/24"), java.util.Map.of("x.example/id", "42"));

        // then
        assertThat(fakes.invocations()).last().isEqualTo("docker network create --driver=bridge --subnet=192.168.200.0/24"
                + " --gateway=192.168.200.1 -o --ip-masq -o --icc --label=created_by.minikube.sigs.k8s.io=true"
                + " --label=name.minikube.sigs.k8s.io=mcmesh --label=x.example/id=42 mcmesh");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"27.5.1, false", "28.5.2, false", "29.0.0, true"})
    void a_network_created_with_subnet_alone_reports_a_gateway_only_from_docker_29(String engine, boolean reported) {
        // given a network made by hand: docker network create --subnet=192.168.200.0/24 mcmesh
        FakeTools fakes = FakeTools.install(temp);
        engine(fakes, engine);
        fakes.runner().run(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.DOCKER, "network", "create",
                "--subnet=192.168.200.0/24", "mcmesh"));

        // when
        var network = docker(fakes).network("mcmesh");

        // then (moby v28.5.2 / docker-v29.0.0 daemon/network.go buildIPAMResources)
        assertThat(network).hasValueSatisfying(n -> assertThat(n.gateway().isPresent()).isEqualTo(reported));
        assertThat(docker(fakes).network("other")).isEmpty();
    }

    @Test
    void the_fake_rejects_network_create_flags_docker_does_not_have() {
        FakeTools fakes = FakeTools.install(temp);

        var result = fakes.runner().runAllowingFailure(io.github.mcmesh.internal.exec.Command.of(io.github.mcmesh.internal.exec.Tool.DOCKER,
                "network", "create", "--mtu=1500", "mcmesh"));

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.stderr()).contains("unknown flag: --mtu").contains("See 'docker network create --help'.");
    }
}
