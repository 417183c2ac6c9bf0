package io.github.mcmesh.assertions;

import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.internal.assertions.CallCheck;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One expectation on a round of calls, for {@link CallAssert#satisfies(CallExpectation...)}, which
 * checks several against the same rounds: one poll, every expectation checked in every round.
 *
 * <pre>{@code
 * import static io.github.mcmesh.assertions.CallExpectation.distributedAcross;
 * import static io.github.mcmesh.assertions.CallExpectation.reaching;
 *
 * assertThat(mesh).from("mcmesh-east", "sleep").calling("http://helloworld:5000/hello").calls(20)
 *         .satisfies(reaching("mcmesh-east", "mcmesh-west"), distributedAcross(0.2, "mcmesh-east", "mcmesh-west"));
 * }</pre>
 */
public final class CallExpectation {

    final CallCheck check;

    private CallExpectation(CallCheck check) {
        this.check = check;
    }

    /** Every call ends with a 2xx status; as {@link CallAssert#succeeds()}. */
    public static CallExpectation succeeding() {
        return new CallExpectation(CallCheck.succeeding());
    }

    /** Every call gets an answer with this status; as {@link CallAssert#respondsWith(int)}. */
    public static CallExpectation respondingWith(int status) {
        return new CallExpectation(CallCheck.respondingWith(status));
    }

    /**
     * Each named cluster answers at least once per round, no other cluster does, every call
     * succeeds; as {@link CallAssert#reachesClusters(String...)}.
     */
    public static CallExpectation reaching(String... clusters) {
        return new CallExpectation(CallCheck.reaching(List.of(clusters)));
    }

    /** As {@link #reaching(String...)} for the clusters of these handles. */
    public static CallExpectation reaching(ClusterHandle... clusters) {
        return reaching(names(clusters));
    }

    /** Only {@code cluster} answers, every call succeeds; as {@link CallAssert#staysInCluster(String)}. */
    public static CallExpectation stayingIn(String cluster) {
        return new CallExpectation(CallCheck.stayingIn(cluster));
    }

    /** As {@link #stayingIn(String)} for the cluster of this handle. */
    public static CallExpectation stayingIn(ClusterHandle cluster) {
        return stayingIn(Objects.requireNonNull(cluster, "cluster").name());
    }

    /**
     * Each named cluster answers at least {@code minShare} of the calls of a round, no other cluster
     * answers, every call succeeds; as {@link CallAssert#isDistributedAcross(double, String...)}.
     *
     * @param minShare between 0 (exclusive) and 1 / number of clusters
     * @throws IllegalArgumentException when no round could meet the share
     */
    public static CallExpectation distributedAcross(double minShare, String... clusters) {
        return new CallExpectation(CallCheck.distributedAcross(minShare, List.of(clusters)));
    }

    /** As {@link #distributedAcross(double, String...)} for the clusters of these handles. */
    public static CallExpectation distributedAcross(double minShare, ClusterHandle... clusters) {
        return distributedAcross(minShare, names(clusters));
    }

    static String[] names(ClusterHandle... clusters) {
        return Arrays.stream(clusters).map(cluster -> Objects.requireNonNull(cluster, "cluster").name())
                .toArray(String[]::new);
    }

    /** For example {@code reaching [mcmesh-east, mcmesh-west]}. */
    @Override
    public String toString() {
        return check.toString();
    }
}
