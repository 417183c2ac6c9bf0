package io.github.mcmesh.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The specification's value types can only be made validated ({@link MeshSpec.Builder#build()})
 * or from their defaults, so no caller depends on a constructor's parameter list.
 */
class SpecValueTypesTest {

    private static final List<Class<?>> VALUE_TYPES = List.of(MeshSpec.class, ClusterSpec.class, Timeouts.class,
            Sources.class, ToolPaths.class, PassThrough.class);

    @Test
    void no_value_type_has_a_public_constructor_or_is_a_record() {
        for (Class<?> type : VALUE_TYPES) {
            assertThat(type.getConstructors()).as(type.getSimpleName() + "'s public constructors").isEmpty();
            assertThat(type.isRecord()).as(type.getSimpleName() + " is a record").isFalse();
            assertThat(Modifier.isFinal(type.getModifiers())).as(type.getSimpleName() + " is final").isTrue();
        }
    }

    @Test
    void a_spec_rebuilt_from_its_builder_equals_it_and_prints_every_setting() {
        // given
        MeshSpec spec = MeshSpec.builder().istioVersion("1.29.0").trust(TrustMode.PLAINTEXT).build();

        // when
        MeshSpec rebuilt = spec.toBuilder().build();

        // then
        assertThat(rebuilt).isEqualTo(spec).hasSameHashCodeAs(spec).isNotEqualTo(MeshSpec.defaults());
        assertThat(spec.toString()).startsWith("MeshSpec[clusters=[ClusterSpec[name=mcmesh-east, podCidr=10.10.0.0/16,"
                        + " serviceCidr=10.255.10.0/24, bridge=Optional.empty, staticIp=192.168.200.2, network=network1,"
                        + " region=mcmesh-east, zone=mcmesh-east-a], ClusterSpec[name=mcmesh-west,")
                .contains(", istioVersion=1.29.0, ", ", trust=PLAINTEXT, ", ", timeouts=Timeouts[clusterStart=PT10M, ")
                .endsWith(", kubeconfig=Optional.empty, adoptClusters=false]");
    }

    @Test
    void composites_are_equal_by_value_and_print_like_records() {
        Timeouts timeouts = Timeouts.defaults().withCommand(Duration.ofMinutes(3));

        assertThat(timeouts).isEqualTo(Timeouts.defaults().withCommand(Duration.ofMinutes(3)))
                .hasSameHashCodeAs(Timeouts.defaults().withCommand(Duration.ofMinutes(3)))
                .isNotEqualTo(Timeouts.defaults());
        assertThat(timeouts).hasToString("Timeouts[clusterStart=PT10M, istioInstall=PT10M, meshReady=PT5M, command=PT3M,"
                + " workloadReady=PT5M, assertion=PT1M, namespaceDeletion=PT5M, coreDnsReady=PT2M]");
        assertThat(Sources.defaults().withPreloadImages(true)).isEqualTo(Sources.defaults().withPreloadImages(true))
                .isNotEqualTo(Sources.defaults());
        assertThat(ToolPaths.onPath().withSearchPath("/opt/bin")).hasToString("ToolPaths[minikube=Optional.empty,"
                + " helm=Optional.empty, istioctl=Optional.empty, docker=Optional.empty, searchPath=Optional[/opt/bin]]");
        assertThat(PassThrough.none().withHelmValues(List.of("a=b"))).isEqualTo(PassThrough.none().withHelmValues(List.of("a=b")))
                .hasToString("PassThrough[minikubeStartArgs=[], helmValues=[a=b], helmValuesFiles=[]]");
    }

    @Test
    void namespace_deletion_and_coredns_have_their_own_timeouts_defaulting_to_what_bounded_them_before() {
        Timeouts defaults = Timeouts.defaults();

        assertThat(defaults.namespaceDeletion()).isEqualTo(defaults.workloadReady()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.coreDnsReady()).isEqualTo(defaults.command()).isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.withNamespaceDeletion(Duration.ofMinutes(1)).workloadReady()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.withCoreDnsReady(Duration.ofSeconds(30)).command()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void non_positive_namespace_deletion_and_coredns_timeouts_are_refused_under_their_properties() {
        // given
        MeshSpec.Builder builder = MeshSpec.builder().timeouts(Timeouts.defaults()
                .withNamespaceDeletion(Duration.ZERO).withCoreDnsReady(Duration.ofSeconds(-1)));

        // when
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class, builder::build);

        // then
        assertThat(e.problems()).extracting(InvalidMeshSpecException.Problem::toString).containsExactly(
                "mcmesh.timeout.namespace.deletion = 'PT0S' (set by MeshSpec.Builder.timeouts(...)): must be positive, e.g. 5m",
                "mcmesh.timeout.coredns.ready = 'PT-1S' (set by MeshSpec.Builder.timeouts(...)): must be positive, e.g. 5m");
    }
}
