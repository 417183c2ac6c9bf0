package io.github.mcmesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.spec.SettingNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingNamesTest {

    private final SettingNames names = new SettingNames(MeshProperties.names());

    @Test
    void finds_the_mcmesh_names_that_name_no_setting() {
        assertThat(names.unknownProperties(List.of("mcmesh.reuse", "mcmesh.reuse.policy", "user.home", "mcmesh.require.tools",
                "mcmesh.requireTools", "mcmesh.istio.verison"))).containsExactly("mcmesh.istio.verison", "mcmesh.reuse.policy");
        assertThat(names.unknownVariables(List.of("MCMESH_REUSE", "MCMESH_REQUIRETOOLS", "PATH", "MCMESH_REQUIRE_TOOLS")))
                .containsExactly("MCMESH_REQUIRETOOLS");
    }

    @Test
    void suggests_the_closest_known_name() {
        assertThat(names.closestProperty("mcmesh.istio.verison")).isEqualTo("mcmesh.istio.version");
        assertThat(names.closestProperty("mcmesh.reuse.policy")).isEqualTo("mcmesh.reuse");
        assertThat(names.closestProperty("mcmesh.requireTool")).isEqualTo("mcmesh.require.tools");
        assertThat(names.closestProperty("mcmesh.timeout.cluster-start")).isEqualTo("mcmesh.timeout.cluster.start");
        assertThat(names.closestVariable("MCMESH_REQUIRETOOLS")).isEqualTo("MCMESH_REQUIRE_TOOLS");
        assertThat(names.closestVariable("MCMESH_ISTIO_VERISON")).isEqualTo("MCMESH_ISTIO_VERSION");
        assertThat(names.closestVariable("MCMESH_REUSE_POLICY")).isEqualTo("MCMESH_REUSE");
    }

    @Test
    void tells_a_misspelling_from_another_programs_property() {
        assertThat(names.looksMisspelled("mcmesh.istio.verison")).isTrue();
        assertThat(names.looksMisspelled("mcmesh.reuse.policy")).isTrue();
        assertThat(names.looksMisspelled("mcmesh.requiretools")).isTrue();
        assertThat(names.looksMisspelled("mcmesh.e2e.excludedGroups")).isFalse();
        assertThat(names.looksMisspelled("mcmesh.bench.scale")).isFalse();
    }
}
