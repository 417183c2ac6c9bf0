package io.github.mcmesh.internal.istio;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.mcmesh.internal.exec.Command;
import io.github.mcmesh.internal.exec.Tool;
import io.github.mcmesh.internal.provision.ClusterConnection;
import io.github.mcmesh.internal.provision.ProvisioningContext;
import io.github.mcmesh.spec.RemoteSecretMode;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote secrets of a mesh, laid out exactly as {@code istioctl create-remote-secret --name=A}
 * (istioctl/pkg/multicluster/remote_secret.go) writes them: in B's {@code istio-system}, Secret
 * {@code istio-remote-secret-A}, label {@code istio/multiCluster: "true"}, annotation
 * {@code networking.istio.io/cluster: A}, one data key {@code A} holding a kubeconfig whose
 * cluster, user and context are all {@code A}, with A's CA inline, A's reachable API server URL
 * and the bearer token of A's {@code istio-reader-service-account}. No file paths: istiod rejects them.
 */
public final class RemoteSecrets {

    static final String SECRET_PREFIX = "istio-remote-secret-";
    static final String MULTI_CLUSTER_LABEL = "istio/multiCluster";
    static final String CLUSTER_ANNOTATION = "networking.istio.io/cluster";
    static final String READER_SERVICE_ACCOUNT = "istio-reader-service-account";
    static final String TOKEN_SECRET = READER_SERVICE_ACCOUNT + "-istio-remote-secret-token";
    static final String SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token";
    static final String SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSecrets.class);

    private final ProvisioningContext context;

    RemoteSecrets(ProvisioningContext context) {
        this.context = context;
    }

    static String secretName(String cluster) {
        return SECRET_PREFIX + cluster;
    }

    /** Whether B holds A's remote secret with A's current server, CA and reader token. */
    boolean holds(String source, String target) {
        Secret existing = client(target).secrets().inNamespace(IstioInstaller.NAMESPACE).withName(secretName(source)).get();
        if (existing == null || existing.getData() == null || existing.getData().size() != 1
                || !"true".equals(label(existing, MULTI_CLUSTER_LABEL))
                || !source.equals(annotation(existing, CLUSTER_ANNOTATION)) || !existing.getData().containsKey(source)) {
            return false;
        }
        Optional<ReaderToken> token = findReaderTokenSecret(source).flatMap(ReaderToken::of).map(this::registered);
        return token.isPresent() && sameKubeconfig(decode(existing.getData().get(source)), kubeconfig(source, token.get()));
    }

    void apply(String source, String target) {
        Secret secret = context.spec().remoteSecrets() == RemoteSecretMode.ISTIOCTL ? fromIstioctl(source) : built(source);
        client(target).secrets().inNamespace(IstioInstaller.NAMESPACE).resource(secret)
                .createOr(NonDeletingOperation::update);
    }

    private Secret built(String source) {
        String kubeconfig = Serialization.asYaml(kubeconfig(source, readerToken(source)));
        return new SecretBuilder().withNewMetadata().withName(secretName(source))
                .withNamespace(IstioInstaller.NAMESPACE)
                .addToLabels(MULTI_CLUSTER_LABEL, "true").addToAnnotations(CLUSTER_ANNOTATION, source).endMetadata()
                .addToData(source, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** {@code istioctl create-remote-secret} (top-level since 1.12; the {@code x} form is gone since 1.19). */
    private Secret fromIstioctl(String source) {
        ClusterConnection connection = context.connection(source);
        List<String> arguments = new ArrayList<>(List.of("create-remote-secret", "--context=" + source));
        // istioctl resolves --context in the kubeconfig it loads (-c/--kubeconfig, a root flag at 1.18.2 and
        // 1.30.3), not in the one mcmesh connects with
        context.spec().kubeconfig().ifPresent(file -> arguments.add("--kubeconfig=" + file));
        arguments.addAll(List.of("--name=" + source, "--server=" + connection.apiServerUrl(),
                "--namespace=" + IstioInstaller.NAMESPACE));
        String yaml = context.runner().run(Command.of(Tool.ISTIOCTL, arguments).forCluster(source).withSensitiveOutput())
                .stdout();
        Secret secret = Serialization.unmarshal(yaml, Secret.class);
        registerCredentials(secret);
        // istioctl prints stringData; the API server would fold it into data, the mock server does not.
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((key, value) -> secret.getData().put(key,
                    Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
            secret.setStringData(null);
        }
        secret.getMetadata().setNamespace(IstioInstaller.NAMESPACE);
        return secret;
    }

    /** Masks the token wherever the runner logs or throws from now on. */
    private ReaderToken registered(ReaderToken token) {
        context.secrets().add(token.token());
        return token;
    }

    /**
     * The credentials inside the kubeconfigs of an istioctl remote secret (bearer tokens, inline
     * client keys). Only those: the Redactor masks each line of what it gets, and lines such as
     * {@code kind: Config} would then be masked in every output.
     */
    private void registerCredentials(Secret secret) {
        List<String> kubeconfigs = new java.util.ArrayList<>();
        if (secret.getStringData() != null) {
            kubeconfigs.addAll(secret.getStringData().values());
        }
        if (secret.getData() != null) {
            secret.getData().values().forEach(value -> kubeconfigs.add(decode(value)));
        }
        for (String kubeconfig : kubeconfigs) {
            Config config;
            try {
                config = Serialization.unmarshal(kubeconfig, Config.class);
            } catch (RuntimeException e) {
                continue; // not a kubeconfig; the secret is rejected or applied as istioctl printed it
            }
            if (config != null && config.getUsers() != null) {
                config.getUsers().stream().filter(user -> user.getUser() != null).forEach(user -> {
                    context.secrets().add(user.getUser().getToken());
                    context.secrets().add(user.getUser().getClientKeyData());
                });
            }
        }
    }

    private Config kubeconfig(String source, ReaderToken token) {
        String server = context.connection(source).apiServerUrl();
        return new ConfigBuilder().withApiVersion("v1").withKind("Config")
                .addNewCluster().withName(source).withNewCluster().withServer(server)
                .withCertificateAuthorityData(token.caData()).endCluster().endCluster()
                .addNewContext().withName(source).withNewContext().withCluster(source).withUser(source).endContext()
                .endContext()
                .withCurrentContext(source)
                .addNewUser().withName(source).withNewUser().withToken(token.token()).endUser().endUser()
                .build();
    }

    /** Compares what istiod reads; formatting and empty extras (Go writes {@code preferences: {}}) do not matter. */
    private static boolean sameKubeconfig(String existingYaml, Config wanted) {
        Config existing;
        try {
            existing = Serialization.unmarshal(existingYaml, Config.class);
        } catch (RuntimeException e) {
            return false;
        }
        if (existing == null || existing.getClusters() == null || existing.getUsers() == null
                || existing.getContexts() == null || existing.getClusters().size() != 1 || existing.getUsers().size() != 1
                || existing.getContexts().size() != 1) {
            return false;
        }
        NamedCluster cluster = existing.getClusters().get(0);
        NamedAuthInfo user = existing.getUsers().get(0);
        NamedContext kubeContext = existing.getContexts().get(0);
        NamedCluster wantedCluster = wanted.getClusters().get(0);
        NamedAuthInfo wantedUser = wanted.getUsers().get(0);
        return Objects.equals(existing.getCurrentContext(), wanted.getCurrentContext())
                && Objects.equals(cluster.getName(), wantedCluster.getName())
                && Objects.equals(cluster.getCluster().getServer(), wantedCluster.getCluster().getServer())
                && Objects.equals(cluster.getCluster().getCertificateAuthorityData(),
                        wantedCluster.getCluster().getCertificateAuthorityData())
                && cluster.getCluster().getCertificateAuthority() == null
                && Objects.equals(user.getName(), wantedUser.getName())
                && Objects.equals(user.getUser().getToken(), wantedUser.getUser().getToken())
                && user.getUser().getTokenFile() == null
                && Objects.equals(kubeContext.getName(), wanted.getCurrentContext())
                && Objects.equals(kubeContext.getContext().getCluster(), wantedCluster.getName())
                && Objects.equals(kubeContext.getContext().getUser(), wantedUser.getName());
    }

    /**
     * A's reader token, as istioctl gets it on Kubernetes 1.24+: any service-account-token Secret of
     * {@code istio-reader-service-account} in istio-system, else a new one named
     * {@code istio-reader-service-account-istio-remote-secret-token}; then wait for the token
     * controller to fill in {@code token} and {@code ca.crt}.
     */
    private ReaderToken readerToken(String source) {
        KubernetesClient client = client(source);
        Secret secret = findReaderTokenSecret(source).orElseGet(() -> {
            LOG.info("[{}] creating token secret {}/{} for service account {}", source, IstioInstaller.NAMESPACE,
                    TOKEN_SECRET, READER_SERVICE_ACCOUNT);
            try {
                return client.secrets().inNamespace(IstioInstaller.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                        .withName(TOKEN_SECRET).withNamespace(IstioInstaller.NAMESPACE)
                        .addToAnnotations(SERVICE_ACCOUNT_NAME_ANNOTATION, READER_SERVICE_ACCOUNT).endMetadata()
                        .withType(SERVICE_ACCOUNT_TOKEN_TYPE).build()).create();
            } catch (KubernetesClientException e) {
                // With three or more clusters the steps putting A's secret into B and into C run at once.
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                return findReaderTokenSecret(source).orElseThrow(() -> e);
            }
        });
        String name = secret.getMetadata().getName();
        Duration timeout = context.spec().timeouts().command();
        try {
            ReaderToken token = Awaitility.await("token of " + IstioInstaller.NAMESPACE + "/" + name + " in " + source)
                    .atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> Optional.ofNullable(client.secrets().inNamespace(IstioInstaller.NAMESPACE).withName(name)
                            .get()).flatMap(ReaderToken::of), Optional::isPresent).orElseThrow();
            return registered(token);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Cluster " + source + " did not fill in token and ca.crt of secret "
                    + IstioInstaller.NAMESPACE + "/" + name + " within " + timeout + ": is its token controller"
                    + " (kube-controller-manager) running, and does service account " + READER_SERVICE_ACCOUNT
                    + " exist (chart " + ChartSource.BASE + " creates it)?", e);
        }
    }

    private Optional<Secret> findReaderTokenSecret(String source) {
        List<Secret> secrets = client(source).secrets().inNamespace(IstioInstaller.NAMESPACE).list().getItems();
        return secrets.stream().filter(s -> SERVICE_ACCOUNT_TOKEN_TYPE.equals(s.getType())
                && READER_SERVICE_ACCOUNT.equals(annotation(s, SERVICE_ACCOUNT_NAME_ANNOTATION)))
                .sorted((a, b) -> Boolean.compare(!TOKEN_SECRET.equals(a.getMetadata().getName()),
                        !TOKEN_SECRET.equals(b.getMetadata().getName())))
                .findFirst();
    }

    /**
     * A filled service-account token secret: the CA as the kubeconfig wants it (base64, as the
     * secret holds it) and the token in clear.
     */
    private record ReaderToken(String caData, String token) {
        static Optional<ReaderToken> of(Secret secret) {
            Map<String, String> data = secret.getData();
            if (data == null || isBlank(data.get("ca.crt")) || isBlank(data.get("token"))) {
                return Optional.empty();
            }
            return Optional.of(new ReaderToken(data.get("ca.crt"), decode(data.get("token"))));
        }

        @Override
        public String toString() {
            return "ReaderToken[hidden]";
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String label(Secret secret, String key) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static String annotation(Secret secret, String key) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private KubernetesClient client(String cluster) {
        return context.connection(cluster).client();
    }
}
