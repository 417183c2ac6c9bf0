package io.github.mcmesh.internal.assertions;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.spec.MeshSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The caller's sidecar endpoints on a mesh with two networks, told as local pods, peer gateways or peer pod IPs. */
class CrossNetworkEvidenceTest {

    private static final String NL = System.lineSeparator();
    private static final MeshSpec SPEC = MeshSpec.builder().cluster("mcmesh-east", c -> c.network("net-east"))
            .cluster("mcmesh-west", c -> c.network("net-west")).build();
    private static final Map<String, String> GATEWAYS = Map.of("mcmesh-east", "192.168.200.2", "mcmesh-west", "192.168.200.3");
    private static final String CLUSTER = "outbound|5000||helloworld.demo.svc.cluster.local";

    private static String describe(String clustersText) {
        return CrossNetworkEvidence.describe(SPEC, "mcmesh-east", "demo", "http://helloworld:5000/hello", clustersText, GATEWAYS);
    }

    @Test
    void given_the_peer_behind_its_gateway_then_the_evidence_says_so_and_hints_only_at_separate_roots() {
        // given: the shape istiod's EndpointsByNetworkFilter gives (one endpoint per peer gateway, port 15443)
        String text = CLUSTER + "::10.10.0.12:5000::cx_connect_fail::0" + NL
                + CLUSTER + "::10.10.0.12:5000::health_flags::healthy" + NL
                + CLUSTER + "::192.168.200.3:15443::cx_connect_fail::0" + NL
                + CLUSTER + "::192.168.200.3:15443::health_flags::healthy" + NL
                + CLUSTER + "::192.168.200.3:15443::weight::1" + NL
                + "outbound|80||other.demo.svc.cluster.local::10.20.0.9:80::health_flags::healthy" + NL;
        // then
        assertThat(describe(text)).isEqualTo("Endpoints of " + CLUSTER + " in the caller's sidecar (pilot-agent request GET"
                + " clusters):" + NL
                + "  10.10.0.12:5000: a pod of mcmesh-east (the caller's cluster), healthy" + NL
                + "  192.168.200.3:15443: the east-west gateway of mcmesh-west (network net-west), healthy" + NL
                + "Remote endpoints point at the peer's gateway: yes" + NL
                + "Hint: if calls through the gateway fail with TLS errors (CERTIFICATE_VERIFY_FAILED), the clusters have"
                + " separate roots: the gateway passes mTLS through, so both sidecars must trust one root; compare"
                + " root-cert.pem of secret istio-system/cacerts in every cluster.");
    }

    @Test
    void given_peer_pod_ips_in_the_caller_then_the_gateway_without_address_or_label_is_named() {
        String text = CLUSTER + "::10.10.0.12:5000::health_flags::healthy" + NL
                + CLUSTER + "::10.20.0.7:5000::health_flags::healthy" + NL;
        assertThat(describe(text)).contains("  10.20.0.7:5000: a pod IP of mcmesh-west (network net-west), not its gateway, healthy"
                        + NL + "Remote endpoints point at the peer's gateway: no" + NL
                        + "Hint: the caller's sidecar has pod IPs of [mcmesh-west], which are not routed between networks:"
                        + " istiod in mcmesh-east knows no east-west gateway for their network. Usual causes: the gateway"
                        + " Service istio-system/istio-eastwestgateway has no address (EXTERNAL-IP <pending>")
                .doesNotContain("cx_connect_fail");
    }

    @Test
    void given_failing_connections_to_the_gateway_then_the_missing_expose_services_gateway_is_named() {
        String text = CLUSTER + "::192.168.200.3:15443::cx_connect_fail::25" + NL
                + CLUSTER + "::192.168.200.3:15443::health_flags::healthy" + NL;
        assertThat(describe(text)).contains("  192.168.200.3:15443: the east-west gateway of mcmesh-west (network net-west),"
                        + " healthy, cx_connect_fail 25")
                .contains("Hint: connections to the east-west gateway fail (25 cx_connect_fail): the Gateway"
                        + " istio-system/cross-network-gateway (port 15443, TLS AUTO_PASSTHROUGH, hosts *.local) may be missing");
    }

    @Test
    void given_no_peer_endpoint_at_all_then_remote_secret_mtls_and_namespace_label_are_named() {
        assertThat(describe(CLUSTER + "::10.10.0.12:5000::health_flags::healthy" + NL))
                .contains("Remote endpoints point at the peer's gateway: no" + NL + "Hint: the caller's sidecar has no"
                        + " endpoint of [mcmesh-west] at all: istiod in mcmesh-east has no remote secret for them or they"
                        + " have no ready pod, or mTLS is off (istiod drops plaintext endpoints on other networks), or the"
                        + " namespace istio-system lacks the label topology.istio.io/network");
    }

    @Test
    void service_names_become_the_cluster_local_names_envoy_uses() {
        assertThat(CrossNetworkEvidence.serviceHost("helloworld", "demo")).isEqualTo("helloworld.demo.svc.cluster.local");
        assertThat(CrossNetworkEvidence.serviceHost("helloworld.other", "demo")).isEqualTo("helloworld.other.svc.cluster.local");
        assertThat(CrossNetworkEvidence.serviceHost("helloworld.other.svc", "demo")).isEqualTo("helloworld.other.svc.cluster.local");
        assertThat(CrossNetworkEvidence.serviceHost("a.b.svc.cluster.local", "demo")).isEqualTo("a.b.svc.cluster.local");
    }
}
