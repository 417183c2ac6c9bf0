package io.github.mcmesh.examples;

import static io.github.mcmesh.assertions.MeshAssertions.assertThat;

import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MeshCluster;
import io.github.mcmesh.junit.MeshNamespace;
import io.github.mcmesh.workload.Samples;
import org.junit.jupiter.api.Test;

/** A test class using the team's composed annotation; it shares the mesh of the other classes. */
@TeamMesh
class TeamMeshIT {

    @MeshCluster("mcmesh-west")
    ClusterHandle west;

    @MeshNamespace
    String namespace;

    @Test
    void a_service_only_in_west_answers_from_east(Mesh mesh) {
        mesh.cluster("mcmesh-east").deploy(Samples.curl());
        west.deploy(Samples.helloworld("v1"));

        assertThat(mesh).from("mcmesh-east", "curl")
                .calling("http://helloworld." + namespace + ":5000/hello")
                .staysInCluster("mcmesh-west");
    }
}
