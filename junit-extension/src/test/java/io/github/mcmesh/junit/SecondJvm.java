package io.github.mcmesh.junit;

import io.github.mcmesh.internal.junit.SharedMesh;
import io.github.mcmesh.spec.MeshSpec;
import java.nio.file.Path;

/**
 * A second JVM for {@link MeshLockTest}: uses the default mesh with the {@link RecordingBackend}
 * in the given state directory, holds it for the given time, then lets go.
 *
 * <pre>{@code
 * java -cp <test class path> io.github.mcmesh.junit.SecondJvm /tmp/state 0
 * }</pre>
 */
public final class SecondJvm {

    private SecondJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        MeshSpec spec = MeshSpec.builder().stateDirectory(Path.of(args[0])).build();
        long holdMillis = Long.parseLong(args[1]);
        SharedMesh mesh = SharedMesh.open(spec, SecondJvm.class, new RecordingBackend(), "second-jvm");
        mesh.provisioned(SecondJvm.class, spec);
        System.out.println("USING " + spec.identity());
        Thread.sleep(holdMillis);
        mesh.close();
        RecordingBackend.stopServers();
    }
}
