package io.github.mcmesh.internal.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Throwaway bash executables for the runner's own tests (the fakes of the real tools live in fake-tools/). */
final class Scripts {

    private Scripts() {
    }

    /** Writes an executable bash script {@code directory/name} with the given body. */
    static Path script(Path directory, String name, String body) {
        try {
            Path script = directory.resolve(name);
            Files.writeString(script, "#!/usr/bin/env bash\n" + body + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
