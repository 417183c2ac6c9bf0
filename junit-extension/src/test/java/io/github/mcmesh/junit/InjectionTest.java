package io.github.mcmesh.junit;

import static io.github.mcmesh.junit.MeshTestKit.assertAllPassed;
import static io.github.mcmesh.junit.MeshTestKit.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class InjectionTest {

    private static final String SAMPLES = InjectionTest.class.getName() + "$";
    private static final String CLIENT = "io.fabric8.kubernetes.client.KubernetesClient";

    @TempDir
    Path state;

    @AfterEach
    void stop_api_servers() {
        RecordingBackend.stopServers();
    }

    @Test
    void injects_clients_handles_the_mesh_and_the_namespace_into_static_and_instance_fields_and_parameters() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(InjectsEverything.class);

        // then
        assertAllPassed(results);
        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
    }

    @Test
    void injects_handles_whose_client_is_in_the_class_namespace_and_clients_in_their_kube_context_namespace() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(NamespacedHandles.class);

        // then
        assertAllPassed(results);
        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    @Test
    void injects_instance_fields_before_all_with_a_per_class_lifecycle() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(PerClassLifecycle.class);

        // then
        assertAllPassed(results);
    }

    @Test
    void rejects_an_unknown_cluster_naming_the_field_and_the_known_clusters_before_provisioning() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(UnknownCluster.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, UnknownCluster.class))
                .hasMessage("@MeshCluster field [static " + CLIENT + " " + SAMPLES + "UnknownCluster.east] names cluster"
                        + " 'mcmesh-eats', which is not in the mesh; its clusters are [mcmesh-east, mcmesh-west].");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void rejects_a_cluster_field_of_another_type() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(WrongClusterType.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, WrongClusterType.class))
                .hasMessage("@MeshCluster field [java.lang.String " + SAMPLES + "WrongClusterType.east] must be of type"
                        + " KubernetesClient or ClusterHandle, not java.lang.String.");
    }

    @Test
    void rejects_a_final_field() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FinalField.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, FinalField.class))
                .hasMessage("@MeshCluster field [final " + CLIENT + " " + SAMPLES + "FinalField.east] must not be declared"
                        + " as final.");
    }

    @Test
    void rejects_a_final_mesh_field() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(FinalMeshField.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, FinalMeshField.class))
                .hasMessage("Mesh field [static final io.github.mcmesh.Mesh " + SAMPLES + "FinalMeshField.mesh] must not be"
                        + " declared as final.");
    }

    @Test
    void rejects_a_namespace_field_that_is_not_a_string() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(NamespaceNotAString.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, NamespaceNotAString.class))
                .hasMessage("@MeshNamespace field [java.lang.Integer " + SAMPLES + "NamespaceNotAString.namespace] must be of"
                        + " type String, not java.lang.Integer.");
    }

    @Test
    void rejects_a_field_with_both_annotations() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(BothAnnotations.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, BothAnnotations.class))
                .hasMessage("@MeshCluster field [" + CLIENT + " " + SAMPLES + "BothAnnotations.east] has both @MeshCluster"
                        + " and @MeshNamespace; keep one.");
    }

    @Test
    void rejects_an_unknown_cluster_in_a_test_method_parameter_before_provisioning() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(UnknownClusterParameter.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, UnknownClusterParameter.class))
                .hasMessage("@MeshCluster parameter [" + CLIENT + " client] in public void " + SAMPLES
                        + "UnknownClusterParameter.runs(" + CLIENT + ") names cluster 'nowhere', which is not in the mesh;"
                        + " its clusters are [mcmesh-east, mcmesh-west].");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void rejects_a_namespace_parameter_of_a_lifecycle_method_that_is_not_a_string_before_provisioning() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(NamespaceParameterNotAString.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, NamespaceParameterNotAString.class))
                .hasMessage("@MeshNamespace parameter [int namespace] in void " + SAMPLES
                        + "NamespaceParameterNotAString.prepare(int) must be of type String, not int.");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void rejects_an_unknown_cluster_in_a_nested_class_before_the_outer_class_provisions() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(UnknownClusterInNestedClass.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, UnknownClusterInNestedClass.class))
                .hasMessage("@MeshCluster field [" + CLIENT + " " + SAMPLES + "UnknownClusterInNestedClass$Inner.west] names"
                        + " cluster 'mcmesh-wets', which is not in the mesh; its clusters are [mcmesh-east, mcmesh-west].");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void rejects_constructor_injection_before_provisioning() {
        // when
        EngineExecutionResults results = MeshTestKit.in(state).run(ConstructorParameter.class);

        // then
        assertThat(misuseReportedBeforeAnythingRuns(results, ConstructorParameter.class))
                .hasMessage("Mesh parameter [io.github.mcmesh.Mesh mesh] in " + SAMPLES
                        + "ConstructorParameter(io.github.mcmesh.Mesh) cannot be injected into a constructor: the mesh is"
                        + " ready only once the class's before-all callbacks ran. Use a field or a method parameter.");
        assertThat(RecordingBackend.events(state)).isEmpty();
    }

    @Test
    void reports_a_misused_field_where_the_tools_are_missing_instead_of_skipping_the_class() {
        // given no minikube, helm or docker where mcmesh looks
        MeshTestKit kit = MeshTestKit.in(state).with(MeshProperties.TOOLS_PATH, state.resolve("no-tools").toString());

        // when
        EngineExecutionResults results = kit.run(UnknownCluster.class);

        // then
        assertThat(results.containerEvents().skipped().count()).isZero();
        assertThat(misuseReportedBeforeAnythingRuns(results, UnknownCluster.class))
                .hasMessageContaining("names cluster 'mcmesh-eats', which is not in the mesh");
    }


    /** The execution condition's error: JUnit reports a condition's exception as the cause of its own. */
    private static Throwable misuseReportedBeforeAnythingRuns(EngineExecutionResults results, Class<?> testClass) {
        Throwable failure = failureOf(results, testClass);
        assertThat(failure).hasMessageStartingWith("Failed to evaluate condition [" + MultiClusterMeshExtension.class.getName() + "]")
                .cause().isInstanceOf(ExtensionConfigurationException.class);
        return failure.getCause();
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class InjectsEverything {
        @MeshCluster("mcmesh-east")
        static KubernetesClient staticEast;
        @MeshNamespace
        static String staticNamespace;
        static Mesh staticMesh;

        @MeshCluster("mcmesh-west")
        ClusterHandle west;
        @MeshNamespace
        String namespace;
        Mesh mesh;

        @BeforeAll
        static void static_fields_are_set_before_all(Mesh meshParameter) {
            assertThat(staticEast.getMasterUrl()).hasToString(RecordingBackend.server("mcmesh-east").url("/"));
            assertThat(staticMesh).isSameAs(meshParameter);
            assertThat(staticNamespace).isEqualTo(staticMesh.namespace()).startsWith("injection-test-injects-everything-");
        }

        @Test
        void fields_and_parameters_see_the_same_mesh(@MeshCluster("mcmesh-east") KubernetesClient east,
                @MeshCluster("mcmesh-west") ClusterHandle westHandle, @MeshNamespace String namespaceParameter,
                Mesh meshParameter) {
            assertThat(east).isSameAs(staticEast);
            assertThat(westHandle.client()).isSameAs(west.client());
            assertThat(west.name()).isEqualTo("mcmesh-west");
            assertThat(west.namespace()).isEqualTo(namespace);
            assertThat(west.client().getMasterUrl()).hasToString(RecordingBackend.server("mcmesh-west").url("/"));
            assertThat(namespaceParameter).isEqualTo(namespace).isEqualTo(staticNamespace);
            assertThat(meshParameter).isSameAs(mesh).isSameAs(staticMesh);
            assertThat(east.namespaces().withName(namespace).get()).isNotNull();
            assertThat(west.client().namespaces().withName(namespace).get()).isNotNull();
        }

        @Nested
        class Inner {
            @MeshNamespace
            String innerNamespace;

            @Test
            void nested_classes_share_the_outer_class_namespace() {
                assertThat(innerNamespace).isEqualTo(namespace).isEqualTo(staticNamespace);
            }
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class NamespacedHandles {
        @MeshCluster("mcmesh-east")
        static ClusterHandle staticEast;
        @MeshCluster("mcmesh-west")
        ClusterHandle west;
        @MeshCluster("mcmesh-west")
        KubernetesClient westClient;
        @MeshNamespace
        String namespace;

        @Test
        void handle_clients_act_in_the_class_namespace(@MeshCluster("mcmesh-west") ClusterHandle westParameter,
                @MeshCluster("mcmesh-east") KubernetesClient eastClient, Mesh mesh) {
            assertThat(staticEast.client().getNamespace()).isEqualTo(namespace);
            assertThat(west.client().getNamespace()).isEqualTo(namespace);
            assertThat(westParameter.client()).isSameAs(west.client()).isSameAs(mesh.cluster("mcmesh-west").client());

            // a namespaced operation without inNamespace lands in the class namespace
            west.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("marker").endMetadata()
                    .build()).create();
            assertThat(westClient.configMaps().inNamespace(namespace).withName("marker").get()).isNotNull();

            // the injected KubernetesClient stays the cluster's own, in its kube context's namespace (the mock's "test")
            assertThat(westClient.getNamespace()).isEqualTo("test");
            assertThat(eastClient.getNamespace()).isEqualTo("test");
            assertThat(westClient).isNotSameAs(west.client());
            assertThat(westClient.getMasterUrl()).isEqualTo(west.client().getMasterUrl());
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassLifecycle {
        @MeshCluster("mcmesh-east")
        KubernetesClient east;

        @BeforeAll
        void instance_fields_are_set_before_all() {
            assertThat(east).isNotNull();
        }

        @Test
        void runs() {
            assertThat(east).isNotNull();
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class UnknownCluster {
        @MeshCluster("mcmesh-eats")
        static KubernetesClient east;

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class WrongClusterType {
        @MeshCluster("mcmesh-east")
        String east;

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FinalField {
        @MeshCluster("mcmesh-east")
        final KubernetesClient east = null;

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class FinalMeshField {
        static final Mesh mesh = null;

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class NamespaceNotAString {
        @MeshNamespace
        Integer namespace;

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class BothAnnotations {
        @MeshCluster("mcmesh-east")
        @MeshNamespace
        KubernetesClient east;

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class UnknownClusterParameter {
        @Test
        public void runs(@MeshCluster("nowhere") KubernetesClient client) {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class UnknownClusterInNestedClass {
        @Test
        void runs() {
        }

        @Nested
        class Inner {
            @MeshCluster("mcmesh-wets")
            KubernetesClient west;

            @Test
            void runs() {
            }
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class NamespaceParameterNotAString {
        @BeforeEach
        void prepare(@MeshNamespace int namespace) {
        }

        @Test
        void runs() {
        }
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class ConstructorParameter {
        ConstructorParameter(Mesh mesh) {
        }

        @Test
        void runs() {
        }
    }
}
