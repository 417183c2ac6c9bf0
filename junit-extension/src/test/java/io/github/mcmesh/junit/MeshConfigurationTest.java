package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcmesh.internal.junit.MeshConfiguration;
import io.github.mcmesh.spec.CleanupPolicy;
import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.InvalidMeshSpecException;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.Provider;
import io.github.mcmesh.spec.ReusePolicy;
import io.github.mcmesh.spec.TrustMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshConfigurationTest {

    @Test
    void the_environment_beats_configuration_parameters_which_beat_the_annotation() {
        // given
        Map<String, String> parameters = Map.of("mcmesh.istio.version", "1.30.2", "mcmesh.reuse", "never");
        Map<String, String> environment = Map.of("MCMESH_ISTIO_VERSION", "1.30.1");
        ConfigSource overrides = MeshConfiguration.overrides(key -> Optional.ofNullable(parameters.get(key)), environment,
                key -> null, Map.of());

        // when
        MeshSpec spec = MeshConfiguration.specFor(WriteUp.class, annotationOf(WriteUp.class), overrides);

        // then
        assertThat(spec.istioVersion()).hasToString("1.30.1");
        assertThat(spec.reuse()).isEqualTo(ReusePolicy.NEVER);
        assertThat(spec.trust()).isEqualTo(TrustMode.PLAINTEXT);
    }

    @Test
    void names_junit_platform_properties_system_properties_and_launcher_parameters_apart() {
        // given JUnit's configuration parameters, which hold all three layers
        Map<String, String> parameters = Map.of("mcmesh.istio.version", "1.30.2", "mcmesh.reuse", "never",
                "mcmesh.cpus", "3");
        Map<String, String> systemProperties = Map.of("mcmesh.reuse", "never", "mcmesh.cpus", "4");
        Map<String, String> propertiesFile = Map.of("mcmesh.istio.version", "1.30.2", "mcmesh.cpus", "3");

        // when
        ConfigSource overrides = MeshConfiguration.overrides(key -> Optional.ofNullable(parameters.get(key)), Map.of(),
                systemProperties::get, propertiesFile);

        // then
        assertThat(overrides.lookup("mcmesh.istio.version").orElseThrow().origin()).isEqualTo("junit-platform.properties");
        assertThat(overrides.lookup("mcmesh.reuse").orElseThrow().origin()).isEqualTo("system property -Dmcmesh.reuse");
        // JUnit answered 3 over the system property's 4, so the launcher set it; JUnit does not say which layer it
        // read, and with the file holding the same value the file is named, where the user would look first
        assertThat(overrides.lookup("mcmesh.cpus").orElseThrow().origin()).isEqualTo("junit-platform.properties");
        assertThat(MeshConfiguration.overrides(key -> Optional.of("2"), Map.of(), key -> null, Map.of())
                .lookup("mcmesh.cpus").orElseThrow().origin())
                .isEqualTo("JUnit launcher configuration parameter mcmesh.cpus");
    }

    @Test
    void a_bad_annotation_attribute_is_named_with_its_class() {
        // when
        Throwable thrown = catchThrowable(() -> MeshConfiguration.specFor(BadAnnotation.class, annotationOf(BadAnnotation.class), ConfigSource.empty()));
        assertThat(thrown).isInstanceOf(InvalidMeshSpecException.class);
        InvalidMeshSpecException e = (InvalidMeshSpecException) thrown;

        // then
        assertThat(e.problems()).extracting(InvalidMeshSpecException.Problem::toString).containsExactly(
                "mcmesh.istio.version = '1.30' (set by annotation attribute @MultiClusterMesh(istioVersion=...) on "
                        + BadAnnotation.class.getName() + "): not a version of the form major.minor.patch; e.g. 1.30.3",
                "clusters[east].podCidr = '10.10.0.1/16' (set by annotation attribute @MultiClusterMesh(clusters=...) on "
                        + BadAnnotation.class.getName() + "): host bits are set; write the range as 10.10.0.0/16");
    }

    @Test
    void region_and_zone_come_from_the_cluster_annotation_and_a_bad_one_is_named_with_its_class() {
        // when
        MeshSpec spec = MeshConfiguration.specFor(Localities.class, annotationOf(Localities.class), ConfigSource.empty());
        Throwable thrown = catchThrowable(() -> MeshConfiguration.specFor(BadLocality.class, annotationOf(BadLocality.class),
                ConfigSource.empty()));

        // then
        assertThat(spec.cluster("east").orElseThrow().region()).isEqualTo("eu-west");
        assertThat(spec.cluster("east").orElseThrow().zone()).isEqualTo("eu-west-b");
        assertThat(spec.cluster("west").orElseThrow().zone()).isEqualTo("west-a");
        assertThat(((InvalidMeshSpecException) thrown).problems()).extracting(InvalidMeshSpecException.Problem::toString)
                .containsExactly("clusters[east].zone = 'eu west' (set by annotation attribute @MultiClusterMesh(clusters=...) on "
                        + BadLocality.class.getName() + "): it becomes the node label value of topology.kubernetes.io/zone,"
                        + " so it must be 1 to 63 characters: letters, digits, '-', '_' and '.', starting and ending with a"
                        + " letter or digit, e.g. eu-west-b");
    }

    @Test
    void a_bad_value_from_the_environment_names_the_variable_over_the_annotation() {
        // given
        ConfigSource overrides = MeshConfiguration.overrides(key -> Optional.empty(), Map.of("MCMESH_MEMORY", "1024"),
                key -> null, Map.of());

        // when
        Throwable thrown = catchThrowable(() -> MeshConfiguration.specFor(Defaults.class, annotationOf(Defaults.class), overrides));
        assertThat(thrown).isInstanceOf(InvalidMeshSpecException.class);
        InvalidMeshSpecException e = (InvalidMeshSpecException) thrown;

        // then
        assertThat(e).hasMessage("Invalid mesh specification: mcmesh.memory = '1024' (set by environment variable"
                + " MCMESH_MEMORY): minikube needs at least 1800 MB per cluster, and Istio more; use 4096");
    }

    @Test
    void rejects_unknown_environment_variables_and_properties_file_entries_and_misspelled_system_properties() {
        // when
        MeshConfiguration.NameCheck check = MeshConfiguration.checkNames(
                Map.of("MCMESH_REQUIRETOOLS", "true", "MCMESH_ISTIO_VERSION", "1.30.3", "PATH", "/usr/bin"),
                List.of("mcmesh.istio.verison", "mcmesh.e2e.excludedGroups", "mcmesh.reuse", "java.home"),
                Map.of("mcmesh.reuse.policy", "never", "mcmesh.require.tools", "true"));

        // then
        assertThat(check.error()).contains(String.join(System.lineSeparator(),
                "mcmesh does not know these 3 settings and would ignore them; nothing has run yet:",
                "  - environment variable MCMESH_REQUIRETOOLS: did you mean MCMESH_REQUIRE_TOOLS?",
                "  - junit-platform.properties: mcmesh.reuse.policy: did you mean mcmesh.reuse?",
                "  - system property -Dmcmesh.istio.verison: did you mean mcmesh.istio.version?",
                "Every setting is listed in io.github.mcmesh.spec.MeshProperties and in the extension's README (Settings)."));
        assertThat(check.warnings()).containsExactly("mcmesh ignores system property -Dmcmesh.e2e.excludedGroups: no mcmesh"
                + " setting has a name close to it, so it is taken for the build's own");
    }

    @Test
    void accepts_every_known_name_and_warns_about_the_deprecated_one() {
        // when
        MeshConfiguration.NameCheck check = MeshConfiguration.checkNames(Map.of("MCMESH_REQUIRE_TOOLS", "true"),
                List.of("mcmesh.requireTools", "mcmesh.junit.backend"), Map.of("mcmesh.istio.version", "1.30.3"));

        // then
        assertThat(check.error()).isEmpty();
        assertThat(check.warnings()).containsExactly("mcmesh.requireTools is deprecated and still read; rename it"
                + " mcmesh.require.tools");
    }

    @Test
    void reads_require_tools_under_its_name_and_its_deprecated_one() {
        assertThat(MeshConfiguration.requireTools(ConfigSource.of("p", Map.of("mcmesh.require.tools", "true")))).isTrue();
        assertThat(MeshConfiguration.requireTools(ConfigSource.of("p", Map.of("mcmesh.requireTools", "true")))).isTrue();
        assertThat(MeshConfiguration.requireTools(ConfigSource.of("p", Map.of("mcmesh.require.tools", "false",
                "mcmesh.requireTools", "true")))).isFalse();
        assertThat(MeshConfiguration.requireTools(ConfigSource.environment(Map.of("MCMESH_REQUIRE_TOOLS", "true")))).isTrue();
        assertThat(MeshConfiguration.requireTools(ConfigSource.empty())).isFalse();
    }

    @Test
    void applies_every_annotation_attribute() {
        // when
        MeshSpec spec = MeshConfiguration.specFor(WriteUp.class, annotationOf(WriteUp.class), ConfigSource.empty());

        // then
        assertThat(spec.clusterNames()).containsExactly("minikube", "test");
        assertThat(spec.cluster("minikube").orElseThrow().podCidr()).hasToString("10.10.0.0/16");
        assertThat(spec.cluster("test").orElseThrow().podCidr()).hasToString("10.20.0.0/16");
        assertThat(spec.cluster("test").orElseThrow().serviceCidr()).hasToString("10.255.21.0/24");
        assertThat(spec.kubernetesVersion()).hasToString("1.34.0");
        assertThat(spec.istioVersion()).hasToString("1.29.0");
        assertThat(spec.provider()).isEqualTo(Provider.MINIKUBE);
        assertThat(spec.driver()).isEqualTo("kvm2");
        assertThat(spec.trust()).isEqualTo(TrustMode.PLAINTEXT);
        assertThat(spec.dnsProxying()).isFalse();
        assertThat(spec.reuse()).isEqualTo(ReusePolicy.REQUIRED);
        assertThat(spec.cleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
        assertThat(spec.namespaceCleanup()).isEqualTo(CleanupPolicy.NEVER);
        assertThat(List.of(spec.timeouts().clusterStart(), spec.timeouts().istioInstall(), spec.timeouts().meshReady()))
                .containsOnly(Duration.ofMinutes(20));
    }

    @Test
    void leaves_the_specification_defaults_for_attributes_not_set() {
        // when
        MeshSpec spec = MeshConfiguration.specFor(Defaults.class, annotationOf(Defaults.class), ConfigSource.empty());

        // then
        assertThat(spec).isEqualTo(MeshSpec.defaults());
    }

    @Test
    void given_a_network_per_cluster_annotation_when_read_then_each_cluster_gets_its_network_and_plaintext_is_refused() {
        // when
        MeshSpec spec = MeshConfiguration.specFor(TwoNetworks.class, annotationOf(TwoNetworks.class), ConfigSource.empty());
        Throwable plaintext = catchThrowable(() -> MeshConfiguration.specFor(TwoNetworks.class, annotationOf(TwoNetworks.class),
                ConfigSource.of("the test", java.util.Map.of("mcmesh.trust", "PLAINTEXT"))));

        // then
        assertThat(spec.clusters()).extracting(io.github.mcmesh.spec.ClusterSpec::network)
                .containsExactly("net-east", "net-west");
        assertThat(plaintext).hasMessageContaining("mcmesh.trust = 'PLAINTEXT' (set by")
                .hasMessageContaining("the clusters are on different networks (east: net-east, west: net-west, @Cluster(network))");
    }

    @Test
    void the_annotation_enums_offer_exactly_the_specification_values() {
        assertThat(namesWithoutDefault(MultiClusterMesh.Provider.values())).isEqualTo(names(Provider.values()));
        assertThat(namesWithoutDefault(MultiClusterMesh.Trust.values())).isEqualTo(names(TrustMode.values()));
        assertThat(namesWithoutDefault(MultiClusterMesh.Reuse.values())).isEqualTo(names(ReusePolicy.values()));
        assertThat(namesWithoutDefault(MultiClusterMesh.Cleanup.values())).containsExactlyInAnyOrderElementsOf(
                names(CleanupPolicy.values()));
    }

    private static MultiClusterMesh annotationOf(Class<?> testClass) {
        return testClass.getAnnotation(MultiClusterMesh.class);
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static List<String> namesWithoutDefault(Enum<?>[] values) {
        return names(values).stream().filter(name -> !name.equals("DEFAULT")).toList();
    }

    @MultiClusterMesh(clusters = {@Cluster(name = "minikube"), @Cluster(name = "test", serviceCidr = "10.255.21.0/24")},
            kubernetesVersion = "v1.34.0", istioVersion = "1.29.0", provider = MultiClusterMesh.Provider.MINIKUBE,
            driver = "kvm2", trust = MultiClusterMesh.Trust.PLAINTEXT, dnsProxying = MultiClusterMesh.Toggle.OFF,
            reuse = MultiClusterMesh.Reuse.REQUIRED, cleanup = MultiClusterMesh.Cleanup.ON_SUCCESS,
            namespaceCleanup = MultiClusterMesh.Cleanup.NEVER, timeout = "20m")
    static class WriteUp {
    }

    @MultiClusterMesh(clusters = {@Cluster(name = "east", network = "net-east"), @Cluster(name = "west", network = "net-west")})
    static class TwoNetworks {
    }

    @MultiClusterMesh
    static class Defaults {
    }

    @MultiClusterMesh(clusters = {@Cluster(name = "east", podCidr = "10.10.0.1/16"), @Cluster(name = "west")},
            istioVersion = "1.30")
    static class BadAnnotation {
    }

    @MultiClusterMesh(clusters = {@Cluster(name = "east", region = "eu-west", zone = "eu-west-b"), @Cluster(name = "west")})
    static class Localities {
    }

    @MultiClusterMesh(clusters = {@Cluster(name = "east", zone = "eu west"), @Cluster(name = "west")})
    static class BadLocality {
    }
}
