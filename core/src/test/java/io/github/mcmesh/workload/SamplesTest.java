package io.github.mcmesh.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.mcmesh.spec.Version;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void helloworld_matches_istios_sample_with_a_pinned_tag() {
        Workload v2 = Samples.helloworld("v2");

        assertThat(v2.name()).isEqualTo("helloworld-v2");
        Service service = (Service) v2.resources().get(0);
        assertThat(service.getMetadata().getName()).isEqualTo("helloworld");
        assertThat(service.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("app", "helloworld", "service", "helloworld"));
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(5000))
                .satisfies(port -> assertThat(port.getName()).isEqualTo("http"));
        Deployment deployment = v2.deployments().get(0);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app", "helloworld").containsEntry("version", "v2");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("helloworld");
            assertThat(c.getImage()).isEqualTo("registry.istio.io/release/examples-helloworld-v2:1.0");
            assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
            assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(5000);
        });
    }

    @Test
    void helloworld_comes_from_istios_registry_from_1_30_and_from_docker_hub_before_as_in_istios_samples() {
        // istio/istio samples/helloworld/helloworld.yaml: 1.29.6 docker.io/istio/..., 1.30.0 registry.istio.io/release/...
        assertThat(Samples.defaultImages(Version.parse("1.18.2"))).containsOnly(
                entry("helloworld-v1", "docker.io/istio/examples-helloworld-v1:1.0"),
                entry("helloworld-v2", "docker.io/istio/examples-helloworld-v2:1.0"),
                entry("sleep", "docker.io/curlimages/curl:8.16.0"),
                entry("curl", "docker.io/curlimages/curl:8.16.0"));
        assertThat(Samples.defaultImages(Version.parse("1.29.6")).get("helloworld-v1"))
                .isEqualTo("docker.io/istio/examples-helloworld-v1:1.0");
        assertThat(Samples.defaultImages(Version.parse("1.30.0"))).containsOnly(
                entry("helloworld-v1", "registry.istio.io/release/examples-helloworld-v1:1.0"),
                entry("helloworld-v2", "registry.istio.io/release/examples-helloworld-v2:1.0"),
                entry("sleep", "docker.io/curlimages/curl:8.16.0"),
                entry("curl", "docker.io/curlimages/curl:8.16.0"));
        assertThat(Samples.defaultImages(Version.parse("1.30.3"))).isEqualTo(Samples.DEFAULT_IMAGES);
    }

    @Test
    void sleep_runs_pinned_curl_sleeping_forever_and_stops_at_once() {
        Workload sleep = Samples.sleep();

        assertThat(sleep.resources()).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .containsExactly("ServiceAccount/sleep", "Service/sleep", "Deployment/sleep");
        var pod = sleep.deployments().get(0).getSpec().getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isZero();
        assertThat(pod.getServiceAccountName()).isEqualTo("sleep");
        assertThat(pod.getContainers().get(0).getCommand()).containsExactly("/bin/sleep", "infinity");
        assertThat(sleep.images()).containsExactly("docker.io/curlimages/curl:8.16.0");
        assertThat(Samples.curl().deployments().get(0).getSpec().getTemplate().getSpec().getVolumes().get(0)
                .getSecret().getSecretName()).isEqualTo("curl-secret");
    }

    @Test
    void dns_proxying_can_be_turned_off_per_workload_with_istios_proxy_config_annotation() {
        // when
        Workload sleep = Samples.sleep().withoutDnsProxying();

        // then
        assertThat(sleep.deployments().get(0).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsExactly(java.util.Map.entry("proxy.istio.io/config", """
                        proxyMetadata:
                          ISTIO_META_DNS_CAPTURE: "false"
                        """));
        assertThat(Samples.sleep().deployments().get(0).getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey("proxy.istio.io/config");
    }

    @Test
    void images_can_be_overridden_without_touching_the_original() {
        Workload original = Samples.sleep();

        Workload mirrored = original.withImage("mirror.example.com/curl:8.16.0");

        assertThat(mirrored.images()).containsExactly("mirror.example.com/curl:8.16.0");
        assertThat(original.images()).containsExactly(Samples.CURL_IMAGE);
    }

    @Test
    void image_and_dns_proxying_overrides_reach_statefulset_pods_too() {
        // given a team's workload with a StatefulSet beside a Deployment
        Workload ledger = new Workload("ledger", List.of(
                new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withNewMetadata().withName("ledger").endMetadata()
                        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("ledger")
                        .withImage("registry.local/ledger:dev").endContainer().endSpec().endTemplate().endSpec().build(),
                Samples.sleep().deployments().get(0)));

        // when
        Workload mirrored = ledger.withImage("mirror.example.com/ledger:1.0").withoutDnsProxying();

        // then
        assertThat(ledger.images()).containsExactly("registry.local/ledger:dev", Samples.CURL_IMAGE);
        assertThat(mirrored.images()).containsExactly("mirror.example.com/ledger:1.0", "mirror.example.com/ledger:1.0");
        assertThat(mirrored.statefulSets().get(0).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("proxy.istio.io/config");
        assertThat(mirrored.deployments().get(0).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("proxy.istio.io/config");
        assertThat(ledger.statefulSets().get(0).getSpec().getTemplate().getMetadata()).isNull();
    }

    @Test
    void service_only_keeps_just_the_services() {
        assertThat(Samples.helloworld("v1").serviceOnly().resources()).singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("Service"));
        assertThat(Samples.helloworldService().deployments()).isEmpty();
    }

    @Test
    void rejects_a_helloworld_version_without_an_image() {
        assertThatThrownBy(() -> Samples.helloworld("v3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("helloworld version 'v3' has no published image; use one of [v1, v2], or "
                        + "helloworld(version, image) with an image of your own");
    }
}
