package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.spec.PassThrough;
import io.github.mcmesh.spec.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images the istiod chart makes a cluster pull, as istio/istio 1.18.2 and 1.30.3 name them
 * ({@code istio-discovery/templates/deployment.yaml}, {@code pkg/kube/inject/inject.go ProxyImage}).
 */
class IstioImagesTest {

    @TempDir
    Path tmp;

    private static MeshSpec.Builder on1182() {
        return MeshSpec.builder().kubernetesVersion("1.26.8").istioVersion("1.18.2");
    }

    private static MeshSpec withValues(MeshSpec.Builder builder, String... values) {
        return builder.passThrough(PassThrough.none().withHelmValues(List.of(values))).build();
    }

    @Test
    void istio_1_30_charts_name_istios_own_registry_and_the_version_as_tag() {
        assertThat(IstioImages.of(MeshSpec.defaults()))
                .containsExactly("registry.istio.io/release/pilot:1.30.3", "registry.istio.io/release/proxyv2:1.30.3");
    }

    @Test
    void istio_1_29_and_older_charts_name_docker_hub() {
        assertThat(IstioImages.of(on1182().build()))
                .containsExactly("docker.io/istio/pilot:1.18.2", "docker.io/istio/proxyv2:1.18.2");
        assertThat(IstioImages.of(MeshSpec.builder().istioVersion("1.29.6").build()))
                .containsExactly("docker.io/istio/pilot:1.29.6", "docker.io/istio/proxyv2:1.29.6");
    }

    @Test
    void the_istio_hub_setting_replaces_the_hub_of_both() {
        MeshSpec spec = MeshSpec.builder().sources(Sources.defaults().withIstioHub("mirror.example.com/istio")).build();

        assertThat(IstioImages.of(spec)).containsExactly("mirror.example.com/istio/pilot:1.30.3", "mirror.example.com/istio/proxyv2:1.30.3");
    }

    @Test
    void the_distroless_variant_suffixes_both_tags() {
        assertThat(IstioImages.of(withValues(on1182(), "global.variant=distroless")))
                .containsExactly("docker.io/istio/pilot:1.18.2-distroless", "docker.io/istio/proxyv2:1.18.2-distroless");
    }

    @Test
    void the_sidecar_image_type_replaces_a_type_the_tag_has_and_default_drops_it_while_istiod_appends_it_as_written() {
        assertThat(IstioImages.of(withValues(MeshSpec.builder(), "global.tag=1.30.3-distroless", "global.variant=default")))
                .containsExactly("registry.istio.io/release/pilot:1.30.3-distroless-default",
                        "registry.istio.io/release/proxyv2:1.30.3");
        assertThat(IstioImages.of(withValues(MeshSpec.builder(), "global.tag=1.30.3-distroless", "global.proxy.variant=debug")))
                .containsExactly("registry.istio.io/release/pilot:1.30.3-distroless", "registry.istio.io/release/proxyv2:1.30.3-debug");
    }

    @Test
    void istiods_own_keys_sit_under_pilot_before_1_24_and_at_the_root_after() {
        assertThat(IstioImages.of(withValues(on1182(), "pilot.hub=registry.example.com/own", "pilot.tag=dev")))
                .containsExactly("registry.example.com/own/pilot:dev", "docker.io/istio/proxyv2:1.18.2");
        // the flattened chart reads "hub" and "tag"; "pilot.hub" is no key of it
        assertThat(IstioImages.of(withValues(MeshSpec.builder(), "pilot.hub=registry.example.com/ignored", "hub=registry.example.com/own",
                "tag=dev"))).containsExactly("registry.example.com/own/pilot:dev", "registry.istio.io/release/proxyv2:1.30.3");
    }

    @Test
    void an_image_with_a_slash_is_taken_as_it_is() {
        assertThat(IstioImages.of(withValues(MeshSpec.builder(), "image=registry.example.com/istio/pilot:patched",
                "global.proxy.image=registry.example.com/istio/proxyv2:patched")))
                .containsExactly("registry.example.com/istio/pilot:patched", "registry.example.com/istio/proxyv2:patched");
    }

    /** A chart directory in the layout of istio/istio {@code manifests/charts}, istiod's {@code values.yaml} as given. */
    private Path charts(String istiodValues) throws IOException {
        Path charts = tmp.resolve("istio/manifests/charts");
        Files.createDirectories(charts.resolve("base"));
        Files.writeString(charts.resolve("base/Chart.yaml"), "name: base\nversion: 1.0.0\n");
        Path istiod = Files.createDirectories(charts.resolve("istio-control/istio-discovery"));
        Files.writeString(istiod.resolve("Chart.yaml"), "name: istiod\nversion: 1.0.0\n");
        Files.writeString(istiod.resolve("values.yaml"), istiodValues);
        return tmp.resolve("istio");
    }

    @Test
    void a_flattened_source_checkouts_chart_names_its_testing_hub_and_tag_under_its_internal_defaults() throws IOException {
        // given the shape of istio-discovery/values.yaml at 1.30.3: every default under _internal_defaults_do_not_set
        Path checkout = charts("""
                _internal_defaults_do_not_set:
                  hub: ""
                  tag: ""
                  image: pilot
                  global:
                    hub: registry.istio.io/testing
                    tag: latest
                    variant: ""
                    proxy:
                      image: proxyv2
                """);

        // when
        List<String> images = IstioImages.of(MeshSpec.builder().sources(Sources.defaults().withIstioCharts(checkout.toString())).build());

        // then
        assertThat(images).containsExactly("registry.istio.io/testing/pilot:latest", "registry.istio.io/testing/proxyv2:latest");
    }

    @Test
    void a_local_charts_defaults_count_below_the_hub_setting_and_the_pass_through_values() throws IOException {
        // given the shape of istio-discovery/values.yaml at 1.18.2: pilot.* and global.* at the root
        Path release = charts("""
                pilot:
                  hub: ""
                  image: pilot
                global:
                  hub: docker.io/istio
                  tag: 1.18.2
                  proxy:
                    image: proxyv2
                """);
        MeshSpec spec = on1182().sources(Sources.defaults().withIstioCharts(release.toString()).withIstioHub("mirror.example.com/istio"))
                .passThrough(PassThrough.none().withHelmValues(List.of("global.tag=1.18.2-patched"))).build();

        // when / then
        assertThat(IstioImages.of(spec))
                .containsExactly("mirror.example.com/istio/pilot:1.18.2-patched", "mirror.example.com/istio/proxyv2:1.18.2-patched");
    }

    @Test
    void a_values_file_counts_below_the_set_values() throws IOException {
        Path file = Files.writeString(tmp.resolve("values.yaml"), "global:\n  hub: files.example.com/istio\n  tag: 1.30.3-file\n");
        MeshSpec spec = MeshSpec.builder().passThrough(PassThrough.none().withHelmValues(List.of("global.tag=1.30.3-set"))
                .withHelmValuesFiles(List.of(file))).build();

        assertThat(IstioImages.of(spec)).containsExactly("files.example.com/istio/pilot:1.30.3-set", "files.example.com/istio/proxyv2:1.30.3-set");
    }
}
