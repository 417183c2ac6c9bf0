package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.internal.probe.HttpObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the evidence of a round for failure messages. */
public final class Evidence {

    static final String NL = System.lineSeparator();
    static final int LAST_CALLS_SHOWN = 5;

    private Evidence() {
    }

    /** Per cluster counts and the last calls. */
    static String of(CallRound round) {
        StringBuilder text = new StringBuilder();
        text.append("In round ").append(round.number()).append(" (after ").append(duration(round.elapsed()))
                .append(") the ").append(round.calls().size()).append(" calls were answered by:");
        for (Map.Entry<String, Long> entry : round.answersByCluster().entrySet()) {
            text.append(NL).append("  ").append(entry.getKey()).append(": ").append(entry.getValue());
        }
        text.append(NL).append("  unattributed: ").append(round.unattributed()).append(", failed: ").append(round.failed());
        text.append(NL).append("Last calls:");
        List<HttpObservation> calls = round.calls();
        calls.subList(Math.max(0, calls.size() - LAST_CALLS_SHOWN), calls.size())
                .forEach(call -> text.append(NL).append("  ").append(call));
        return text.toString();
    }

    static String of(DnsRound round) {
        return "In round " + round.number() + " (after " + duration(round.elapsed()) + "): " + round.lookup();
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** What keeps the round from being answered by exactly {@code expected}, every call succeeding. */
    public static List<String> clusterProblems(CallRound round, Collection<String> expected) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> answers = round.answersByCluster();
        expected.stream().filter(cluster -> answers.getOrDefault(cluster, 0L) == 0)
                .forEach(cluster -> problems.add(cluster + " did not answer"));
        answers.entrySet().stream().filter(entry -> !expected.contains(entry.getKey()) && entry.getValue() > 0)
                .forEach(entry -> problems.add(entry.getKey() + " answered " + entry.getValue() + " of "
                        + round.calls().size() + " calls"));
        if (round.failed() > 0) {
            problems.add(round.failed() + " of " + round.calls().size() + " calls failed");
        }
        if (round.unattributed() > 0) {
            problems.add(round.unattributed() + " answers could not be attributed to a cluster");
        }
        return problems;
    }
}
