package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpdateMaskTest {

    @Test
    void ordinalOneIsBitZeroOfTheLastByte() {
        assertThat(UpdateMask.all(5)).containsExactly(0x1F);
        assertThat(UpdateMask.all(10)).containsExactly(0x03, 0xFF);
        byte[] mask = UpdateMask.empty(10);
        UpdateMask.set(mask, 3);
        UpdateMask.set(mask, 9);
        assertThat(mask).containsExactly(0x01, 0x04);
        assertThat(UpdateMask.isSet(mask, 3)).isTrue();
        assertThat(UpdateMask.isSet(mask, 9)).isTrue();
        assertThat(UpdateMask.isSet(mask, 1)).isFalse();
        assertThat(UpdateMask.isSet(mask, 17)).isFalse();
    }

    @Test
    void orAlignsOnTheLastByte() {
        assertThat(UpdateMask.or(new byte[] {0x01, 0x00}, new byte[] {0x02})).containsExactly(0x01, 0x02);
        assertThat(UpdateMask.or(null, new byte[] {0x02})).containsExactly(0x02);
    }
}
