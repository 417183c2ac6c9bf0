package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.internal.junit.MeshLock;
import io.github.mcmesh.junit.MeshTestKit.OnlyThroughMeshTestKit;
import io.github.mcmesh.spec.MeshSpec;
import io.github.mcmesh.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class MeshLockTest {

    private static final String DEFAULT_MESH = "mcmesh-east+mcmesh-west@mesh1";

    @TempDir
    Path state;

    /** Started by the test that looks at MeshLock's log lines. */
    private LogCapture log;
    private Process secondJvm;
    private final List<Process> others = new java.util.ArrayList<>();

    @AfterEach
    void stop_everything_started() throws InterruptedException {
        if (log != null) {
            log.close();
        }
        if (secondJvm != null && secondJvm.isAlive()) {
            secondJvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Process other : others) {
            if (other.isAlive()) {
                other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        RecordingBackend.stopServers();
    }

    @Test
    void keeps_the_lock_file_its_directory_and_the_holder_file_owner_only() throws IOException {
        // when
        try (MeshLock lock = MeshLock.open(MeshSpec.builder().stateDirectory(state).build())) {
            lock.provisionThenUse(Duration.ofSeconds(1), () -> "provisioned");

            // then
            assertThat(lock.file()).isEqualTo(state.resolve("locks/mcmesh-east_mcmesh-west_mesh1.lock"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.file()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.file().getParent())))
                    .isEqualTo("rwx------");
            Path holder = lock.file().resolveSibling(lock.file().getFileName() + ".holder");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(holder))).isEqualTo("rw-------");
            assertThat(Files.readString(holder)).startsWith("pid " + ProcessHandle.current().pid() + " on ")
                    .contains(", provisioning since ");
        }
    }

    @Test
    void an_unusable_state_directory_fails_naming_the_property_the_value_and_the_fix() {
        // given a state directory no one can create (set through the builder, so no property check ran)
        MeshSpec spec = MeshSpec.builder().stateDirectory(Path.of("/proc/mcmesh-state")).build();

        // when / then
        assertThatThrownBy(() -> MeshLock.open(spec))
                .isInstanceOf(io.github.mcmesh.spec.InvalidMeshSpecException.class)
                .hasMessageStartingWith("Invalid mesh specification: mcmesh.state.dir = '/proc/mcmesh-state': mcmesh cannot"
                        + " create its lock /proc/mcmesh-state/locks/mcmesh-east_mcmesh-west_mesh1.lock there (")
                .hasMessageEndingWith("); it is set in the spec or a property. Set mcmesh.state.dir (system property,"
                        + " junit-platform.properties or MCMESH_STATE_DIR) to a directory this user can create and write");
    }

    @Test
    void lets_go_of_the_mesh_when_provisioning_fails() {
        // given
        try (MeshLock lock = MeshLock.open(MeshSpec.builder().stateDirectory(state).build())) {
            try {
                lock.provisionThenUse(Duration.ofSeconds(1), () -> {
                    throw new IllegalStateException("minikube start failed");
                });
            } catch (IllegalStateException expected) {
                // the failure is the caller's business
            }

            // when
            AtomicBoolean tornDown = new AtomicBoolean();
            boolean ran = lock.tearDownUnlessUsedElsewhere(Duration.ofSeconds(1), () -> tornDown.set(true));

            // then
            assertThat(ran).isTrue();
            assertThat(tornDown).isTrue();
        }
    }

    @Test
    void two_jvms_at_once_provision_the_mesh_once_and_the_second_says_whom_it_waits_for() throws Exception {
        // given a second JVM in the middle of a slow provisioning
        RecordingBackend.steer(state, "delay-ms", "3000");
        secondJvm = startSecondJvm(0);
        long secondPid = secondJvm.pid();
        Path holder = state.resolve("locks/mcmesh-east_mcmesh-west_mesh1.lock.holder");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(holder)
                && Files.readString(holder).startsWith("pid " + secondPid + " "));
        log = new LogCapture();

        // when this JVM asks for the same mesh
        MeshTestKit.assertAllPassed(MeshTestKit.in(state).run(UsesTheMesh.class));

        // then
        assertThat(secondJvm.waitFor(30, TimeUnit.SECONDS)).as("second JVM ended").isTrue();
        assertThat(secondJvm.exitValue()).as(output()).isZero();
        long thisPid = ProcessHandle.current().pid();
        List<String> events = RecordingBackend.events(state);
        assertThat(events).filteredOn(event -> event.startsWith("created ") || event.startsWith("reused ")).containsExactly(
                "created " + DEFAULT_MESH + " 1.30.3 " + secondPid,
                "reused " + DEFAULT_MESH + " 1.30.3 " + thisPid);
        assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(message -> assertThat(message)
                .startsWith("Waiting for mesh " + DEFAULT_MESH + ": pid " + secondPid + " on ")
                .contains(", provisioning since "));
    }

    @Test
    void does_not_tear_down_a_mesh_another_jvm_uses_and_can_once_that_jvm_died() throws Exception {
        // given a second JVM using the mesh
        secondJvm = startSecondJvm(120_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("USING " + DEFAULT_MESH));

        try (MeshLock lock = MeshLock.open(MeshSpec.builder().stateDirectory(state).build())) {
            // when
            boolean tornDownWhileUsed = lock.tearDownUnlessUsedElsewhere(Duration.ofSeconds(5), () -> { });
            secondJvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            boolean tornDownAfterItDied = lock.tearDownUnlessUsedElsewhere(Duration.ofSeconds(5), () -> { });

            // then
            assertThat(tornDownWhileUsed).isFalse();
            assertThat(tornDownAfterItDied).isTrue();
        }
    }

    @Test
    void warm_checks_of_a_healthy_mesh_by_several_jvms_run_at_the_same_time() throws Exception {
        // given a healthy mesh, and warm checks that each wait until three have begun
        RecordingBackend.steer(state, DEFAULT_MESH + ".exists", "");
        RecordingBackend.steer(state, "warm-check-waits-for", "3");

        // when three JVMs use it at once
        List<Process> jvms = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            jvms.add(startJvm(0, "jvm-" + i + ".log"));
        }
        others.addAll(jvms);
        for (int i = 0; i < jvms.size(); i++) {
            assertThat(jvms.get(i).waitFor(90, TimeUnit.SECONDS)).as("JVM %d ended", i + 1).isTrue();
            assertThat(jvms.get(i).exitValue()).as(Files.readString(state.resolve("jvm-" + (i + 1) + ".log"))).isZero();
        }

        // then every check began before any ended: they overlapped, none waited for another's lock
        List<String> checks = RecordingBackend.warmChecks(state);
        List<Long> began = timesOf(checks, "began ");
        List<Long> ended = timesOf(checks, "ended ");
        List<String> events = RecordingBackend.events(state);
        assertThat(began).hasSize(3);
        assertThat(ended).hasSize(3);
        assertThat(java.util.Collections.max(began)).isLessThanOrEqualTo(java.util.Collections.min(ended));
        assertThat(events).noneMatch(event -> event.startsWith("created "))
                .filteredOn(event -> event.startsWith("reused ")).hasSize(3);
    }

    @Test
    void a_mesh_that_fails_the_warm_check_is_provisioned_once_under_the_exclusive_lock() {
        // given no mesh yet
        try (MeshLock lock = MeshLock.open(MeshSpec.builder().stateDirectory(state).build())) {
            List<String> calls = new java.util.ArrayList<>();

            // when
            String mesh = lock.useOrProvision(Duration.ofSeconds(5), () -> {
                calls.add("warm check");
                return java.util.Optional.empty();
            }, () -> {
                calls.add("provisioning");
                return "provisioned";
            });

            // then: provisioned, and the mesh is held shared afterwards (a teardown elsewhere would be refused)
            assertThat(mesh).isEqualTo("provisioned");
            assertThat(calls).containsExactly("warm check", "provisioning");
        }
    }

    private static List<Long> timesOf(List<String> events, String prefix) {
        return events.stream().filter(event -> event.startsWith(prefix))
                .map(event -> Long.parseLong(event.substring(event.lastIndexOf(' ') + 1))).toList();
    }

    private Process startSecondJvm(long holdMillis) throws IOException {
        return startJvm(holdMillis, "second-jvm.log");
    }

    private Process startJvm(long holdMillis, String logFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SecondJvm.class.getName(),
                state.toString(), Long.toString(holdMillis))
                .redirectErrorStream(true)
                .redirectOutput(state.resolve(logFile).toFile())
                .start();
    }

    private String output() throws IOException {
        Path file = state.resolve("second-jvm.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @ExtendWith(OnlyThroughMeshTestKit.class)
    @MultiClusterMesh
    static class UsesTheMesh {
        @Test
        void runs(Mesh mesh) {
            assertThat(mesh.clusterNames()).hasSize(2);
        }
    }
}
