package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SettlingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Position at(int lsn) {
        return Position.afterCommit(Lsn.parse(String.format("00000021:%08x:0001", lsn)));
    }

    private static Settling.Entry entry(int second, int lsn, boolean lines) {
        return new Settling.Entry(T0.plusSeconds(second), at(lsn), "dbo_t", null, lines, SnapshotProgress.NONE);
    }

    @Test
    void aPositionSettlesOnlyOnceItIsOlderThanTheDelay() {
        Settling s = new Settling(Duration.ofSeconds(10));
        s.reached(entry(0, 1, true));
        s.reached(entry(4, 2, true));

        assertThat(s.settled(T0.plusSeconds(9))).isNull();
        Settling.Settled first = s.settled(T0.plusSeconds(10));
        assertThat(first.entry().position()).isEqualTo(at(1));
        assertThat(first.lines()).isTrue();
        assertThat(s.settled(T0.plusSeconds(13)).entry().position()).as("not taken: still the same").isEqualTo(at(1));
        assertThat(s.settled(T0.plusSeconds(14)).entry().position()).isEqualTo(at(2));
    }

    @Test
    void theNewestSettledPositionCoversOlderOnesAndRemembersTheirLines() {
        Settling s = new Settling(Duration.ofSeconds(10));
        s.reached(entry(0, 1, true));
        s.reached(entry(1, 2, false));
        s.reached(entry(2, 3, false));

        Settling.Settled settled = s.settled(T0.plusSeconds(30));
        assertThat(settled.entry().position()).isEqualTo(at(3));
        assertThat(settled.lines()).as("an older entry wrote lines").isTrue();
        s.taken();
        assertThat(s.settled(T0.plusSeconds(31))).isNull();
    }

    @Test
    void withoutDelayEveryPositionSettlesAtOnce() {
        Settling s = new Settling(Duration.ZERO);
        s.reached(entry(5, 1, false));
        Settling.Settled settled = s.settled(T0.plusSeconds(5));
        assertThat(settled.entry().position()).isEqualTo(at(1));
        assertThat(settled.lines()).isFalse();
    }

    @Test
    void aPositionNotAfterTheLastOneIsIgnoredAndClearForgetsEverything() {
        Settling s = new Settling(Duration.ofSeconds(1));
        s.reached(entry(0, 2, true));
        s.reached(entry(1, 2, false));
        s.reached(entry(2, 1, false));
        assertThat(s.settled(T0.plusSeconds(100)).entry().at()).isEqualTo(T0);

        s.clear();
        assertThat(s.settled(T0.plusSeconds(100))).isNull();
    }
}
