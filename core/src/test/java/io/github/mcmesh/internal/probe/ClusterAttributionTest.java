package io.github.mcmesh.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.probe.PodExec.ExecResult;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClusterAttributionTest {

    // what the probe parses from curl's output: body "ok", header x-cluster: west
    static final HttpObservation ANSWER = HttpProbe.parse("http://helloworld:5000/hello",
            new ExecResult(0, "ok\n--mcmesh-probe--200 0.001\n{\"x-cluster\":[\"west\"]}", ""));

    @Test
    void a_header_attribution_reads_the_cluster_from_the_header_ignoring_case() {
        assertThat(ClusterAttribution.header("X-Cluster").clusterOf(ANSWER)).contains("west");
        assertThat(ClusterAttribution.header("x-zone").clusterOf(ANSWER)).isEmpty();
    }

    @Test
    void a_body_pattern_attribution_maps_group_one_to_a_cluster() {
        assertThat(ClusterAttribution.bodyPattern(Pattern.compile("(ok)"), Map.of("ok", "west")).clusterOf(ANSWER))
                .contains("west");
        assertThat(ClusterAttribution.bodyPattern(Pattern.compile("(ok)"), Map.of("other", "west")).clusterOf(ANSWER))
                .isEmpty();
    }
}
