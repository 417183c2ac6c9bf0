package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.istio.CertificateAuthority.ClusterCertificates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    @TempDir
    Path state;

    @Test
    void intermediate_chains_to_the_root_with_pathlen_zero_and_istiod_san() throws Exception {
        // given
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(state.resolve("mesh"));
        // when
        ClusterCertificates east = ca.issueIntermediate("mcmesh-east");
        // then
        X509Certificate root = certificates(east.rootCert()).get(0);
        X509Certificate intermediate = certificates(east.caCert()).get(0);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(intermediate)), parameters);
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Root CA,O=Istio");
        assertThat(intermediate.getBasicConstraints()).isZero();
        assertThat(intermediate.getKeyUsage()).containsExactly(true, true, true, false, false, true, false, false, false);
        assertThat(intermediate.getSubjectAlternativeNames()).containsExactly(List.of(2, "istiod.istio-system.svc"));
        assertThat(intermediate.getSubjectX500Principal().getName()).isEqualTo("L=mcmesh-east,CN=Intermediate CA,O=Istio");
        assertThat(intermediate.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(certificates(east.certChain())).containsExactly(intermediate, root);
        assertThat(east.secretData()).containsOnlyKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem");
        assertThat(east.caKey()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(east.toString()).doesNotContain(east.caKey());
    }

    @Test
    void keeps_the_root_in_owner_only_files_and_reuses_it() throws Exception {
        // given
        Path directory = state.resolve("a+b@mesh1");
        CertificateAuthority first = CertificateAuthority.loadOrCreate(directory);
        // when
        CertificateAuthority second = CertificateAuthority.loadOrCreate(directory);
        // then
        assertThat(first.wasCreated()).isTrue();
        assertThat(second.wasCreated()).isFalse();
        assertThat(second.rootCertificatePem()).isEqualTo(first.rootCertificatePem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("root-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("root-cert.pem"))))
                .isEqualTo("rw-------");
        X509Certificate root = certificates(first.rootCertificatePem()).get(0);
        certificates(second.issueIntermediate("b").caCert()).get(0).verify(root.getPublicKey());
    }

    @Test
    void delete_removes_key_certificate_interrupted_writes_and_the_directory() throws Exception {
        // given a kept root and the temporary file of a write that was interrupted
        Path directory = state.resolve("mcmesh-east+mcmesh-west@mesh1");
        CertificateAuthority.loadOrCreate(directory);
        Files.writeString(directory.resolve("root-key.pem1234567.tmp"), "partial");

        // when
        boolean deleted = CertificateAuthority.delete(directory);

        // then
        assertThat(deleted).isTrue();
        assertThat(directory).doesNotExist();
        assertThat(CertificateAuthority.delete(directory)).as("nothing left to delete").isFalse();
    }

    @Test
    void makes_a_new_root_when_the_key_is_gone() throws Exception {
        // given
        Path directory = state.resolve("mesh");
        String oldRoot = CertificateAuthority.loadOrCreate(directory).rootCertificatePem();
        Files.delete(directory.resolve("root-key.pem"));
        // when
        CertificateAuthority renewed = CertificateAuthority.loadOrCreate(directory);
        // then
        assertThat(renewed.wasCreated()).isTrue();
        assertThat(renewed.rootCertificatePem()).isNotEqualTo(oldRoot);
    }

    @SuppressWarnings("unchecked")
    static List<X509Certificate> certificates(String pem) throws Exception {
        return (List<X509Certificate>) CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
