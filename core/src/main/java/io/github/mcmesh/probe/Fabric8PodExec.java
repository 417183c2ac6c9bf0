package io.github.mcmesh.probe;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link PodExec} through the API server's exec subresource (fabric8's websocket exec), the way
 * {@code kubectl exec} works, without a subprocess.
 *
 * <pre>{@code
 * PodExec exec = new Fabric8PodExec();
 * ExecResult result = exec.exec(client, "demo", "sleep-7d9f", "sleep", Duration.ofSeconds(10),
 *         List.of("curl", "-sS", "http://helloworld:5000/hello"));
 * }</pre>
 */
public class Fabric8PodExec implements PodExec {

    @Override
    public ExecResult exec(KubernetesClient client, String namespace, String pod, String container, Duration timeout,
            List<String> command) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
                .writingOutput(stdout).writingError(stderr)
                .exec(command.toArray(String[]::new))) {
            int exitCode = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ExecResult(exitCode, text(stdout), text(stderr));
        } catch (TimeoutException e) {
            return new ExecResult(-1, text(stdout), text(stderr) + "\n[mcmesh] no exit within " + timeout + ": "
                    + String.join(" ", command));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("Interrupted while running in pod " + namespace + "/" + pod + ": "
                    + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException("Exec in pod " + namespace + "/" + pod + " container " + container
                    + " failed: " + String.join(" ", command) + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
