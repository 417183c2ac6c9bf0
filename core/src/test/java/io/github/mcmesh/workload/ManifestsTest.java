package io.github.mcmesh.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Workload#fromYaml}, {@link Workload#fromClasspath} and {@link Resources}: manifests read one document at a time. */
class ManifestsTest {

    @TempDir
    Path tmp;

    private Path file(String name, String yaml) throws IOException {
        return Files.writeString(tmp.resolve(name), yaml);
    }

    @Test
    void a_workload_from_a_classpath_manifest_holds_every_document_named_after_the_file() {
        // when
        Workload checkout = Workload.fromClasspath("manifests/checkout.yaml");

        // then the comment-only document is skipped, as fabric8 skips it
        assertThat(checkout.name()).isEqualTo("checkout");
        assertThat(checkout.resources()).map(HasMetadata::getClass).map(Class::getSimpleName)
                .containsExactly("Service", "Deployment", "StatefulSet");
        assertThat(checkout.deployments()).map(d -> d.getMetadata().getName()).containsExactly("checkout");
        assertThat(checkout.statefulSets()).map(s -> s.getMetadata().getName()).containsExactly("checkout-cache");
    }

    @Test
    void resources_read_istio_kinds_as_generic_resources_and_lists_as_their_items() throws IOException {
        // given
        Path yaml = file("mixed.yaml", """
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: checkout}
                spec: {host: checkout}
                ---
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
                - {apiVersion: apps/v1, kind: Deployment, metadata: {name: b}}
                """);

        // when
        List<HasMetadata> resources = Resources.fromYaml(yaml);

        // then
        assertThat(resources).hasSize(3);
        assertThat(resources.get(0)).isInstanceOf(GenericKubernetesResource.class);
        assertThat(resources.get(1)).isInstanceOf(ConfigMap.class);
        assertThat(resources.get(2)).isInstanceOf(Deployment.class);
    }

    @Test
    void bad_yaml_names_the_file_the_document_and_the_line_in_the_file() throws IOException {
        // given a valid first document and a second with an unclosed flow sequence
        Path yaml = file("bad.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: checkout}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: [a, b
                """);

        // when / then
        assertThatThrownBy(() -> Resources.fromYaml(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bad manifest " + yaml + ", document 2 (line 5): invalid YAML: while parsing a flow sequence\n"
                        + " at line 8, column 7:\n    data: [a, b\n          ^\nexpected ',' or ']', but got <stream end>\n"
                        + " at line 9, column 1:\n    \n    ^");
    }

    @Test
    void bad_indentation_is_reported_at_its_line_in_the_file() throws IOException {
        // given
        Path yaml = file("indent.yaml", """
                # leading comment
                apiVersion: v1
                kind: Service
                metadata:
                  name: checkout
                   bad: 1
                """);

        // when / then
        assertThatThrownBy(() -> Resources.fromYaml(yaml))
                .hasMessageStartingWith("Bad manifest " + yaml + ", document 1 (line 2): invalid YAML: mapping values are not"
                        + " allowed here\n at line 6, column 7:");
    }

    @Test
    void a_document_without_kind_is_not_a_kubernetes_object() throws IOException {
        // given
        Path yaml = file("kindless.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: checkout}
                ---
                metadata: {name: orphan}
                """);

        // when / then
        assertThatThrownBy(() -> Resources.fromYaml(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bad manifest " + yaml + ", document 2 (line 5): not a Kubernetes object, it has no apiVersion"
                        + " and no kind; every document needs apiVersion, kind and metadata.name");
    }

    @Test
    void an_unknown_kind_is_refused_naming_file_document_kind_and_name() throws IOException {
        // given
        Path yaml = file("widget.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: checkout}
                ---
                apiVersion: v1
                kind: Widget
                metadata: {name: gadget}
                """);

        // when / then
        assertThatThrownBy(() -> Workload.fromYaml(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bad manifest " + yaml + ", document 2 (line 5, Widget gadget): unknown kind Widget of v1: fabric8"
                        + " has no model for it and it is not an Istio resource (group *.istio.io); check apiVersion and kind"
                        + " (kubectl api-resources lists what a cluster serves)");
    }

    @Test
    void a_value_of_the_wrong_type_names_the_object_and_the_field() throws IOException {
        // given
        Path yaml = file("replicas.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: checkout}
                spec: {replicas: abc}
                """);

        // when / then
        assertThatThrownBy(() -> Workload.fromYaml(yaml))
                .hasMessage("Bad manifest " + yaml + ", document 1 (line 1, Deployment checkout): invalid value: Cannot"
                        + " deserialize value of type `java.lang.Integer` from String \"abc\": not a valid `java.lang.Integer`"
                        + " value (through reference chain: io.fabric8.kubernetes.api.model.apps.Deployment[\"spec\"]->"
                        + "io.fabric8.kubernetes.api.model.apps.DeploymentSpec[\"replicas\"])");
    }

    @Test
    void a_document_without_a_name_is_refused() throws IOException {
        Path yaml = file("nameless.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n");

        assertThatThrownBy(() -> Resources.fromYaml(yaml))
                .hasMessage("Bad manifest " + yaml + ", document 1 (line 1, ConfigMap): it has no metadata.name");
    }

    @Test
    void an_empty_manifest_a_missing_file_and_a_missing_resource_are_refused() throws IOException {
        Path empty = file("empty.yaml", "# nothing yet\n---\n");
        Path missing = tmp.resolve("nope.yaml");

        assertThatThrownBy(() -> Resources.fromYaml(empty))
                .hasMessage("Manifest " + empty + " holds no Kubernetes object (it is empty or only comments)");
        assertThatThrownBy(() -> Workload.fromYaml(missing))
                .hasMessageStartingWith("Manifest " + missing + " does not exist (resolved against the working directory ");
        assertThatThrownBy(() -> Resources.fromClasspath("manifests/nope.yaml"))
                .hasMessageStartingWith("No classpath resource 'manifests/nope.yaml' (looked up with ")
                .hasMessageEndingWith("put it under src/test/resources/manifests/nope.yaml or src/main/resources/manifests/nope.yaml");
    }

    @Test
    void the_objects_are_typed_as_fabric8_models_them() {
        List<HasMetadata> resources = Resources.fromClasspath("/manifests/checkout.yaml");

        assertThat(resources.get(0)).isInstanceOf(Service.class);
        assertThat(resources.get(2)).isInstanceOfSatisfying(StatefulSet.class,
                set -> assertThat(set.getSpec().getServiceName()).isEqualTo("checkout-cache"));
        assertThatThrownBy(() -> resources.add(resources.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }
}
