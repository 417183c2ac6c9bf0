package io.github.mcmesh.internal.probe;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

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
        AtomicReference<Status> exitStatus = new AtomicReference<>();
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
                .writingOutput(stdout).writingError(stderr).usingListener(new ExecListener() {
                    @Override
                    public void onExit(int code, Status status) {
                        exitStatus.set(status);
                    }

                    @Override
                    public void onClose(int code, String reason) {
                        // the exit code future tells how the stream ended
                    }
                })
                .exec(command.toArray(String[]::new))) {
            Integer exitCode = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exitCode == null) {
                return new ExecResult(-1, text(stdout), text(stderr) + "\n[mcmesh] exec stream closed without an exit status: "
                        + String.join(" ", command));
            }
            Status status = exitStatus.get();
            if (exitCode == -1 && status != null && !"NonZeroExitCode".equals(status.getReason())) {
                // a Failure that is not the command's own exit (e.g. the binary is missing): fabric8 says -1
                return new ExecResult(-1, text(stdout), text(stderr) + "\n[mcmesh] exec failed (" + status.getReason() + "): "
                        + status.getMessage());
            }
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
