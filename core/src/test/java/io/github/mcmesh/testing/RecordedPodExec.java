package io.github.mcmesh.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.internal.probe.PodExec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link PodExec} answering from a recorded transcript: per pod and command prefix, a queue of
 * results (the last one repeats). Any command without a recorded answer is rejected, like a
 * real pod without that binary (exit 127). Every invocation is recorded.
 *
 * <pre>{@code
 * RecordedPodExec exec = new RecordedPodExec()
 *         .answer("sleep-1", List.of("curl"), RecordedPodExec.curl(200, "Hello version: v1, instance: hw-1\n"));
 * }</pre>
 */
public final class RecordedPodExec implements PodExec {

    private record Rule(String pod, String container, Predicate<List<String>> command, Deque<ExecResult> results,
            boolean cycle) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<String> invocations = new ArrayList<>();

    /** Answers commands in {@code pod} starting with {@code prefix} with these results, cycling (a load balancer). */
    public RecordedPodExec answer(String pod, List<String> prefix, ExecResult... results) {
        return add(pod, prefix, results, true);
    }

    /** As {@link #answer}, but in order once, the last result repeating forever. */
    public RecordedPodExec answerInOrder(String pod, List<String> prefix, ExecResult... results) {
        return add(pod, prefix, results, false);
    }

    /** As {@link #answer}, only in {@code container} of the pod (e.g. mcmesh's ephemeral probe container). */
    public RecordedPodExec answerIn(String pod, String container, List<String> prefix, ExecResult... results) {
        return add(pod, container, prefix, results, true);
    }

    private RecordedPodExec add(String pod, List<String> prefix, ExecResult[] results, boolean cycle) {
        return add(pod, null, prefix, results, cycle);
    }

    private RecordedPodExec add(String pod, String container, List<String> prefix, ExecResult[] results, boolean cycle) {
        rules.add(new Rule(pod, container, command -> command.size() >= prefix.size() && command.subList(0, prefix.size()).equals(prefix),
                new ArrayDeque<>(List.of(results)), cycle));
        return this;
    }

    @Override
    public synchronized ExecResult exec(KubernetesClient client, String namespace, String pod, String container,
            Duration timeout, List<String> command) {
        invocations.add(pod + "/" + container + ": " + String.join(" ", command));
        for (Rule rule : rules) {
            if (rule.pod().equals(pod) && (rule.container() == null || rule.container().equals(container))
                    && rule.command().test(command)) {
                if (rule.results().size() == 1) {
                    return rule.results().getFirst();
                }
                ExecResult result = rule.results().removeFirst();
                if (rule.cycle()) {
                    rule.results().addLast(result);
                }
                return result;
            }
        }
        return new ExecResult(127, "", "exec: \"" + command.get(0) + "\": executable file not found in $PATH");
    }

    public synchronized List<String> invocations() {
        return List.copyOf(invocations);
    }

    /** What the container runtime answers when the binary is not in the image (cri-dockerd: exit 126). */
    public static ExecResult notInImage(String binary) {
        return new ExecResult(126, "", "OCI runtime exec failed: exec failed: unable to start container process: exec: \""
                + binary + "\": executable file not found in $PATH: unknown");
    }

    /** The user agents ({@code mcmesh-probe/<id>}) the recorded curl calls were sent with, in order. */
    public synchronized List<String> userAgents() {
        return invocations.stream().filter(line -> line.contains(" -A mcmesh-probe/"))
                .map(line -> line.substring(line.indexOf(" -A ") + 4).split(" ")[0]).toList();
    }

    /** What curl with the probe's {@code -w} prints for an answer. */
    public static ExecResult curl(int status, String body) {
        return new ExecResult(0, body + "\n--mcmesh-probe--" + status + " 0.012000\n{\"content-type\":[\"text/html\"]}", "");
    }

    /** What curl prints when it fails before an answer (exit 6 could not resolve, 7, 28...). */
    public static ExecResult curlError(int exitCode, String stderr) {
        return new ExecResult(exitCode, "\n--mcmesh-probe--000 0.003000\n{}", stderr);
    }

    /** Results repeated {@code times}. */
    public static ExecResult[] times(int times, ExecResult result) {
        ExecResult[] results = new ExecResult[times];
        java.util.Arrays.fill(results, result);
        return results;
    }

    /** The results of several groups, concatenated. */
    public static ExecResult[] concat(ExecResult[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(ExecResult[]::new);
    }

}
