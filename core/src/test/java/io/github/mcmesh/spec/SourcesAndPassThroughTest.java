package io.github.mcmesh.spec;

import static io.github.mcmesh.spec.Rejections.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.internal.spec.SpecFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesAndPassThroughTest {

    @Test
    void rejects_a_pass_through_flag_that_contradicts_one_mcmesh_sets() {
        assertThat(messageOf(MeshSpec.builder().passThrough(PassThrough.none()
                .withMinikubeStartArgs(List.of("--disk-size=30g", "--kubernetes-version=v1.30.0", "--docker-opt=bip=10.1.1.1/24")))))
                .contains("mcmesh.minikube.args = '--kubernetes-version=v1.30.0' (set by MeshSpec.Builder.passThrough(...)):"
                        + " contradicts mcmesh.kubernetes.version, which mcmesh passes as --kubernetes-version itself; set"
                        + " mcmesh.kubernetes.version instead")
                .contains("mcmesh.minikube.args = '--docker-opt=bip=10.1.1.1/24' (set by MeshSpec.Builder.passThrough(...)):"
                        + " contradicts @Cluster(bridge), which mcmesh passes as --docker-opt itself; set @Cluster(bridge)"
                        + " instead")
                .doesNotContain("--disk-size");
    }

    @Test
    void rejects_a_pass_through_argument_that_is_not_a_flag() {
        assertThat(messageOf(MeshSpec.builder().passThrough(PassThrough.none().withMinikubeStartArgs(List.of("30g")))))
                .contains("mcmesh.minikube.args = '30g' (set by MeshSpec.Builder.passThrough(...)): pass flags as"
                        + " --flag=value, e.g. --disk-size=30g");
    }

    @Test
    void rejects_a_helm_value_that_contradicts_one_mcmesh_sets_or_is_malformed() {
        assertThat(messageOf(MeshSpec.builder().passThrough(PassThrough.none()
                .withHelmValues(List.of("global.meshID=other", "noequals", "pilot.env.PILOT_ENABLE_IP_AUTOALLOCATE=true")))))
                .contains("mcmesh.helm.values = 'global.meshID=other' (set by MeshSpec.Builder.passThrough(...)):"
                        + " contradicts"
                        + " mcmesh.mesh.id, which mcmesh sets as global.meshID itself; set mcmesh.mesh.id instead")
                .contains("mcmesh.helm.values = 'noequals' (set by MeshSpec.Builder.passThrough(...)): a Helm value is"
                        + " key=value")
                .doesNotContain("PILOT_ENABLE_IP_AUTOALLOCATE");
    }

    @Test
    void rejects_a_missing_values_file(@TempDir Path dir) {
        assertThat(messageOf(MeshSpec.builder().passThrough(PassThrough.none()
                .withHelmValuesFiles(List.of(dir.resolve("absent.yaml"))))))
                .contains("mcmesh.helm.values.files = '" + dir.resolve("absent.yaml")
                        + "' (set by MeshSpec.Builder.passThrough(...)): no readable file there; give the path of a"
                        + " Helm values file");
    }

    @Test
    void rejects_malformed_mirrors_and_mirrors_without_dockerd() {
        assertThat(messageOf(MeshSpec.builder().sources(Sources.defaults().withRegistryMirrors(List.of("mirror.example.com")))))
                .contains("mcmesh.registry.mirrors = 'mirror.example.com' (set by MeshSpec.Builder.sources(...)): a"
                        + " registry mirror is a URL such as https://mirror.example.com");
        assertThat(messageOf(MeshSpec.builder().containerRuntime("containerd")
                .sources(Sources.defaults().withRegistryMirrors(List.of("https://mirror.example.com")))))
                .contains("minikube passes registry mirrors to dockerd only, not to 'containerd'");
        assertThat(messageOf(MeshSpec.builder().sources(Sources.defaults().withImageMirrorCountry("China"))))
                .contains("mcmesh.image.mirror.country = 'China' (set by MeshSpec.Builder.sources(...)): minikube knows only the image mirror countries");
    }

    @Test
    void rejects_image_mirror_countries_minikube_does_not_know_naming_the_property() {
        // minikube's constants.go ImageRepositories has "global" and "cn" only; others exit 40 (INET_REPO)
        assertThat(messageOf(MeshSpec.builder().sources(Sources.defaults().withImageMirrorCountry("de"))))
                .isEqualTo("Invalid mesh specification: mcmesh.image.mirror.country = 'de' (set by MeshSpec.Builder.sources(...)): minikube knows only the image"
                        + " mirror countries [cn, global] (cn: registry.cn-hangzhou.aliyuncs.com/google_containers); set"
                        + " mcmesh.image.mirror.country=cn, or remove it and set mcmesh.image.repository to your mirror");
    }

    @Test
    void accepts_the_image_mirror_countries_minikube_knows_in_any_case() {
        for (String country : List.of("cn", "CN", "global")) {
            assertThat(MeshSpec.builder().sources(Sources.defaults().withImageMirrorCountry(country)).build()
                    .sources().imageMirrorCountry()).contains(country);
        }
    }

    @Test
    void rejects_a_chart_directory_without_istio_charts(@TempDir Path dir) {
        assertThat(messageOf(MeshSpec.builder().sources(Sources.defaults().withIstioCharts(dir.toString()))))
                .contains("mcmesh.istio.charts ="
                        + " '" + dir + "' (set by MeshSpec.Builder.sources(...)): no Istio charts there (neither"
                        + " [base, istio-control/istio-discovery] nor manifests/charts/[base, istio-control/istio-discovery]"
                        + " with a Chart.yaml); give an https:// or oci:// chart repository, an unpacked Istio release"
                        + " (istio-<version>) or its manifests/charts directory");
    }

    @Test
    void accepts_an_unpacked_release_chart_directory(@TempDir Path dir) throws IOException {
        // given the layout of istio-<version>/manifests/charts
        Files.createDirectories(dir.resolve("base"));
        Files.writeString(dir.resolve("base/Chart.yaml"), "name: base\n");
        Files.createDirectories(dir.resolve("istio-control/istio-discovery"));
        Files.writeString(dir.resolve("istio-control/istio-discovery/Chart.yaml"), "name: istiod\n");

        // when
        MeshSpec spec = MeshSpec.builder().sources(Sources.defaults().withIstioCharts(dir.toString())).build();

        // then
        assertThat(SpecFacts.chartsFromRepository(spec.sources())).isFalse();
    }

    @Test
    void accepts_an_unpacked_release_root_as_well_as_its_chart_directory(@TempDir Path release) throws IOException {
        // given istio-<version>/manifests/charts/{base,istio-control/istio-discovery}
        Path charts = release.resolve("manifests/charts");
        Files.createDirectories(charts.resolve("base"));
        Files.writeString(charts.resolve("base/Chart.yaml"), "name: base\n");
        Files.createDirectories(charts.resolve("istio-control/istio-discovery"));
        Files.writeString(charts.resolve("istio-control/istio-discovery/Chart.yaml"), "name: istiod\n");

        // when
        MeshSpec fromRoot = MeshSpec.builder().sources(Sources.defaults().withIstioCharts(release.toString())).build();

        // then both forms resolve to the same charts directory
        assertThat(SpecFacts.localChartsDirectory(Path.of(fromRoot.sources().istioCharts()))).contains(charts);
        assertThat(SpecFacts.localChartsDirectory(charts)).contains(charts);
        assertThat(SpecFacts.localChartsDirectory(release.resolve("manifests"))).isEmpty();
    }

    @Test
    void rejects_unknown_sample_images() {
        assertThat(messageOf(MeshSpec.builder().sources(Sources.defaults().withSampleImages(Map.of("nginx", "nginx:1")))))
                .contains("mcmesh.sample.images = 'nginx=nginx:1' (set by MeshSpec.Builder.sources(...)): no sample"
                        + " named 'nginx'; use one of"
                        + " [helloworld-v1, helloworld-v2, sleep, curl]");
    }

    @Test
    void mirrors_and_pass_through_flags_are_node_level_drift_and_helm_values_are_istio_drift() {
        // given
        Fingerprint recorded = Fingerprint.of(MeshSpec.defaults());

        // when
        Fingerprint requested = Fingerprint.of(MeshSpec.builder()
                .sources(Sources.defaults().withRegistryMirrors(List.of("https://mirror.example.com")))
                .passThrough(PassThrough.none().withHelmValues(List.of("pilot.traceSampling=1.0"))).build());

        // then
        assertThat(requested.changesFrom(recorded)).extracting(Fingerprint.Change::field, Fingerprint.Change::isNodeLevel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("registryMirrors", true),
                        org.assertj.core.groups.Tuple.tuple("helmValues", false));
    }

    @Test
    void reads_lists_and_pairs_from_properties() {
        // given
        ConfigSource source = ConfigSource.of("system property", Map.of(
                MeshProperties.REGISTRY_MIRRORS, "https://a.example.com, https://b.example.com",
                MeshProperties.SAMPLE_IMAGES, "sleep=registry.example.com/curl:8.16.0,helloworld-v1=registry.example.com/hw:1.0",
                MeshProperties.PRELOAD_IMAGES, "true",
                MeshProperties.ISTIO_HUB, "registry.example.com/istio",
                MeshProperties.IMAGE_MIRROR_COUNTRY, "cn",
                MeshProperties.MINIKUBE_ARGS, "--disk-size=30g,--insecure-registry=10.0.0.0/24",
                MeshProperties.HELM_VALUES, "pilot.env.A=x\\,y,pilot.traceSampling=1.0"));

        // when
        MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), source).build();

        // then
        assertThat(spec.sources().registryMirrors()).containsExactly("https://a.example.com", "https://b.example.com");
        assertThat(spec.sources().sampleImages()).containsEntry("sleep", "registry.example.com/curl:8.16.0")
                .containsEntry("helloworld-v1", "registry.example.com/hw:1.0");
        assertThat(spec.sources().preloadImages()).isTrue();
        assertThat(spec.sources().istioHub()).contains("registry.example.com/istio");
        assertThat(spec.sources().imageMirrorCountry()).contains("cn");
        assertThat(spec.passThrough().minikubeStartArgs()).containsExactly("--disk-size=30g", "--insecure-registry=10.0.0.0/24");
        assertThat(spec.passThrough().helmValues()).containsExactly("pilot.env.A=x\\,y", "pilot.traceSampling=1.0");
    }

    @Test
    void reads_istio_image_preloading_from_its_property_off_by_default() {
        // given
        ConfigSource source = ConfigSource.of("system property", Map.of(MeshProperties.PRELOAD_ISTIO_IMAGES, "TRUE"));

        // when
        MeshSpec spec = MeshProperties.applyTo(MeshSpec.builder(), source).build();

        // then
        assertThat(spec.sources().preloadIstioImages()).isTrue();
        assertThat(spec.sources().preloadImages()).isFalse();
        assertThat(MeshSpec.defaults().sources().preloadIstioImages()).isFalse();
        assertThat(Sources.defaults().withPreloadIstioImages(true).withPreloadImages(true).preloadIstioImages()).isTrue();
    }

    @Test
    void rejects_an_istio_image_preloading_value_that_is_no_boolean_naming_the_property() {
        assertThat(catchThrowableOfType(InvalidMeshSpecException.class, () -> MeshProperties.applyTo(MeshSpec.builder(),
                ConfigSource.of("system property", Map.of(MeshProperties.PRELOAD_ISTIO_IMAGES, "yes")))))
                .hasMessageContaining("mcmesh.preload.istio.images = 'yes' (set by system property mcmesh.preload.istio.images):"
                        + " accepted: true, false");
    }

    @Test
    void rejects_malformed_sample_image_pairs() {
        assertThat(catchThrowableOfType(InvalidMeshSpecException.class, () -> MeshProperties.applyTo(MeshSpec.builder(),
                ConfigSource.of("system property", Map.of(MeshProperties.SAMPLE_IMAGES, "sleep")))))
                .hasMessageContaining("mcmesh.sample.images = 'sleep' (set by system property mcmesh.sample.images):"
                        + " accepted: comma-separated sample=image pairs");
    }
}
