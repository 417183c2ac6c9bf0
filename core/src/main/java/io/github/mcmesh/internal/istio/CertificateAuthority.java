package io.github.mcmesh.internal.istio;

import io.github.mcmesh.internal.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The root CA of one mesh and the intermediates it signs for each cluster, laid out as Istio's
 * {@code tools/certs/Makefile.selfsigned.mk} does (root {@code O=Istio, CN=Root CA}, {@code CA:true};
 * intermediate {@code O=Istio, CN=Intermediate CA, L=<cluster>}, {@code CA:true, pathlen:0}, SAN
 * {@code istiod.istio-system.svc}; both with keyUsage digitalSignature, nonRepudiation,
 * keyEncipherment (RSA keys only), keyCertSign; SHA-256, ten years). New keys are EC P-256: a
 * P-256 key takes milliseconds where an RSA-2048 key took 0.2-1.5 s, and Istio's plugged-in CA
 * takes it at 1.18.2 and 1.30.3 alike ({@code security/pkg/pki/util/crypto.go ParsePemEncodedKey}
 * reads {@code EC PRIVATE KEY}, {@code keycertbundle.go CertOptions} handles {@code *ecdsa.PrivateKey},
 * {@code generate_cert.go GenCertFromCSR} signs through Go's {@code x509.CreateCertificate}, which
 * signs with either key type). A root kept from before (RSA) is loaded and signs as it is (SHA-256
 * with RSA), so a rerun never rotates a mesh's root for the key type. The root is kept in an
 * owner-only directory ({@code rwx------}, files {@code rw-------}); keys never leave it except in
 * the {@code cacerts} secrets.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.loadOrCreate(stateDir.resolve("mcmesh-east+mcmesh-west@mesh1"));
 * ClusterCertificates east = ca.issueIntermediate("mcmesh-east");
 * east.secretData(); // ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem
 * }</pre>
 */
public final class CertificateAuthority {

    static final String ROOT_CERT_FILE = "root-cert.pem";
    static final String ROOT_KEY_FILE = "root-key.pem";
    static final String INTERMEDIATE_SAN = "istiod.istio-system.svc";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final String KEY_CURVE = "secp256r1";
    private static final int CA_KEY_USAGE = KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate rootCertificate;
    private final PrivateKey rootKey;
    private final boolean created;
    /** Whether the root is in its files: a {@link #loadOrMake made} one is not until {@link #keepIn}. */
    private boolean kept;

    private CertificateAuthority(X509Certificate rootCertificate, PrivateKey rootKey, boolean created) {
        this.rootCertificate = rootCertificate;
        this.rootKey = rootKey;
        this.created = created;
        this.kept = !created;
    }

    /**
     * Loads the root kept in {@code directory}, or creates a new one there when its key is
     * missing (see {@link #wasCreated()}).
     */
    public static CertificateAuthority loadOrCreate(Path directory) {
        CertificateAuthority authority = loadOrMake(directory);
        authority.keepIn(directory);
        return authority;
    }

