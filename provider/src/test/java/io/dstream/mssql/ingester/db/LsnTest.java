package io.dstream.mssql.ingester.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void textFormIsFourFourTwoLowercaseHexAndParsesBack() {
        Lsn lsn = Lsn.of(new byte[] {0, 0, 0, 0x2A, 0, 0, 1, (byte) 0xF0, 0, 3});

        assertThat(lsn.toString()).isEqualTo("0000002a:000001f0:0003");
        assertThat(lsn.toHex()).isEqualTo("0000002a000001f00003");
        assertThat(Lsn.parse(lsn.toString())).isEqualTo(lsn);
        assertThat(Lsn.parse("0000002A000001F00003")).isEqualTo(lsn);
        assertThat(Lsn.parse("0x0000002A000001F00003")).isEqualTo(lsn);
    }

    @Test
    void ordersAsUnsignedBytes() {
        Lsn small = Lsn.parse("0000007f:00000000:0000");
        Lsn large = Lsn.parse("00000080:00000000:0000");
        Lsn highBit = Lsn.parse("ff000000:00000000:0000");

        assertThat(small).isLessThan(large);
        assertThat(large).isLessThan(highBit);
        assertThat(Lsn.ZERO).isLessThan(small);
        assertThat(highBit).isLessThan(Lsn.MAX);
    }

    @Test
    void equalityAndHashAreByContent() {
        byte[] bytes = {0, 0, 0, 1, 0, 0, 0, 2, 0, 3};
        Lsn a = Lsn.of(bytes);
        bytes[9] = 9; // the LSN copied its bytes
        Lsn b = Lsn.parse("00000001:00000002:0003");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
        assertThat(a).isNotEqualTo(Lsn.parse("00000001:00000002:0004"));
    }

    @Test
    void bytesAreACopy() {
        Lsn lsn = Lsn.parse("00000001:00000002:0003");
        lsn.bytes()[0] = 7;

        assertThat(lsn.toString()).isEqualTo("00000001:00000002:0003");
    }

    @Test
    void nextAndPreviousCarryAcrossTheParts() {
        assertThat(Lsn.parse("00000001:00000002:ffff").next()).isEqualTo(Lsn.parse("00000001:00000003:0000"));
        assertThat(Lsn.parse("00000001:00000003:0000").previous()).isEqualTo(Lsn.parse("00000001:00000002:ffff"));
        assertThat(Lsn.parse("00000001:00000002:0003").next()).isEqualTo(Lsn.parse("00000001:00000002:0004"));
        assertThatThrownBy(Lsn.ZERO::previous).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(Lsn.MAX::next).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void rejectsWhatIsNotAnLsn() {
        assertThatThrownBy(() -> Lsn.of(new byte[9])).hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> Lsn.parse("0000002a:000001f0")).hasMessageContaining("xxxxxxxx:xxxxxxxx:xxxx");
        assertThatThrownBy(() -> Lsn.parse("0000002g:000001f0:0003")).hasMessageContaining("not an LSN");
        assertThat(Lsn.ofNullable(null)).isNull();
    }

    @Test
    void zeroIsAllZeroBytes() {
        assertThat(Lsn.ZERO.toString()).isEqualTo("00000000:00000000:0000");
        assertThat(Lsn.ZERO.isZero()).isTrue();
        assertThat(Lsn.parse("00000000:00000000:0001").isZero()).isFalse();
    }
}
