package io.github.mcmesh.internal.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.istio.CertificateAuthority.ClusterCertificates;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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
        // digitalSignature, nonRepudiation, keyCertSign: no keyEncipherment for an EC key (RFC 5480)
        assertThat(intermediate.getKeyUsage()).containsExactly(true, true, false, false, false, true, false, false, false);
        assertThat(intermediate.getSubjectAlternativeNames()).containsExactly(List.of(2, "istiod.istio-system.svc"));
        assertThat(intermediate.getSubjectX500Principal().getName()).isEqualTo("L=mcmesh-east,CN=Intermediate CA,O=Istio");
        assertThat(intermediate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(intermediate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificates(east.certChain())).containsExactly(intermediate, root);
        assertThat(east.secretData()).containsOnlyKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem");
        // PKCS#8 naming the curve P-256: Istio's ParsePemEncodedKey reads "PRIVATE KEY" with x509.ParsePKCS8PrivateKey
        assertThat(east.caKey()).startsWith("-----BEGIN PRIVATE KEY-----");
        PrivateKeyInfo key = PrivateKeyInfo.getInstance(pemContent(east.caKey()));
        assertThat(key.getPrivateKeyAlgorithm().getAlgorithm()).isEqualTo(X9ObjectIdentifiers.id_ecPublicKey);
        assertThat(key.getPrivateKeyAlgorithm().getParameters()).isEqualTo(SECObjectIdentifiers.secp256r1);
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

    @Test
    void a_kept_rsa_root_is_loaded_as_it_is_and_signs_ec_intermediates_with_rsa() throws Exception {
        // given a root kept by an earlier mcmesh, RSA 2048 in PKCS#1 as it wrote them
        Path directory = state.resolve("mcmesh-east+mcmesh-west@mesh1");
        KeyPair rootKeys = keepRsaRoot(directory);
        X509Certificate oldRoot = CertificateAuthority.Pem.parseCertificate(Files.readString(directory.resolve("root-cert.pem")));

        // when
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(directory);
        ClusterCertificates east = ca.issueIntermediate("mcmesh-east");

        // then the root is not rotated, and the new intermediate chains to it
        assertThat(ca.wasCreated()).isFalse();
        assertThat(ca.rootCertificate()).isEqualTo(oldRoot);
        assertThat(east.rootCert()).isEqualTo(CertificateAuthority.Pem.encode(oldRoot));
        X509Certificate intermediate = certificates(east.caCert()).get(0);
        intermediate.verify(rootKeys.getPublic());
        assertThat(intermediate.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(intermediate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(Files.readString(directory.resolve("root-key.pem"))).isEqualTo(CertificateAuthority.Pem.encode(rootKeys.getPrivate()));
    }

    @Test
    void a_root_made_ahead_is_kept_only_once_asked() throws Exception {
        // given
        Path directory = state.resolve("mesh");
        CertificateAuthority made = CertificateAuthority.loadOrMake(directory);
        assertThat(made.wasCreated()).isTrue();
        assertThat(directory).doesNotExist();
        // when
        made.keepIn(directory);
        // then
        CertificateAuthority loaded = CertificateAuthority.loadOrCreate(directory);
        assertThat(loaded.wasCreated()).isFalse();
        assertThat(loaded.rootCertificatePem()).isEqualTo(made.rootCertificatePem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("root-key.pem"))))
                .isEqualTo("rw-------");
    }

    /** Keeps an RSA-2048 root in {@code directory} as mcmesh did before its keys were EC; returns its keys. */
    static KeyPair keepRsaRoot(Path directory) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rootKeys = rsa.generateKeyPair();
        X500Name subject = new X500Name("O=Istio,CN=Root CA");
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 3_600_000L), subject, rootKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(rootKeys.getPrivate())));
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("root-key.pem"), CertificateAuthority.Pem.encode(rootKeys.getPrivate()));
        Files.writeString(directory.resolve("root-cert.pem"), CertificateAuthority.Pem.encode(root));
        assertThat(Files.readString(directory.resolve("root-key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        return rootKeys;
    }

    private static byte[] pemContent(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    @SuppressWarnings("unchecked")
    static List<X509Certificate> certificates(String pem) throws Exception {
        return (List<X509Certificate>) CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
