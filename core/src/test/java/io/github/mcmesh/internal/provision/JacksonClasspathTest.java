package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JacksonClasspathTest {

    @Test
    void names_the_annotations_version_to_set_when_a_jackson_2_bom_pins_them_too_old_for_jackson_3() {
        // when Spring Boot 3.3's BOM (jackson-bom 2.17.3) meets fabric8 8's Jackson 3.2.3
        var problem = JacksonClasspath.problem("3.2.3", "2.17.3");

        // then
        assertThat(problem).contains("mcmesh uses Jackson 3.2.3 (tools.jackson.core:jackson-databind, through fabric8"
                + " kubernetes-client), which needs com.fasterxml.jackson.core:jackson-annotations 2.22 or newer, but the"
                + " test classpath has jackson-annotations 2.17.3, most likely pinned by a BOM that manages Jackson 2"
                + " (Spring Boot 3.x's does, through jackson-bom.version). Set com.fasterxml.jackson.core:jackson-annotations"
                + " to 2.22 in your <dependencyManagement>, before the BOM import (jackson-annotations is backward"
                + " compatible: Jackson 2 keeps working with it).");
    }

    @Test
    void rejects_the_annotations_of_spring_boot_3_5_for_jackson_3_1() {
        assertThat(JacksonClasspath.problem("3.1.4", "2.19.2")).hasValueSatisfying(problem ->
                assertThat(problem).contains("needs com.fasterxml.jackson.core:jackson-annotations 2.21 or newer"));
    }

    @Test
    void accepts_the_annotations_released_with_the_jackson_3_line_or_newer() {
        // Spring Boot 4.0's BOM: Jackson 3.1.4 with annotations 2.21
        assertThat(JacksonClasspath.problem("3.1.4", "2.21")).isEmpty();
        assertThat(JacksonClasspath.problem("3.2.3", "2.22")).isEmpty();
        assertThat(JacksonClasspath.problem("3.2.3", "2.23")).isEmpty();
    }

    @Test
    void says_nothing_about_versions_it_does_not_understand() {
        assertThat(JacksonClasspath.problem("3.2.3", "unknown")).isEmpty();
        assertThat(JacksonClasspath.problem("2.17.3", "2.17.3")).isEmpty();
    }

    @Test
    void finds_this_build_s_jackson_consistent() {
        assertThat(JacksonClasspath.problem()).isEmpty();
    }
}
