package io.github.mcmesh.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.testing.MockMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshViewTest {

    MockMesh mesh = MockMesh.start("demo", "east", "west");

    @AfterEach
    void close() {
        mesh.close();
    }

    @Test
    void a_handle_client_is_in_the_view_namespace_and_made_once_per_view() {
        // when
        Mesh other = mesh.inNamespace("other");

        // then
        assertThat(mesh.cluster("east").client().getNamespace()).isEqualTo("demo");
        assertThat(mesh.cluster("east").client()).isSameAs(mesh.clusters().get(0).client());
        assertThat(other.cluster("east").client().getNamespace()).isEqualTo("other");
        assertThat(other.cluster("east").client().getMasterUrl()).isEqualTo(mesh.cluster("east").client().getMasterUrl());
    }

    @Test
    void namespaced_operations_through_a_handle_client_act_in_the_view_namespace() {
        // when
        mesh.cluster("west").client().configMaps()
                .resource(new ConfigMapBuilder().withNewMetadata().withName("marker").endMetadata().build()).create();

        // then
        assertThat(mesh.cluster("west").client().configMaps().inNamespace("demo").withName("marker").get()).isNotNull();
        assertThat(mesh.inNamespace("other").cluster("west").client().configMaps().withName("marker").get()).isNull();
    }
}
