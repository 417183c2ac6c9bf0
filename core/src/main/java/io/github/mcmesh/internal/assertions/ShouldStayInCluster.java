package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.assertions.CallAssert;

import static io.github.mcmesh.internal.assertions.Evidence.NL;

import java.util.List;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of {@link CallAssert#staysInCluster(String)}: another cluster answered, or calls failed.
 *
 * <pre>{@code
 * throw failures.failure(info, ShouldStayInCluster.shouldStayInCluster(round, "mcmesh-east"));
 * }</pre>
 */
public class ShouldStayInCluster extends BasicErrorMessageFactory {

    public static ErrorMessageFactory shouldStayInCluster(CallRound round, String cluster) {
        return new ShouldStayInCluster(Evidence.callsFrom(round) + "to be answered by " + cluster
                + " only, every call succeeding" + NL
                + Evidence.but(Evidence.clusterProblems(round, List.of(cluster)))
                + Evidence.of(round) + Hints.forCalls(round, List.of(cluster)));
    }

    private ShouldStayInCluster(String message) {
        super("%s", unquotedString(message));
    }
}
