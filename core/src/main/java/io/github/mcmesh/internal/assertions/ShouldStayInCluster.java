package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;
import java.util.List;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#staysInCluster(String)}: another cluster answered, or calls failed.
 *
 * <pre>{@code
 * ErrorMessageFactory failure = ShouldStayInCluster.shouldStayInCluster(round, "mcmesh-east");
 * }</pre>
 */
public class ShouldStayInCluster extends CallFailure {

    static final String EXPECTED = "to be answered by %s only, every call succeeding";

    public static ErrorMessageFactory shouldStayInCluster(CallRound round, String cluster) {
        return new ShouldStayInCluster(round, cluster);
    }

    static List<String> problems(CallRound round, String cluster) {
        return Evidence.clusterProblems(round, List.of(cluster));
    }

    private ShouldStayInCluster(CallRound round, String cluster) {
        super(EXPECTED, new Object[] {cluster}, round, problems(round, cluster), List.of(cluster));
    }
}
