package io.github.mcmesh.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor();

    @Test
    void masks_every_occurrence_of_a_registered_secret() {
        // given
        redactor.add("eyJhbGciOiJSUzI1NiJ9.token");
        // when
        String redacted = redactor.redact("token: eyJhbGciOiJSUzI1NiJ9.token and again eyJhbGciOiJSUzI1NiJ9.token");
        // then
        assertThat(redacted).isEqualTo("token: *** and again ***");
    }

    @Test
    void ignores_blank_and_short_strings() {
        // when
        boolean blank = redactor.add("   ");
        boolean shortOne = redactor.add("true");
        boolean nothing = redactor.add(null);
        // then
        assertThat(blank).isFalse();
        assertThat(shortOne).isFalse();
        assertThat(nothing).isFalse();
        assertThat(redactor.redact("enabled: true")).isEqualTo("enabled: true");
    }

    @Test
    void masks_a_longer_secret_whole_even_when_a_shorter_one_is_inside_it() {
        // given
        redactor.add("abcdefgh");
        redactor.add("abcdefgh-ijklmnop");
        // when
        String redacted = redactor.redact("key=abcdefgh-ijklmnop");
        // then
        assertThat(redacted).isEqualTo("key=***");
    }

    @Test
    void masks_each_line_of_a_multi_line_secret_because_output_is_logged_line_by_line() {
        // given
        redactor.add("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5\n-----END EC PRIVATE KEY-----\n");
        // when
        String redacted = redactor.redact("MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5");
        // then
        assertThat(redacted).isEqualTo("***");
    }

    @Test
    void accepts_secrets_from_many_threads_at_once() {
        // given
        CompletableFuture<?>[] adds = IntStream.range(0, 200)
                .mapToObj(i -> CompletableFuture.runAsync(() -> redactor.add("secret-number-" + i)))
                .toArray(CompletableFuture[]::new);
        // when
        CompletableFuture.allOf(adds).join();
        // then
        assertThat(IntStream.range(0, 200).mapToObj(i -> redactor.redact("[secret-number-" + i + "]")))
                .containsOnly("[***]");
    }
}
