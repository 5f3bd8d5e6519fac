package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowImageTest {

    @Test
    void everyValueComesBackEqualAndOfTheSameClass() throws IOException {
        Timestamp ts = Timestamp.valueOf("2024-02-29 23:59:59.123456789");
        Object[] values = {null, "text", 42, 42L, (short) 7, (byte) -3, true, 1.5d, 2.5f,
                new BigDecimal("-12345678901234567890.0100"), new byte[] {1, 2, (byte) 0xFF}, UUID.randomUUID(), ts,
                Date.valueOf("2024-02-29"), Time.valueOf("12:34:56"),
                OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 600, ZoneOffset.ofHours(14))};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            names.add("c" + i);
        }
        Map<String, Object> row = RowImage.decode(RowImage.encode(names, values));
        assertThat(row.keySet()).containsExactlyElementsOf(names);
        for (int i = 0; i < values.length; i++) {
            Object back = row.get("c" + i);
            assertThat(back).as("c%d", i).isEqualTo(values[i]);
            if (values[i] != null) {
                assertThat(back).as("c%d", i).isExactlyInstanceOf(values[i].getClass());
            }
        }
        assertThat(((Timestamp) row.get("c12")).getNanos()).isEqualTo(123456789);
    }

    @Test
    void stringsAreKeptCodeUnitForCodeUnitAtAnyLength() throws IOException {
        String lone = "a\uD83Db\uDE00c\uD83D\uDE00";
        String big = "x".repeat(200_000) + "\u00e9";
        Map<String, Object> row = RowImage.decode(RowImage.encode(List.of("lone", "big"), new Object[] {lone, big}));
        assertThat(row.get("lone")).isEqualTo(lone);
        assertThat(row.get("big")).isEqualTo(big);
    }

    @Test
    void extraValuesBeyondTheKnownColumnsAreLeftOut() throws IOException {
        Map<String, Object> row = RowImage.decode(RowImage.encode(List.of("a"), new Object[] {1, 2}));
        assertThat(row).containsOnlyKeys("a");
    }

    /** A Java-serialized image repeated a stream header and class descriptors in every staged row. */
    @Test
    void commonValuesAreWrittenWithoutJavaSerialization() throws IOException {
        byte[] image = RowImage.encode(List.of("id", "name", "price"),
                new Object[] {1, "widget", new BigDecimal("9.99")});
        assertThat(image.length).isLessThan(64);
        assertThat(new String(image, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("java.");
    }

    @Test
    void aValueThatCannotBeStagedIsAnErrorNamingItsType() {
        assertThatThrownBy(() -> RowImage.encode(List.of("v"), new Object[] {new Object()}))
                .isInstanceOf(IOException.class).hasMessageContaining("java.lang.Object");
    }
}
