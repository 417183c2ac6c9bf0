package io.github.mcmesh.spec;

import static io.github.mcmesh.spec.Rejections.messageOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.spec.Fingerprint;
import io.github.mcmesh.internal.spec.SpecFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clusters on different Istio networks: the per-cluster network, its defaults and its validation. */
class MultiNetworkSpecTest {

    @TempDir
    Path temp;

    private static MeshSpec.Builder twoNetworks() {
        return MeshSpec.builder().cluster("east", c -> c.network("net-east")).cluster("west", c -> c.network("net-west"));
    }

    @Test
    void given_no_network_on_any_cluster_when_built_then_every_cluster_is_on_the_mesh_network() {
        // when
        MeshSpec spec = MeshSpec.builder().networkName("shared").clusters("east", "west").build();
        // then
        assertThat(spec.clusters()).extracting(ClusterSpec::network).containsExactly("shared", "shared");
        assertThat(SpecFacts.multiNetwork(spec)).isFalse();
    }

    @Test
    void given_a_network_per_cluster_when_built_then_each_cluster_keeps_its_own_and_the_mesh_is_multi_network() {
        // when
        MeshSpec spec = twoNetworks().build();
        // then
        assertThat(spec.clusters()).extracting(ClusterSpec::network).containsExactly("net-east", "net-west");
        assertThat(SpecFacts.multiNetwork(spec)).isTrue();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void given_one_cluster_naming_the_mesh_network_when_built_then_the_mesh_stays_on_one_network() {
        // when
        MeshSpec spec = MeshSpec.builder().cluster("east", c -> c.network("network1")).clusters("west").build();
        // then
        assertThat(SpecFacts.multiNetwork(spec)).isFalse();
    }

    @Test
    void rejects_plaintext_trust_on_different_networks_naming_both_settings_and_why() {
        assertThat(messageOf(twoNetworks().trust(TrustMode.PLAINTEXT)))
                .isEqualTo("Invalid mesh specification: mcmesh.trust = 'PLAINTEXT' (set by MeshSpec.Builder.trust(...)): the"
                        + " clusters are on different networks (east: net-east, west: net-west, @Cluster(network)), which"
                        + " reach each other only through east-west gateways; those route by the SNI of Istio mTLS (TLS"
                        + " AUTO_PASSTHROUGH) and istiod drops plaintext endpoints on other networks, so every call would"
                        + " stay in its own cluster. Use trust SHARED_ROOT_CA (the default: one root CA, so the sidecars'"
                        + " mTLS passes through the gateways end to end), or put every cluster on one network");
    }

    @Test
    void accepts_plaintext_trust_on_one_network() {
        assertThat(MeshSpec.builder().trust(TrustMode.PLAINTEXT).build().trust()).isEqualTo(TrustMode.PLAINTEXT);
    }

    @Test
    void rejects_a_cluster_network_that_is_not_a_dns_label() {
        assertThat(messageOf(MeshSpec.builder().cluster("east", c -> c.network("Net_East")).clusters("west")))
                .isEqualTo("Invalid mesh specification: clusters[east].network = 'Net_East' (set by"
                        + " MeshSpec.Builder.cluster(\"east\", ...)): a network name of lower-case letters, digits and"
                        + " '-', e.g. net-east");
    }

    @Test
    void rejects_overlapping_pod_cidrs_across_networks_on_clusters_mcmesh_creates_saying_why() {
        assertThat(messageOf(MeshSpec.builder()
                .cluster("east", c -> c.network("net-east").podCidr("10.10.0.0/16"))
                .cluster("west", c -> c.network("net-west").podCidr("10.10.0.0/16"))))
                .isEqualTo("Invalid mesh specification: clusters[west].podCidr = '10.10.0.0/16' (set by"
                        + " MeshSpec.Builder.cluster(\"west\", ...)): overlaps clusters[east].podCidr = '10.10.0.0/16' of a"
                        + " cluster on another network (net-east and net-west). Istio does not need distinct pod ranges"
                        + " across networks, but mcmesh requires them for the clusters it creates: a peer pod IP in a"
                        + " caller's endpoints then always means the east-west gateway was not used, and overlapping"
                        + " service ranges would collide as VIPs in the caller's sidecar; choose distinct ranges, e.g."
                        + " 10.10.0.0/16 + 10.255.10.0/24 and 10.20.0.0/16 + 10.255.20.0/24");
    }

    @Test
    void accepts_overlapping_pod_cidrs_across_networks_on_existing_clusters() {
        MeshSpec spec = MeshSpec.builder().provider(Provider.EXISTING)
                .cluster("east", c -> c.network("net-east").podCidr("10.244.0.0/16"))
                .cluster("west", c -> c.network("net-west").podCidr("10.244.0.0/16")).build();
        assertThat(spec.clusters()).extracting(ClusterSpec::podCidr).containsOnly(Cidr.parse("10.244.0.0/16"));
    }

    @Test
    void still_rejects_overlapping_pod_cidrs_of_existing_clusters_on_one_network() {
        assertThat(messageOf(MeshSpec.builder().provider(Provider.EXISTING)
                .cluster("east", c -> c.podCidr("10.244.0.0/16")).cluster("west", c -> c.podCidr("10.244.0.0/16"))))
                .contains("clusters[west].podCidr = '10.244.0.0/16'", "overlaps clusters[east].podCidr = '10.244.0.0/16';"
                        + " pod and service ranges must not share addresses within or across clusters (Istio routes by IP)");
    }

    @Test
    void rejects_local_charts_without_the_gateway_chart_on_different_networks() throws IOException {
        // given: an unpacked release with base and istiod only
        Path charts = temp.resolve("istio/manifests/charts");
        for (String chart : SpecFacts.ISTIO_CHART_PATHS) {
            Files.createDirectories(charts.resolve(chart));
            Files.writeString(charts.resolve(chart).resolve("Chart.yaml"), "name: x\nversion: 1.0.0\n");
        }
        Sources local = Sources.defaults().withIstioCharts(temp.resolve("istio").toString());
        // then
        assertThat(MeshSpec.builder().sources(local).build().sources()).isEqualTo(local);
        assertThat(messageOf(twoNetworks().sources(local)))
                .isEqualTo("Invalid mesh specification: mcmesh.istio.charts = '" + temp.resolve("istio") + "' (set by"
                        + " MeshSpec.Builder.sources(...)): the clusters are on different networks (east: net-east, west:"
                        + " net-west), so each gets an east-west gateway from Istio's gateway chart, which is not there"
                        + " (no " + charts.toRealPath().resolve("gateway/Chart.yaml") + "); give the charts of a whole"
                        + " Istio release, or a chart repository");
    }

    @Test
    void the_fingerprint_of_one_network_is_unchanged_and_different_networks_add_network_and_gateway_per_cluster() {
        // given
        Fingerprint one = Fingerprint.of(MeshSpec.builder().clusters("east", "west").build());
        Fingerprint two = Fingerprint.of(twoNetworks().build());
        // then
        assertThat(one.fields()).doesNotContainKeys("clusters[east].network", "clusters[east].eastWestGateway");
        assertThat(two.fields()).containsEntry("clusters[east].network", "net-east")
                .containsEntry("clusters[west].network", "net-west")
                .containsEntry("clusters[east].eastWestGateway", "192.168.200.2:15443")
                .containsEntry("clusters[west].eastWestGateway", "192.168.200.3:15443");
        // a network change lives in the nodes' routes; the gateway address is Istio's to repair
        assertThat(two.changesFrom(one)).extracting(Fingerprint.Change::field, Fingerprint.Change::isNodeLevel)
                .contains(org.assertj.core.groups.Tuple.tuple("clusters[east].network", true),
                        org.assertj.core.groups.Tuple.tuple("clusters[east].eastWestGateway", false));
    }
}
