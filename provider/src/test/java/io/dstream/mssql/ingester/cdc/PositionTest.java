package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PositionTest {

    private static final Lsn L1 = Lsn.parse("00000010:00000001:0001");
    private static final Lsn L2 = Lsn.parse("00000010:00000001:0002");
    private static final Lsn S1 = Lsn.parse("00000010:00000000:0001");
    private static final Lsn S2 = Lsn.parse("00000010:00000000:0002");

    @Test
    void ordersByCommitLsnThenCommandIdThenSeqvalThenOperation() {
        Position a = new Position(L1, 1, S2, Operation.UPDATE_AFTER);
        Position b = new Position(L1, 2, S1, Operation.DELETE);      // later command, smaller seqval
        Position c = new Position(L1, 2, S1, Operation.INSERT);
        Position d = new Position(L1, 2, S2, Operation.UPDATE_BEFORE);
        Position e = new Position(L1, 2, S2, Operation.UPDATE_AFTER);
        Position f = new Position(L2, 1, S1, Operation.INSERT);
        List<Position> shuffled = new ArrayList<>(List.of(f, d, b, e, a, c));

        shuffled.sort(null);

        assertThat(shuffled).containsExactly(a, b, c, d, e, f);
    }

    @Test
    void equalityIsByValueAndConsistentWithCompareTo() {
        Position a = new Position(L1, 1, S1, Operation.INSERT);
        Position b = new Position(Lsn.parse(L1.toString()), 1, Lsn.parse(S1.toString()), Operation.INSERT);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
        assertThat(a).isNotEqualTo(new Position(L1, 1, S1, Operation.DELETE));
    }

    @Test
    void afterCommitIsAfterEveryChangeOfItsCommitAndBeforeTheNext() {
        Position end = Position.afterCommit(L1);

        assertThat(end).isGreaterThan(new Position(L1, 1000, S2, Operation.UPDATE_AFTER));
        assertThat(end).isLessThan(new Position(L2, 0, S1, Operation.DELETE));
        assertThat(end.isCommitEnd()).isTrue();
        assertThat(end.nextNeededLsn()).isEqualTo(L2);
    }

    @Test
    void aPositionInsideACommitStillNeedsThatCommit() {
        Position inside = new Position(L1, 1, S1, Operation.INSERT);

        assertThat(inside.isCommitEnd()).isFalse();
        assertThat(inside.nextNeededLsn()).isEqualTo(L1);
    }

    @Test
    void beforeTheMinimumNeedsTheMinimumItself() {
        assertThat(Position.before(L2).nextNeededLsn()).isEqualTo(L2);
        assertThat(Position.before(L2)).isLessThan(new Position(L2, 0, S1, Operation.DELETE));
    }

    @Test
    void maxKeepsTheLaterPosition() {
        Position a = new Position(L1, 1, S1, Operation.INSERT);
        Position b = Position.afterCommit(L1);

        assertThat(a.max(b)).isEqualTo(b);
        assertThat(b.max(a)).isEqualTo(b);
    }

    @Test
    void operationCodesDecodeOnce() {
        assertThat(Operation.of(1)).isEqualTo(Operation.DELETE);
        assertThat(Operation.of(2)).isEqualTo(Operation.INSERT);
        assertThat(Operation.of(3)).isEqualTo(Operation.UPDATE_BEFORE);
        assertThat(Operation.of(4)).isEqualTo(Operation.UPDATE_AFTER);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Operation.of(5)).hasMessageContaining("unknown __$operation 5");
    }
}
