package io.github.mcmesh.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.internal.junit.SkipNotice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SkipNoticeTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    private final SkipNotice notice = new SkipNotice(() -> out);

    @Test
    void prints_a_reason_once_and_names_every_class_skipped_for_it() {
        // when
        notice.skipped("com.example.FirstIT", "mcmesh needs minikube");
        notice.skipped("com.example.SecondIT", "mcmesh needs minikube");
        notice.skipped("com.example.ThirdIT", "mcmesh needs a running Docker engine");

        // then
        assertThat(console.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "mcmesh: skipped com.example.FirstIT: mcmesh needs minikube",
                "mcmesh: skipped com.example.SecondIT (same reason as above)",
                "mcmesh: skipped com.example.ThirdIT: mcmesh needs a running Docker engine");
    }
}
