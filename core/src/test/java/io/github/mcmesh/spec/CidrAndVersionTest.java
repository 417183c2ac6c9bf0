package io.github.mcmesh.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CidrAndVersionTest {

    @Test
    void detects_overlap_and_containment() {
        Cidr pods = Cidr.parse("10.10.0.0/16");

        assertThat(pods.overlaps(Cidr.parse("10.10.5.0/24"))).isTrue();
        assertThat(Cidr.parse("10.10.5.0/24").overlaps(pods)).isTrue();
        assertThat(pods.overlaps(Cidr.parse("10.20.0.0/16"))).isFalse();
        assertThat(pods.contains(Cidr.parse("10.10.5.0/24"))).isTrue();
        assertThat(pods.contains(Cidr.parseAddress("10.11.0.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").overlaps(pods)).isTrue();
    }

    @Test
    void knows_private_ranges_and_host_bits() {
        assertThat(Cidr.parse("172.31.0.0/16").isPrivate()).isTrue();
        assertThat(Cidr.parse("172.32.0.0/16").isPrivate()).isFalse();
        assertThat(Cidr.parse("172.17.0.1/24").isNetwork()).isFalse();
        assertThat(Cidr.parse("172.17.0.1/24").network()).hasToString("172.17.0.0/24");
        assertThat(Cidr.formatAddress(Cidr.parse("192.168.200.0/24").broadcastAddress())).isEqualTo("192.168.200.255");
    }

    @Test
    void parses_versions_with_or_without_v_and_compares_them() {
        assertThat(Version.parse("v1.26.8")).isEqualTo(Version.parse("1.26.8"));
        assertThat(Version.parse("v1.26.8").withV()).isEqualTo("v1.26.8");
        assertThat(Version.parse("1.26.8").isOlderThan(Version.parse("1.28.0"))).isTrue();
        assertThat(Version.parse("1.31.0-rc.0")).hasToString("1.31.0-rc.0");
        assertThat(Version.parse("1.31.0-rc.0").minorVersion()).isEqualTo("1.31");
        assertThatIllegalArgumentException().isThrownBy(() -> Version.parse("1.30"))
                .withMessage("'1.30' is not a version of the form major.minor.patch, e.g. 1.30.3");
    }
}
