package io.dstream.mssql.ingester.cdc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateMaskTest {

    @Test
    void fiveColumnsAllSetIs0x1F() {
        UpdateMask mask = UpdateMask.of(new byte[] {0x1F});

        for (int ordinal = 1; ordinal <= 5; ordinal++) {
            assertThat(mask.isSet(ordinal)).as("ordinal %d", ordinal).isTrue();
        }
        assertThat(mask.isSet(6)).isFalse();
    }

    @Test
    void theThirdColumnIsBitValueFour() {
        UpdateMask mask = UpdateMask.of(new byte[] {0x04});

        assertThat(mask.isSet(3)).isTrue();
        assertThat(mask.isSet(1)).isFalse();
        assertThat(mask.isSet(2)).isFalse();
        assertThat(mask.isSet(4)).isFalse();
    }

    @Test
    void theLastByteHoldsOrdinalsOneToEight() {
        // ten columns: 0x03FF sets all; 0x0201 sets ordinals 1 and 10
        UpdateMask all = UpdateMask.of(new byte[] {0x03, (byte) 0xFF});
        UpdateMask firstAndTenth = UpdateMask.of(new byte[] {0x02, 0x01});

        for (int ordinal = 1; ordinal <= 10; ordinal++) {
            assertThat(all.isSet(ordinal)).as("ordinal %d", ordinal).isTrue();
        }
        assertThat(all.isSet(11)).isFalse();
        assertThat(firstAndTenth.isSet(1)).isTrue();
        assertThat(firstAndTenth.isSet(10)).isTrue();
        assertThat(firstAndTenth.isSet(9)).isFalse();
        assertThat(firstAndTenth.isSet(2)).isFalse();
    }

    @Test
    void nullAndShortMasksHaveNoBits() {
        assertThat(UpdateMask.of(null).isSet(1)).isFalse();
        assertThat(UpdateMask.of(new byte[] {(byte) 0xFF}).isSet(9)).isFalse();
        assertThatThrownBy(() -> UpdateMask.of(new byte[] {1}).isSet(0)).hasMessageContaining("start at 1");
    }
}
