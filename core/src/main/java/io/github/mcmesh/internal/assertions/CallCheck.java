package io.github.mcmesh.internal.assertions;

import io.github.mcmesh.Mesh;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * One expectation on a round of calls: what it expects (a format and its arguments, for the
 * message), why a round misses it, and its failure when it is the only expectation checked.
 *
 * <pre>{@code
 * CallCheck reaching = CallCheck.reaching(List.of("mcmesh-east", "mcmesh-west"));
 * Optional<ErrorMessageFactory> failure = CallCheck.verdict(List.of(reaching), round);
 * }</pre>
 */
public final class CallCheck {

    private final String name;
    private final String expected;
    private final Object[] expectedArguments;
    private final List<String> clusters;
    private final boolean namesClusters;
    private final Function<CallRound, List<String>> problems;
    private final Function<CallRound, ErrorMessageFactory> failure;

    private CallCheck(String name, String expected, Object[] expectedArguments, List<String> clusters,
            boolean namesClusters, Function<CallRound, List<String>> problems, Function<CallRound, ErrorMessageFactory> failure) {
        this.name = name;
        this.expected = expected;
        this.expectedArguments = expectedArguments;
        this.clusters = List.copyOf(clusters);
        this.namesClusters = namesClusters;
        this.problems = problems;
        this.failure = failure;
    }

    /** Every call ends with a 2xx status. */
    public static CallCheck succeeding() {
        return new CallCheck("succeeding", ShouldSucceed.EXPECTED, new Object[0], List.of(), false, ShouldSucceed::problems,
                ShouldSucceed::shouldSucceed);
    }

    /** Every call gets an answer with this status. */
    public static CallCheck respondingWith(int status) {
        return new CallCheck("answered with " + status, ShouldRespondWith.EXPECTED, new Object[] {status}, List.of(), false,
                round -> ShouldRespondWith.problems(round, status), round -> ShouldRespondWith.shouldRespondWith(round, status));
    }

    /** Each of {@code clusters} answers, no other does, every call succeeds. */
    public static CallCheck reaching(List<String> clusters) {
        List<String> expected = List.copyOf(clusters);
        return new CallCheck("reaching " + expected, ShouldReachClusters.EXPECTED, new Object[] {expected}, expected, true,
                round -> ShouldReachClusters.problems(round, expected),
                round -> ShouldReachClusters.shouldReachClusters(round, expected));
    }

    /** Only {@code cluster} answers, every call succeeds. */
    public static CallCheck stayingIn(String cluster) {
        Objects.requireNonNull(cluster, "cluster");
        return new CallCheck("staying in " + cluster, ShouldStayInCluster.EXPECTED, new Object[] {cluster}, List.of(cluster),
                true, round -> ShouldStayInCluster.problems(round, cluster),
                round -> ShouldStayInCluster.shouldStayInCluster(round, cluster));
    }

    /**
     * Each of {@code clusters} answers at least {@code minShare} of a round's calls, no other answers, every call succeeds.
     *
     * @throws IllegalArgumentException when no round could meet the share
     */
    public static CallCheck distributedAcross(double minShare, List<String> clusters) {
        List<String> expected = List.copyOf(clusters);
        if (!expected.isEmpty() && (!(minShare > 0) || minShare * expected.size() > 1.0)) {
            throw new IllegalArgumentException("minShare " + minShare + " is impossible for " + expected.size()
                    + " clusters; pass a share above 0 and at most " + (1.0 / expected.size()));
        }
        return new CallCheck("distributed across " + expected, ShouldBeDistributedAcross.EXPECTED,
                ShouldBeDistributedAcross.expectedArguments(minShare, expected), expected, true,
                round -> ShouldBeDistributedAcross.problems(round, minShare, expected),
                round -> ShouldBeDistributedAcross.shouldBeDistributedAcross(round, minShare, expected));
    }

    /**
     * Checks, before any call, that every cluster named is one of the mesh's and that a round of
     * {@code callsPerRound} calls can meet the expectation.
     *
     * @throws IllegalArgumentException naming the known clusters, or the number of calls needed
     */
    public void checkFeasible(Mesh mesh, int callsPerRound) {
        if (namesClusters && clusters.isEmpty()) {
            throw new IllegalArgumentException("Name at least one cluster; known clusters: " + mesh.clusterNames());
        }
        clusters.forEach(mesh::cluster);
        if (namesClusters && callsPerRound < clusters.size()) {
            throw new IllegalArgumentException("calls(" + callsPerRound + ") cannot reach " + clusters.size()
                    + " clusters; use calls(n) with n of at least " + clusters.size());
        }
    }

    /**
     * The failure of {@code round} against {@code checks}, empty when it meets every one: a single
     * expectation fails with its own message, several with {@link ShouldSatisfyExpectations} naming each one missed.
     */
    public static Optional<ErrorMessageFactory> verdict(List<CallCheck> checks, CallRound round) {
        List<CallCheck> failed = new ArrayList<>();
        List<List<String>> problemsOfFailed = new ArrayList<>();
        for (CallCheck check : checks) {
            List<String> problems = check.problems.apply(round);
            if (!problems.isEmpty()) {
                failed.add(check);
                problemsOfFailed.add(problems);
            }
        }
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(checks.size() == 1 ? failed.get(0).failure.apply(round)
                : ShouldSatisfyExpectations.shouldSatisfyExpectations(round, checks.size(), failed, problemsOfFailed));
    }

    String expected() {
        return expected;
    }

    Object[] expectedArguments() {
        return expectedArguments.clone();
    }

    List<String> clusters() {
        return clusters;
    }

    /** How the convergence failure names it, e.g. {@code reaching [east, west]}. */
    @Override
    public String toString() {
        return name;
    }
}
