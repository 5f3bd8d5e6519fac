package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.config.StartFrom;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StartPositionTest {

    private static final Lsn START = Lsn.parse("00000021:00000100:0001");
    private static final Lsn MAX = Lsn.parse("00000021:00000200:0003");
    private static final CaptureInstance OLDEST = instance(START);

    private static CaptureInstance instance(Lsn start) {
        return new CaptureInstance("dbo_t", new TableName("dbo", "t"), 7, start, null, List.of());
    }

    @Test
    void aCheckpointWinsOverStartPosition() {
        Position saved = Position.afterCommit(Lsn.parse("00000021:00000150:0003"));
        StartPosition start = StartPosition.of(Optional.of(new Checkpoint(saved, "dbo_t")), StartFrom.LATEST, Optional.of(MAX), OLDEST);
        assertThat(start.kind()).isEqualTo(StartPosition.Kind.CHECKPOINT);
        assertThat(start.position()).contains(saved);
    }

    @Test
    void latestStartsAfterTheMaximumLsn() {
        StartPosition start = StartPosition.of(Optional.empty(), StartFrom.LATEST, Optional.of(MAX), OLDEST);
        assertThat(start.kind()).isEqualTo(StartPosition.Kind.LATEST);
        assertThat(start.position()).contains(Position.afterCommit(MAX));
        assertThat(start.fromLsn(OLDEST)).isEqualTo(MAX.next());
    }

    @Test
    void latestWithNothingCapturedYetStartsAtTheOldestChangeLikeEarliest() {
        StartPosition start = StartPosition.of(Optional.empty(), StartFrom.LATEST, Optional.empty(), OLDEST);
        assertThat(start.kind()).isEqualTo(StartPosition.Kind.LATEST);
        assertThat(start.position()).contains(Position.before(START));
    }

    @Test
    void earliestStartsBeforeTheOldestInstanceOnceItsIntervalIsEstablished() {
        StartPosition start = StartPosition.of(Optional.empty(), StartFrom.EARLIEST, Optional.of(MAX), OLDEST);
        assertThat(start.kind()).isEqualTo(StartPosition.Kind.EARLIEST);
        assertThat(start.fromLsn(OLDEST)).isEqualTo(START);

        StartPosition notYet = StartPosition.of(Optional.empty(), StartFrom.EARLIEST, Optional.of(MAX), instance(null));
        assertThat(notYet.position()).isEmpty();
    }
}
