package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcmesh.ProvisioningException;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.spec.MeshSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rows of the tools matrix where minikube's and Docker's versions change what mcmesh must do:
 * minikube 1.37.0, 1.38.0 and 1.38.1 (the newest Kubernetes each knows: v1.34.0, v1.35.0,
 * v1.35.1) times Docker Engine 27, 28 and 29 (whether {@code docker network inspect} reports the
 * gateway of a network created with {@code --subnet} alone), through the version-modelling fakes.
 */
class ToolsMatrixTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> rows() {
        return Stream.of("v1.37.0", "v1.38.0", "v1.38.1")
                .flatMap(minikube -> Stream.of("27.5.1", "28.5.2", "29.0.0").map(docker -> Arguments.of(minikube, docker)));
    }

    /** The default spec, on Kubernetes v1.34.0 for minikube 1.37.0 (which knows no v1.35). */
    private static MeshSpec specFor(String minikube) {
        return minikube.equals("v1.37.0") ? MeshSpec.builder().kubernetesVersion("1.34.0").build() : MeshSpec.defaults();
    }

    private static MeshFixture fixture(Path tmp, String minikube, String docker) throws IOException {
        MeshFixture fixture = MeshFixture.create(tmp, specFor(minikube));
        Files.createDirectories(fixture.fakes().stateDirectory().resolve("minikube"));
        Files.createDirectories(fixture.fakes().stateDirectory().resolve("docker"));
        fixture.fakes().steer("minikube/version", minikube);
        fixture.fakes().steer("docker/version", docker);
        return fixture;
    }

    @ParameterizedTest(name = "minikube {0}, Docker {1}")
    @MethodSource("rows")
    void a_cold_start_gives_every_node_its_static_ip_offline(String minikube, String docker) throws IOException {
        try (MeshFixture fixture = fixture(tmp, minikube, docker)) {
            // when
            fixture.provisioner().provision().close();

            // then: the network has a gateway whatever the engine, so minikube used --network and --ip
            assertThat(fixture.fakes().invocations()).anyMatch(line -> line.startsWith(
                    "docker network create --driver=bridge --subnet=192.168.200.0/24 --gateway=192.168.200.1 "));
            try (var east = fixture.client("mcmesh-east"); var west = fixture.client("mcmesh-west")) {
                assertThat(List.of(KubeAccess.node(east).internalIp(), KubeAccess.node(west).internalIp()))
                        .containsExactly("192.168.200.2", "192.168.200.3");
            }
            // and only minikube 1.38.0 is forced: it knows v1.35.0, the spec asks for v1.35.1
            assertThat(fixture.fakes().invocationsOf("minikube")).filteredOn(line -> line.startsWith("minikube start"))
                    .hasSize(2).allMatch(line -> line.contains(" --force ") == minikube.equals("v1.38.0"));
        }
    }

    @ParameterizedTest(name = "minikube {0}, Docker {1}")
    @MethodSource("rows")
    void a_network_made_with_subnet_alone_is_refused_up_to_docker_28_and_used_from_29(String minikube, String docker)
            throws IOException {
        try (MeshFixture fixture = fixture(tmp, minikube, docker)) {
            // given
            fixture.runner().run(Command.of(Tool.DOCKER, "network", "create", "--subnet=192.168.200.0/24", "mcmesh"));

            if (docker.startsWith("29.")) {
                // when / then: Docker 29 reports the allocated gateway, minikube passes --network and --ip
                fixture.provisioner().provision().close();
                try (var west = fixture.client("mcmesh-west")) {
                    assertThat(KubeAccess.node(west).internalIp()).isEqualTo("192.168.200.3");
                }
            } else {
                // when / then: refused before any start
                assertThatThrownBy(() -> fixture.provisioner().provision()).isInstanceOf(ProvisioningException.class)
                        .hasMessageStartingWith("docker network 'mcmesh' (192.168.200.0/24) reports no gateway");
                assertThat(fixture.fakes().invocations()).noneMatch(line -> line.startsWith("minikube start"));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void minikube_1_37_0_refuses_the_default_kubernetes_before_any_start_naming_the_minikube_that_knows_it() throws IOException {
        try (MeshFixture fixture = MeshFixture.create(tmp, MeshSpec.defaults())) {
            // given minikube 1.37.0, whose newest Kubernetes is v1.34.0, and the default v1.35.1
            Files.createDirectories(fixture.fakes().stateDirectory().resolve("minikube"));
            fixture.fakes().steer("minikube/version", "v1.37.0");

            // when / then
            assertThatThrownBy(() -> fixture.provisioner().provision())
                    .hasMessage("minikube 1.37.0 is too old for Kubernetes v1.35.1 (it supports up to v1.34.0); install"
                            + " minikube 1.38.0 or newer from https://minikube.sigs.k8s.io/docs/start/, or set"
                            + " mcmesh.kubernetes.version (@MultiClusterMesh(kubernetesVersion)) to an older release");
            assertThat(fixture.fakes().invocations()).noneMatch(line -> line.startsWith("minikube start")
                    || line.startsWith("docker network create"));
        }
    }
}
