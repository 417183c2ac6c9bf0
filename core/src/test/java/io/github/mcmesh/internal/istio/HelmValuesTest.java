package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HelmValues}: list values through {@code --set-json}, compared with what {@code helm get values -o json} prints. */
class HelmValuesTest {

    private static Object installed(String json) {
        return Serialization.unmarshal(json, Object.class);
    }

    @Test
    void a_set_json_list_is_passed_unescaped_and_matches_the_list_helm_holds() {
        // given
        HelmValues values = HelmValues.empty().set("networkGateway", "net-east")
                .setJson("service.externalIPs", "[\"192.168.200.2\",\"192.168.200.3\"]");
        // then
        assertThat(values.arguments()).containsExactly("--set", "networkGateway=net-east",
                "--set-json", "service.externalIPs=[\"192.168.200.2\",\"192.168.200.3\"]");
        assertThat(values.matches(installed("{\"networkGateway\":\"net-east\",\"service\":{\"externalIPs\":"
                + "[\"192.168.200.2\",\"192.168.200.3\"]}}"))).isTrue();
    }

    @Test
    void a_set_json_list_does_not_match_another_list_or_a_text() {
        HelmValues values = HelmValues.empty().setJson("service.externalIPs", "[\"192.168.200.2\"]");
        assertThat(values.matches(installed("{\"service\":{\"externalIPs\":[\"192.168.200.9\"]}}"))).isFalse();
        assertThat(values.matches(installed("{\"service\":{\"externalIPs\":[\"192.168.200.2\",\"192.168.200.3\"]}}")))
                .isFalse();
        assertThat(values.matches(installed("{\"service\":{\"externalIPs\":\"[192.168.200.2]\"}}"))).isFalse();
        assertThat(values.matches(installed("{\"service\":{}}"))).isFalse();
    }

    @Test
    void a_set_json_object_is_compared_leaf_by_leaf_and_a_later_set_replaces_its_key() {
        // Helm merges --set-json before --set (values.Options.MergeValues)
        HelmValues values = HelmValues.empty().set("service.type", "ClusterIP").setJson("service", "{\"type\":\"LoadBalancer\","
                + "\"ports\":[1]}");
        assertThat(values.matches(installed("{\"service\":{\"type\":\"ClusterIP\",\"ports\":[1]}}"))).isTrue();
        assertThat(values.matches(installed("{\"service\":{\"type\":\"LoadBalancer\",\"ports\":[1]}}"))).isFalse();
    }

    @Test
    void rejects_a_set_json_value_that_is_not_json() {
        assertThatThrownBy(() -> HelmValues.empty().setJson("service.externalIPs", "192.168.200.2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not JSON for --set-json service.externalIPs: 192.168.200.2");
        assertThatThrownBy(() -> HelmValues.empty().setJson("a", "[1,"))
                .hasMessage("not JSON for --set-json a: [1,");
    }

    @Test
    void the_tree_holds_the_json_value_as_helm_prints_it() {
        assertThat(HelmValues.empty().setJson("service.externalIPs", "[\"10.0.0.1\"]").asTree())
                .isEqualTo(java.util.Map.of("service", java.util.Map.of("externalIPs", List.of("10.0.0.1"))));
    }
}
