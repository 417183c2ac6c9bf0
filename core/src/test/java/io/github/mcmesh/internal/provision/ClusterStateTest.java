package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.spec.MeshSpec;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

    @Test
    void the_connect_step_reuses_the_client_observe_opened_while_the_kubeconfig_entry_is_unchanged() {
        // given the client observe opened for the cluster
        ClusterState east = new ClusterState("mcmesh-east");
        KubernetesClient observed = east.clientFor(entry("https://127.0.0.1:32771", "token-1"));

        // when the connect step reads the same entry again (a fresh Config, equal content)
        KubernetesClient connected = east.clientFor(entry("https://127.0.0.1:32771", "token-1"));

        // then one client serves both, and it stays open
        assertThat(connected).isSameAs(observed);
        assertThat(observed.getHttpClient().isClosed()).isFalse();
        east.close();
    }

    @Test
    void the_clusters_clients_share_one_serialization_so_each_kind_is_made_readable_once_per_jvm() {
        // given two clusters' clients, and one a start made stale and replaced
        ClusterState east = new ClusterState("mcmesh-east");
        ClusterState west = new ClusterState("mcmesh-west");
        KubernetesClient eastClient = east.clientFor(entry("https://127.0.0.1:32771", "token-1"));
        KubernetesClient westClient = west.clientFor(entry("https://127.0.0.1:32772", "token-1"));
        KubernetesClient eastAfterStart = east.clientFor(entry("https://127.0.0.1:32790", "token-1"));

        // then one serialization (and its deserializers, built at the first read of a kind) serves them all
        assertThat(westClient.getKubernetesSerialization()).isSameAs(eastClient.getKubernetesSerialization())
                .isSameAs(eastAfterStart.getKubernetesSerialization());
        east.close();
        west.close();
    }

    @Test
    void a_rewritten_kubeconfig_entry_replaces_the_stale_client_and_closes_it() {
        // given the client observe opened before the profile was recreated
        ClusterState east = new ClusterState("mcmesh-east");
        KubernetesClient before = east.clientFor(entry("https://127.0.0.1:32771", "token-1"));

        // when the start rewrote the entry (a recreated docker-driver profile gets another port)
        KubernetesClient after = east.clientFor(entry("https://127.0.0.1:32790", "token-1"));

        // then
        assertThat(after).isNotSameAs(before);
        assertThat(before.getHttpClient().isClosed()).isTrue();
        assertThat(after.getHttpClient().isClosed()).isFalse();
        assertThat(east.client()).containsSame(after);
        east.close();
    }

    @Test
    void new_credentials_under_the_same_url_replace_the_client_too() {
        // given
        ClusterState east = new ClusterState("mcmesh-east");
        KubernetesClient before = east.clientFor(entry("https://127.0.0.1:32771", "token-1"));

        // when
        KubernetesClient after = east.clientFor(entry("https://127.0.0.1:32771", "token-2"));

        // then
        assertThat(after).isNotSameAs(before);
        assertThat(before.getHttpClient().isClosed()).isTrue();
        east.close();
    }

    @Test
    void the_context_closes_each_cluster_client_once_and_forgets_it() {
        // given one client per cluster
        ProvisioningContext context = new ProvisioningContext(MeshSpec.defaults(), null);
        KubernetesClient east = context.cluster("mcmesh-east").clientFor(entry("https://127.0.0.1:32771", "token-1"));
        KubernetesClient west = context.cluster("mcmesh-west").clientFor(entry("https://127.0.0.1:32772", "token-1"));

        // when closed twice (the mesh's close after a failed provisioning's)
        context.closeClients();
        context.closeClients();

        // then
        assertThat(east.getHttpClient().isClosed()).isTrue();
        assertThat(west.getHttpClient().isClosed()).isTrue();
        assertThat(context.clusters()).allSatisfy(cluster -> assertThat(cluster.client()).isEmpty());
    }

    @Test
    void a_cluster_outside_the_spec_has_no_state() {
        // given
        ProvisioningContext context = new ProvisioningContext(MeshSpec.defaults(), null);

        // then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.cluster("mcmesh-north"))
                .hasMessage("the mesh has no cluster 'mcmesh-north'; its clusters are [mcmesh-east, mcmesh-west]");
    }

    private static Config entry(String url, String token) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url).withOauthToken(token).build();
    }
}
