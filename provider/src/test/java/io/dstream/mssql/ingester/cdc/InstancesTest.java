package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InstancesTest {

    private static final Lsn A = Lsn.parse("00000020:00000100:0001");
    private static final Lsn B = Lsn.parse("00000020:00000200:0001");
    private static final Lsn MAX = Lsn.parse("00000020:00000300:0001");

    private static CaptureInstance ci(String name, Lsn start, int minute) {
        return new CaptureInstance(name, new TableName("dbo", "t"), minute, start, LocalDateTime.of(2026, 1, 1, 0, minute), List.of());
    }

    private final List<CaptureInstance> two = List.of(ci("dbo_t", A, 1), ci("dbo_t_v2", B, 2));

    @Test
    void theOldInstanceIsReadUpToJustBeforeTheNewOnesStart() {
        Position inOld = new Position(A, 1, A, Operation.INSERT);

        assertThat(Instances.choose(two, inOld)).isZero();
        assertThat(Instances.upperBound(two, 0, MAX)).isEqualTo(B.previous());
    }

    @Test
    void fromTheNewOnesStartTheNewOneIsRead() {
        Position oldDone = Position.afterCommit(B.previous());

        assertThat(Instances.choose(two, oldDone)).isEqualTo(1);
        assertThat(Instances.upperBound(two, 1, MAX)).isEqualTo(MAX);
    }

    @Test
    void theBoundNeverExceedsTheMaximumLsn() {
        assertThat(Instances.upperBound(two, 0, A)).isEqualTo(A);
    }

    @Test
    void anInstanceWithoutAnEstablishedStartIsIgnored() {
        List<CaptureInstance> pending = List.of(ci("dbo_t", A, 1), ci("dbo_t_v2", null, 2));

        assertThat(Instances.choose(pending, Position.afterCommit(MAX))).isZero();
        assertThat(Instances.upperBound(pending, 0, MAX)).isEqualTo(MAX);
        assertThat(Instances.established(Lsn.ZERO)).isFalse();
        assertThat(Instances.established(null)).isFalse();
    }

    @Test
    void aPositionBeforeEveryInstanceGetsTheOldest() {
        assertThat(Instances.choose(two, Position.afterCommit(Lsn.parse("00000001:00000000:0000")))).isZero();
    }
}
