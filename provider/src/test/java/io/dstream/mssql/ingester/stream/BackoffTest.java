package io.dstream.mssql.ingester.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesWhileIdleUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(30));

        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void changesResetItToThePollInterval() {
        Backoff backoff = new Backoff(Duration.ofMillis(300), Duration.ofSeconds(2));
        backoff.idle();
        backoff.idle();
        backoff.idle();

        assertThat(backoff.reset()).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.idle()).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.idle()).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void equalBoundsNeverGrow() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.idle()).isEqualTo(Duration.ofSeconds(1));
    }
}
