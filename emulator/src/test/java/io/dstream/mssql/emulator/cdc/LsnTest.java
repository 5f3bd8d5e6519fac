package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void layoutIsVlfBlockSlotBigEndian() {
        Lsn lsn = Lsn.of(0x2D, 0x588, 3);
        assertThat(lsn.toHexLiteral()).isEqualTo("0x0000002D000005880003");
        assertThat(lsn.toString()).isEqualTo("0000002d:00000588:0003");
        assertThat(Lsn.parse("0000002d:00000588:0003")).isEqualTo(lsn);
        assertThat(Lsn.parse("0x0000002D000005880003")).isEqualTo(lsn);
        assertThat(lsn.vlf()).isEqualTo(0x2D);
        assertThat(lsn.block()).isEqualTo(0x588);
        assertThat(lsn.slot()).isEqualTo(3);
    }

    @Test
    void ordersAsUnsignedBytes() {
        assertThat(Lsn.of(0x80, 0, 0)).isGreaterThan(Lsn.of(0x7F, 0xFFFFFFFFL, 0xFFFF));
        assertThat(Lsn.of(1, 2, 3)).isEqualByComparingTo(Lsn.fromBytes(Lsn.of(1, 2, 3).toBytes()));
        assertThat(Lsn.of(1, 2, 3)).hasSameHashCodeAs(Lsn.of(1, 2, 3));
    }

    @Test
    void incrementCarriesAndDecrementBorrows() {
        assertThat(Lsn.parse("0x00000000000005900005").increment()).isEqualTo(Lsn.parse("0x00000000000005900006"));
        assertThat(Lsn.of(1, 7, 0xFFFF).increment()).isEqualTo(Lsn.of(1, 8, 0));
        assertThat(Lsn.of(1, 0xFFFFFFFFL, 0xFFFF).increment()).isEqualTo(Lsn.of(2, 0, 0));
        assertThat(Lsn.of(1, 8, 0).decrement()).isEqualTo(Lsn.of(1, 7, 0xFFFF));
        assertThat(Lsn.of(3, 4, 5).increment().decrement()).isEqualTo(Lsn.of(3, 4, 5));
        assertThatThrownBy(() -> Lsn.ZERO.decrement()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void plusIsRepeatedIncrement() {
        Lsn start = Lsn.of(1, 0xFFFFFFFFL, 0xFFF0);
        Lsn stepped = start;
        for (int i = 0; i < 40; i++) {
            stepped = stepped.increment();
        }
        assertThat(start.plus(40)).isEqualTo(stepped).isEqualTo(Lsn.of(2, 0, 0x18));
        assertThat(start.plus(0)).isEqualTo(start);
    }

    @Test
    void shortValuesArePaddedLikeBinary10() {
        assertThat(Lsn.fromBytes(new byte[] {1})).isEqualTo(Lsn.parse("0x01000000000000000000"));
        assertThatThrownBy(() -> Lsn.fromBytes(new byte[11])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logRecordsIncreaseAndACommitEndsTheBlock() {
        LsnLog log = new LsnLog();
        Lsn begin = log.record();
        Lsn change = log.record();
        Lsn commit = log.commit();
        assertThat(change).isGreaterThan(begin);
        assertThat(commit).isGreaterThan(change);
        assertThat(change.block()).isEqualTo(begin.block());
        assertThat(change.slot()).isEqualTo(begin.slot() + 1);
        Lsn next = log.record();
        assertThat(next.block()).isEqualTo(commit.block() + 1);
        assertThat(next.slot()).isEqualTo(1);
        assertThat(log.current()).isEqualTo(next);
    }

    @Test
    void aFullBlockContinuesInTheNextOne() {
        LsnLog log = new LsnLog();
        Lsn previous = log.record();
        for (int i = 0; i < 0x1100; i++) {
            Lsn l = log.record();
            assertThat(l).isGreaterThan(previous);
            previous = l;
        }
        assertThat(previous.slot()).isLessThanOrEqualTo(0x1000);
    }
}