    /**
     * Loads the root kept in {@code directory}, or makes a new one in memory only when its key is
     * missing ({@link #wasCreated()}): {@link #keepIn} writes it once it is used, so a root made
     * ahead of time (while the clusters start) is not kept unless a cluster's CA comes from it.
     */
    public static CertificateAuthority loadOrMake(Path directory) {
        Path certFile = directory.resolve(ROOT_CERT_FILE);
        Path keyFile = directory.resolve(ROOT_KEY_FILE);
        try {
            if (Files.isRegularFile(keyFile) && Files.isRegularFile(certFile)) {
                return new CertificateAuthority(Pem.parseCertificate(Files.readString(certFile)),
                        Pem.parsePrivateKey(Files.readString(keyFile)), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the mesh's root CA in " + directory, e);
        }
        KeyPair keys = newKeyPair();
        X500Name subject = name("Root CA", Optional.empty());
        X509Certificate root = sign(subject, keys.getPublic(), subject, keys.getPrivate(),
                new BasicConstraints(true), Optional.empty(), Optional.empty());
        return new CertificateAuthority(root, keys.getPrivate(), true);
    }

    /** Writes a root {@link #loadOrMake made} in memory to {@code directory}'s owner-only files; nothing for a kept one. */
    public synchronized void keepIn(Path directory) {
        if (kept) {
            return;
        }
        try {
            OwnerOnlyFiles.createDirectories(directory);
            OwnerOnlyFiles.writeString(directory.resolve(ROOT_KEY_FILE), Pem.encode(rootKey));
            OwnerOnlyFiles.writeString(directory.resolve(ROOT_CERT_FILE), Pem.encode(rootCertificate));
            kept = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the mesh's root CA in " + directory, e);
        }
    }

    /**
     * Deletes the root kept in {@code directory} (key, certificate, temporary files of an
     * interrupted write) and the directory itself.
     *
     * @return whether there was a root key to delete
     */
    public static boolean delete(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        boolean hadKey = Files.isRegularFile(directory.resolve(ROOT_KEY_FILE));
        try {
            try (Stream<Path> leftovers = Files.list(directory)) {
                for (Path file : leftovers.filter(CertificateAuthority::isRootFile).toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.delete(directory);
            return hadKey;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the mesh's root CA in " + directory, e);
        }
    }

    /** The root's files and {@link #writeOwnerOnly}'s temporary files, e.g. {@code root-key.pem123.tmp}. */
    private static boolean isRootFile(Path file) {
        String name = file.getFileName().toString();
        return name.equals(ROOT_KEY_FILE) || name.equals(ROOT_CERT_FILE)
                || (name.endsWith(".tmp") && (name.startsWith(ROOT_KEY_FILE) || name.startsWith(ROOT_CERT_FILE)));
    }

    /** Whether {@link #loadOrCreate} made a new root (no key was kept): every cluster's CA must then be rebuilt. */
    public boolean wasCreated() {
        return created;
    }

    /** The root certificate, PEM-encoded ({@code root-cert.pem}). */
    public String rootCertificatePem() {
        return Pem.encode(rootCertificate);
    }

    public X509Certificate rootCertificate() {
        return rootCertificate;
    }

    /** The root key, PEM-encoded as in {@code root-key.pem}: only to register it with the runner's redactor. */
    String rootKeyPem() {
        return Pem.encode(rootKey);
    }

    /** A new intermediate CA for one cluster, signed by the root. */
    public ClusterCertificates issueIntermediate(String cluster) {
        KeyPair keys = newKeyPair();
        X509Certificate intermediate = sign(name("Intermediate CA", Optional.of(cluster)), keys.getPublic(),
                X500Name.getInstance(rootCertificate.getSubjectX500Principal().getEncoded()), rootKey,
                new BasicConstraints(0), Optional.of(INTERMEDIATE_SAN), Optional.of(rootCertificate.getPublicKey()));
        String caCert = Pem.encode(intermediate);
        String rootCert = rootCertificatePem();
        return new ClusterCertificates(caCert, Pem.encode(keys.getPrivate()), rootCert, caCert + rootCert);
    }

    private static X500Name name(String commonName, Optional<String> locality) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Istio");
        builder.addRDN(BCStyle.CN, commonName);
        locality.ifPresent(l -> builder.addRDN(BCStyle.L, l));
        return builder.build();
    }

    private static X509Certificate sign(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
            BasicConstraints constraints, Optional<String> dnsName, Optional<PublicKey> issuerPublicKey) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, constraints);
            // RFC 5480 section 3 allows no keyEncipherment for an EC key; an RSA key keeps Istio's Makefile's set
            boolean rsa = "RSA".equals(subjectKey.getAlgorithm());
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(rsa ? CA_KEY_USAGE | KeyUsage.keyEncipherment : CA_KEY_USAGE));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(issuerPublicKey.orElse(subjectKey)));
            if (dnsName.isPresent()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName.get())));
            }
            // the issuer's key decides: a root kept from before signs with RSA, a new one with ECDSA
            String algorithm = "RSA".equals(issuerKey.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot sign a CA certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(KEY_CURVE), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 key generation is not available", e);
        }
    }

    /**
     * The content of one cluster's {@code cacerts} secret.
     *
     * <pre>{@code
     * Map<String, String> data = ca.issueIntermediate("mcmesh-east").secretData();
     * }</pre>
     *
     * @param caCert the intermediate certificate ({@code ca-cert.pem})
     * @param caKey the intermediate's private key ({@code ca-key.pem}); never logged
     * @param rootCert the root certificate ({@code root-cert.pem})
     * @param certChain intermediate then root ({@code cert-chain.pem})
     */
    public record ClusterCertificates(String caCert, String caKey, String rootCert, String certChain) {

        /** The secret's keys and values, as Istio's plug-in CA reads them from {@code /etc/cacerts}. */
        public Map<String, String> secretData() {
            return Map.of("ca-cert.pem", caCert, "ca-key.pem", caKey, "root-cert.pem", rootCert,
                    "cert-chain.pem", certChain);
        }

        /** Names the certificates only: the key must never reach a log. */
        @Override
        public String toString() {
            return "ClusterCertificates[ca-cert.pem, ca-key.pem (hidden), root-cert.pem, cert-chain.pem]";
        }
    }

    /** PEM encoding and decoding through BouncyCastle. */
    static final class Pem {
        private Pem() {
        }

        static String encode(Object object) {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                if (object instanceof PrivateKey key && "EC".equals(key.getAlgorithm())) {
                    // PKCS#8 ("PRIVATE KEY", read by Istio's ParsePemEncodedKey) names the curve in its algorithm
                    // identifier; the JDK's key encoding has no curve inside, so an "EC PRIVATE KEY" made from it lacks one
                    writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
                    return finish(writer, text);
                }
                writer.writeObject(object);
                return finish(writer, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String finish(JcaPEMWriter writer, StringWriter text) throws IOException {
            writer.flush();
            return text.toString();
        }

        static X509Certificate parseCertificate(String pem) {
            try (PEMParser parser = new PEMParser(new StringReader(pem))) {
                Object parsed = parser.readObject();
                if (!(parsed instanceof X509CertificateHolder holder)) {
                    throw new IllegalArgumentException("Not a PEM certificate");
                }
                return new JcaX509CertificateConverter().getCertificate(holder);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("Not a PEM certificate: " + e.getMessage(), e);
            }
        }

        static PrivateKey parsePrivateKey(String pem) {
            try (PEMParser parser = new PEMParser(new StringReader(pem))) {
                Object parsed = parser.readObject();
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                if (parsed instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (parsed instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                // Deliberately no detail: the text is key material.
                throw new IllegalArgumentException("The root key file holds no PEM private key");
            } catch (IOException e) {
                throw new IllegalArgumentException("The root key file cannot be read as PEM", e);
            }
        }
    }
}
