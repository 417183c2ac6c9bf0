package io.github.mcmesh.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshPropertiesTest {

    @Test
    @SuppressWarnings("deprecation") // the former name keeps its variable
    void names_environment_variables_after_properties() {
        assertThat(ConfigSource.environmentName(MeshProperties.ISTIO_VERSION)).isEqualTo("MCMESH_ISTIO_VERSION");
        assertThat(ConfigSource.environmentName(MeshProperties.REQUIRE_TOOLS)).isEqualTo("MCMESH_REQUIRE_TOOLS");
        assertThat(ConfigSource.environmentName(MeshProperties.REQUIRE_TOOLS_DEPRECATED_NAME)).isEqualTo("MCMESH_REQUIRE_TOOLS");
        assertThat(ConfigSource.environmentName(MeshProperties.TIMEOUT_CLUSTER_START)).isEqualTo("MCMESH_TIMEOUT_CLUSTER_START");
    }

    @Test
    void environment_beats_system_properties_beats_properties_file_beats_annotation() {
        // given the annotation's value in the builder, and three layers above it
        MeshSpec.Builder annotation = MeshSpec.builder().istioVersion("1.27.0").kubernetesVersion("1.33.0");
        ConfigSource file = ConfigSource.of("junit-platform.properties", Map.of(
                MeshProperties.ISTIO_VERSION, "1.28.0", MeshProperties.MESH_ID, "from-file", MeshProperties.CPUS, "3"));
        ConfigSource system = ConfigSource.of("system property", Map.of(
                MeshProperties.ISTIO_VERSION, "1.29.0", MeshProperties.MESH_ID, "from-system"));
        ConfigSource environment = ConfigSource.environment(Map.of("MCMESH_ISTIO_VERSION", "1.30.3"));

        // when
        MeshSpec spec = MeshProperties.applyTo(annotation, ConfigSource.firstOf(environment, system, file)).build();

        // then
        assertThat(spec.istioVersion()).hasToString("1.30.3");
        assertThat(spec.meshId()).isEqualTo("from-system");
        assertThat(spec.cpus()).isEqualTo(3);
        assertThat(spec.kubernetesVersion()).hasToString("1.33.0");
    }

    @Test
    void applies_every_property() {
        // given
        Map<String, String> values = Map.ofEntries(
                Map.entry(MeshProperties.PROVIDER, "existing"),
                Map.entry(MeshProperties.KUBERNETES_VERSION, "v1.34.2"),
                Map.entry(MeshProperties.ISTIO_VERSION, "1.29.0"),
                Map.entry(MeshProperties.DRIVER, "podman"),
                Map.entry(MeshProperties.CONTAINER_RUNTIME, "containerd"),
                Map.entry(MeshProperties.CNI, "calico"),
                Map.entry(MeshProperties.MEMORY, "6144"),
                Map.entry(MeshProperties.CPUS, "4"),
                Map.entry(MeshProperties.NODE_NETWORK, "lab"),
                Map.entry(MeshProperties.NODE_SUBNET, "192.168.210.0/24"),
                Map.entry(MeshProperties.MESH_ID, "mesh2"),
                Map.entry(MeshProperties.MESH_NETWORK, "network2"),
                Map.entry(MeshProperties.TRUST, "plaintext"),
                Map.entry(MeshProperties.DNS_PROXYING, "FALSE"),
                Map.entry(MeshProperties.REMOTE_SECRETS, "istioctl"),
                Map.entry(MeshProperties.ISTIOD_CPU, "250m"),
                Map.entry(MeshProperties.REUSE, "never"),
                Map.entry(MeshProperties.CLEANUP, "on-success"),
                Map.entry(MeshProperties.NAMESPACE_CLEANUP, "always"),
                Map.entry(MeshProperties.TIMEOUT_CLUSTER_START, "15m"),
                Map.entry(MeshProperties.TIMEOUT_ISTIO_INSTALL, "PT12M"),
                Map.entry(MeshProperties.TIMEOUT_MESH_READY, "90s"),
                Map.entry(MeshProperties.TIMEOUT_COMMAND, "1h"),
                Map.entry(MeshProperties.TIMEOUT_WORKLOAD_READY, "500ms"),
                Map.entry(MeshProperties.TIMEOUT_ASSERTION, "2m"),
                Map.entry(MeshProperties.TIMEOUT_NAMESPACE_DELETION, "3m"),
                Map.entry(MeshProperties.TIMEOUT_COREDNS_READY, "45s"),
                Map.entry(MeshProperties.TOOLS_MINIKUBE, "/opt/minikube"),
                Map.entry(MeshProperties.TOOLS_HELM, "/opt/helm"),
                Map.entry(MeshProperties.TOOLS_ISTIOCTL, "/opt/istioctl"),
                Map.entry(MeshProperties.TOOLS_DOCKER, "/opt/docker"),
                Map.entry(MeshProperties.TOOLS_PATH, "/opt/bin:/usr/bin"),
                Map.entry(MeshProperties.STATE_DIR, "/tmp/mcmesh-state"),
                Map.entry(MeshProperties.KUBECONFIG, "/tmp/kubeconfig"),
                Map.entry(MeshProperties.ALLOW_UNSUPPORTED_VERSIONS, "true"),
                Map.entry(MeshProperties.ADOPT_CLUSTERS, "true"));

        // when
        MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), ConfigSource.of("test", values)).build();

        // then
        assertThat(spec.provider()).isEqualTo(Provider.EXISTING);
        assertThat(spec.kubernetesVersion()).hasToString("1.34.2");
        assertThat(spec.istioVersion()).hasToString("1.29.0");
        assertThat(spec.driver()).isEqualTo("podman");
        assertThat(spec.containerRuntime()).isEqualTo("containerd");
        assertThat(spec.cni()).isEqualTo("calico");
        assertThat(spec.memoryMb()).isEqualTo(6144);
        assertThat(spec.cpus()).isEqualTo(4);
        assertThat(spec.nodeNetwork()).isEqualTo("lab");
        assertThat(spec.nodeSubnet()).hasToString("192.168.210.0/24");
        assertThat(spec.meshId()).isEqualTo("mesh2");
        assertThat(spec.networkName()).isEqualTo("network2");
        assertThat(spec.trust()).isEqualTo(TrustMode.PLAINTEXT);
        assertThat(spec.dnsProxying()).isFalse();
        assertThat(spec.remoteSecrets()).isEqualTo(RemoteSecretMode.ISTIOCTL);
        assertThat(spec.istiodCpu()).isEqualTo("250m");
        assertThat(spec.istiodMemory()).isEqualTo("512Mi");
        assertThat(spec.reuse()).isEqualTo(ReusePolicy.NEVER);
        assertThat(spec.cleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
        assertThat(spec.namespaceCleanup()).isEqualTo(CleanupPolicy.ALWAYS);
        assertThat(spec.timeouts()).isEqualTo(Timeouts.defaults().withClusterStart(Duration.ofMinutes(15))
                .withIstioInstall(Duration.ofMinutes(12)).withMeshReady(Duration.ofSeconds(90))
                .withCommand(Duration.ofHours(1)).withWorkloadReady(Duration.ofMillis(500))
                .withAssertion(Duration.ofMinutes(2)).withNamespaceDeletion(Duration.ofMinutes(3))
                .withCoreDnsReady(Duration.ofSeconds(45)));
        assertThat(spec.tools().minikube()).contains(Path.of("/opt/minikube"));
        assertThat(spec.tools().helm()).contains(Path.of("/opt/helm"));
        assertThat(spec.tools().istioctl()).contains(Path.of("/opt/istioctl"));
        assertThat(spec.tools().docker()).contains(Path.of("/opt/docker"));
        assertThat(spec.tools().searchPath()).contains("/opt/bin:/usr/bin");
        assertThat(spec.stateDirectory()).isEqualTo(Path.of("/tmp/mcmesh-state"));
        assertThat(spec.kubeconfig()).contains(Path.of("/tmp/kubeconfig"));
        assertThat(spec.allowUnsupportedVersions()).isTrue();
        assertThat(spec.adoptClusters()).isTrue();
    }

    @Test
    void rejects_an_unusable_state_directory_naming_the_property_the_value_its_origin_and_the_fix() {
        // given
        ConfigSource systemProperties = ConfigSource.of("system property", Map.of(MeshProperties.STATE_DIR, "/proc/mcmesh-state"));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshProperties.applyTo(MeshSpec.builder(), systemProperties));

        // then
        assertThat(e.getMessage()).startsWith("Invalid mesh specification: mcmesh.state.dir = '/proc/mcmesh-state': set by"
                        + " system property mcmesh.state.dir; mcmesh cannot create or write this directory (")
                .endsWith("); set mcmesh.state.dir to a directory this user can create and write (it holds locks, ownership"
                        + " records and CA keys), or leave it unset for ~/.mcmesh")
                .contains("/proc/mcmesh-state");
        assertThat(Path.of("/proc/mcmesh-state")).doesNotExist();
    }

    @Test
    void an_existing_state_directory_set_by_property_keeps_its_mode(@TempDir Path temp) throws Exception {
        // given a directory the user shares with others, e.g. -Dmcmesh.state.dir=/tmp
        Path shared = java.nio.file.Files.createDirectories(temp.resolve("shared"));
        java.nio.file.Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        ConfigSource properties = ConfigSource.of("test", Map.of(MeshProperties.STATE_DIR, shared.toString()));

        // when
        MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), properties).build();

        // then: mcmesh writes into it but does not take it over
        assertThat(spec.stateDirectory()).isEqualTo(shared);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(shared)))
                .isEqualTo("rwxrwxrwx");
        assertThat(shared).isEmptyDirectory();
    }

    @Test
    void a_state_directory_set_by_property_is_created_owner_only(@TempDir Path temp) throws Exception {
        // given
        Path state = temp.resolve("home/.mcmesh");
        ConfigSource properties = ConfigSource.of("test", Map.of(MeshProperties.STATE_DIR, state.toString()));

        // when
        MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), properties).build();

        // then
        assertThat(spec.stateDirectory()).isEqualTo(state);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(state)))
                .isEqualTo("rwx------");
        assertThat(state).isEmptyDirectory();
    }

    @Test
    void rejects_a_value_naming_the_property_its_origin_and_the_accepted_values() {
        // given
        ConfigSource environment = ConfigSource.environment(Map.of("MCMESH_REUSE", "sometimes"));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshProperties.applyTo(MeshSpec.builder(), environment));

        // then
        assertThat(e).hasMessage("Invalid mesh specification: mcmesh.reuse = 'sometimes' (set by environment"
                + " variable MCMESH_REUSE): accepted: if_healthy, never, required");
    }

    @Test
    void rejects_malformed_numbers_booleans_and_durations() {
        // given
        ConfigSource source = ConfigSource.of("system property", Map.of(
                MeshProperties.MEMORY, "4G", MeshProperties.DNS_PROXYING, "yes", MeshProperties.TIMEOUT_ASSERTION, "0s"));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshProperties.applyTo(MeshSpec.builder(), source));

        // then
        assertThat(e.getMessage())
                .contains("mcmesh.memory = '4G' (set by system property mcmesh.memory): accepted: a positive whole number"
                        + " (megabytes, e.g. 4096)")
                .contains("mcmesh.dns.proxying = 'yes' (set by system property mcmesh.dns.proxying): accepted: true, false")
                .contains("mcmesh.timeout.assertion = '0s' (set by system property mcmesh.timeout.assertion): accepted: a"
                        + " positive duration such as 500ms, 90s, 5m, 1h or PT5M");
    }

    @Test
    void validation_of_layered_values_names_the_spec_field() {
        // given
        ConfigSource environment = ConfigSource.environment(Map.of("MCMESH_ISTIO_VERSION", "1.18.2"));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshProperties.applyTo(MeshSpec.builder(), environment).build());

        // then the Kubernetes version it is checked against is named as the default it is
        assertThat(e).hasMessageStartingWith("Invalid mesh specification: mcmesh.kubernetes.version = 'v1.35.1' (the default;"
                + " not set anywhere): Istio 1.18.2 supports Kubernetes 1.24 - 1.27 only");
    }

    @Test
    void validation_names_the_environment_variable_that_set_a_value() {
        // given
        ConfigSource environment = ConfigSource.environment(Map.of("MCMESH_KUBERNETES_VERSION", "latest", "MCMESH_CPUS", "1"));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshProperties.applyTo(MeshSpec.builder(), environment).build());

        // then
        assertThat(e.problems()).extracting(InvalidMeshSpecException.Problem::toString).containsExactly(
                "mcmesh.kubernetes.version = 'latest' (set by environment variable MCMESH_KUBERNETES_VERSION): not a"
                        + " version of the form major.minor.patch; e.g. v1.35.1",
                "mcmesh.cpus = '1' (set by environment variable MCMESH_CPUS): minikube needs at least 2 CPUs per cluster;"
                        + " use 2");
    }

    @Test
    void a_property_over_a_builder_value_is_blamed_on_the_property_and_the_parts_it_left_on_the_builder() {
        // given a builder setting two timeouts to zero, and a property setting one of them again
        MeshSpec.Builder builder = MeshSpec.builder().timeouts(Timeouts.defaults()
                .withCommand(Duration.ZERO).withAssertion(Duration.ZERO));
        ConfigSource file = ConfigSource.of("junit-platform.properties", Map.of(MeshProperties.TIMEOUT_COMMAND, "1ms"));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class,
                () -> MeshProperties.applyTo(builder, file).memoryMb(1000).build());

        // then
        assertThat(e.problems()).extracting(InvalidMeshSpecException.Problem::toString).containsExactly(
                "mcmesh.memory = '1000' (set by MeshSpec.Builder.memoryMb(...)): minikube needs at least 1800 MB per"
                        + " cluster, and Istio more; use 4096",
                "mcmesh.timeout.assertion = 'PT0S' (set by MeshSpec.Builder.timeouts(...)): must be positive, e.g. 5m");
    }

    @Test
    void the_istiod_property_names_only_the_resource_it_set() {
        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class, () -> MeshProperties.applyTo(
                MeshSpec.builder().istiodResources("lots", "512Mi"),
                ConfigSource.of("system property", Map.of(MeshProperties.ISTIOD_MEMORY, "1 GB"))).build());

        // then
        assertThat(e.problems()).extracting(InvalidMeshSpecException.Problem::toString).containsExactly(
                "mcmesh.istiod.cpu = 'lots' (set by MeshSpec.Builder.istiodResources(...)): a Kubernetes quantity, e.g. 100m",
                "mcmesh.istiod.memory = '1 GB' (set by system property mcmesh.istiod.memory): a Kubernetes quantity,"
                        + " e.g. 512Mi");
    }

    @Test
    void knows_every_property_it_applies_and_the_old_require_tools_name() {
        assertThat(MeshProperties.names()).contains(MeshProperties.ISTIO_VERSION, MeshProperties.HELM_VALUES_FILES,
                MeshProperties.KUBECONFIG, MeshProperties.TIMEOUT_NAMESPACE_DELETION, MeshProperties.TIMEOUT_COREDNS_READY,
                MeshProperties.PRELOAD_ISTIO_IMAGES, "mcmesh.require.tools", "mcmesh.requireTools").hasSize(50);
    }

    @Test
    void knows_every_property_it_publishes_as_a_constant() throws IllegalAccessException {
        // given every public String constant of MeshProperties that names a property
        List<String> published = new ArrayList<>();
        for (Field field : MeshProperties.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && ((String) field.get(null)).startsWith("mcmesh.")) {
                published.add((String) field.get(null));
            }
        }
        // then the extension's unknown-setting check knows each one (mcmesh.adopt.clusters was missing once)
        assertThat(published).isNotEmpty();
        assertThat(MeshProperties.names()).containsAll(published);
    }

    @Test
    void reads_a_strict_boolean() {
        assertThat(MeshProperties.booleanValue(ConfigSource.of("p", Map.of(MeshProperties.REQUIRE_TOOLS, "true")),
                MeshProperties.REQUIRE_TOOLS)).contains(true);
        assertThat(MeshProperties.booleanValue(ConfigSource.empty(), MeshProperties.REQUIRE_TOOLS)).isEmpty();
        assertThat(catchThrowableOfType(InvalidMeshSpecException.class, () -> MeshProperties.booleanValue(
                ConfigSource.of("p", Map.of(MeshProperties.REQUIRE_TOOLS, "1")), MeshProperties.REQUIRE_TOOLS)))
                .hasMessageContaining("accepted: true, false");
    }
}
