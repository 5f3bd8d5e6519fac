package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dstream.mssql.ingester.cdc.ColumnType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** Each SQL Server type to its exact JSON text, as written into a line's generator. */
class ValuesTest {

    private static String json(Object value, String type, int precision, int scale) {
        LineBuffer buffer = new LineBuffer();
        try (JsonGenerator g = Json.generator(buffer)) {
            Values.write(g, value, new ColumnType(type, precision, scale));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new String(buffer.copy(0, buffer.size()), StandardCharsets.UTF_8);
    }

    private static String json(Object value, String type) {
        return json(value, type, 0, 0);
    }

    @Test
    void integersAreNumbers() {
        assertThat(json(255L, "tinyint")).isEqualTo("255");
        assertThat(json(-32768L, "smallint")).isEqualTo("-32768");
        assertThat(json(2147483647L, "int")).isEqualTo("2147483647");
        assertThat(json(Long.MIN_VALUE, "bigint")).isEqualTo("-9223372036854775808");
        assertThat(json(7L, "int identity")).isEqualTo("7");
    }

    @Test
    void bitIsBoolean() {
        assertThat(json(true, "bit")).isEqualTo("true");
        assertThat(json(false, "bit")).isEqualTo("false");
    }

    @Test
    void exactNumbersAreStringsWithTheColumnsScale() {
        assertThat(json(new BigDecimal("12.34"), "decimal", 10, 4)).isEqualTo("\"12.3400\"");
        assertThat(json(new BigDecimal("-1.5"), "numeric", 5, 2)).isEqualTo("\"-1.50\"");
        assertThat(json(new BigDecimal("1234567890123456.78"), "numeric", 18, 2)).isEqualTo("\"1234567890123456.78\"");
        assertThat(json(new BigDecimal("-922337203685477.5808"), "money", 19, 4)).isEqualTo("\"-922337203685477.5808\"");
        assertThat(json(new BigDecimal("1.25"), "smallmoney", 10, 4)).isEqualTo("\"1.2500\"");
        assertThat(json(new BigDecimal("1E+3"), "decimal", 10, 0)).isEqualTo("\"1000\"");
    }

    @Test
    void floatsAreShortestExactNumbers() {
        assertThat(json(1.1d, "float")).isEqualTo("1.1");
        assertThat(json(-2.5E-300d, "float")).isEqualTo("-2.5E-300");
        assertThat(json(0.5f, "real")).isEqualTo("0.5");
        assertThat(json(1.1f, "real")).isEqualTo("1.1");
    }

    @Test
    void datesAndTimesKeepTheirPrecisionAndNoInventedZone() {
        assertThat(json(LocalDate.of(2024, 5, 1), "date")).isEqualTo("\"2024-05-01\"");
        assertThat(json(LocalDate.of(1, 1, 1), "date")).isEqualTo("\"0001-01-01\"");
        assertThat(json(LocalDate.of(999, 12, 31), "date")).isEqualTo("\"0999-12-31\"");
        assertThat(json(LocalDate.of(1000, 1, 9), "date")).isEqualTo("\"1000-01-09\"");
        assertThat(json(LocalDate.of(9999, 12, 31), "date")).isEqualTo("\"9999-12-31\"");
        assertThat(json(LocalDateTime.of(1, 1, 1, 0, 0), "datetime2", 27, 7)).isEqualTo("\"0001-01-01T00:00:00.0000000\"");
        LocalTime t = LocalTime.of(10, 11, 12, 123_456_700);
        assertThat(json(t, "time", 16, 7)).isEqualTo("\"10:11:12.1234567\"");
        assertThat(json(t.withNano(0), "time", 8, 0)).isEqualTo("\"10:11:12\"");
        assertThat(json(LocalTime.of(23, 59, 59, 999_000_000), "time", 12, 3)).isEqualTo("\"23:59:59.999\"");
        assertThat(json(LocalTime.MIDNIGHT, "time", 16, 7)).isEqualTo("\"00:00:00.0000000\"");
        LocalDateTime dt = LocalDateTime.of(2024, 5, 1, 10, 11, 12, 123_456_700);
        assertThat(json(dt, "datetime2", 27, 7)).isEqualTo("\"2024-05-01T10:11:12.1234567\"");
        assertThat(json(dt.withNano(123_000_000), "datetime2", 23, 3)).isEqualTo("\"2024-05-01T10:11:12.123\"");
        assertThat(json(dt.withNano(0), "datetime2", 19, 0)).isEqualTo("\"2024-05-01T10:11:12\"");
        assertThat(json(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900), "datetime2", 27, 7))
                .isEqualTo("\"9999-12-31T23:59:59.9999999\"");
        assertThat(json(dt.withNano(123_000_000), "datetime", 23, 3)).isEqualTo("\"2024-05-01T10:11:12.123\"");
        assertThat(json(LocalDateTime.of(1753, 1, 1, 0, 0), "datetime", 23, 3)).isEqualTo("\"1753-01-01T00:00:00.000\"");
        assertThat(json(LocalDateTime.of(2024, 5, 1, 10, 11), "smalldatetime", 16, 0)).isEqualTo("\"2024-05-01T10:11:00\"");
    }

    @Test
    void datetimeoffsetKeepsItsOffset() {
        OffsetDateTime t = OffsetDateTime.of(2024, 5, 1, 10, 11, 12, 123_456_700, ZoneOffset.ofHours(2));
        assertThat(json(t, "datetimeoffset", 34, 7)).isEqualTo("\"2024-05-01T10:11:12.1234567+02:00\"");
        assertThat(json(t.withNano(0).withOffsetSameLocal(ZoneOffset.ofHoursMinutes(-5, -30)), "datetimeoffset", 26, 0))
                .isEqualTo("\"2024-05-01T10:11:12-05:30\"");
        assertThat(json(OffsetDateTime.of(2024, 5, 1, 0, 0, 0, 0, ZoneOffset.UTC), "datetimeoffset", 34, 7))
                .as("UTC as SQL Server prints it, not Z").isEqualTo("\"2024-05-01T00:00:00.0000000+00:00\"");
    }

    @Test
    void charactersAreStrings() {
        assertThat(json("ab   ", "char")).isEqualTo("\"ab   \"");
        assertThat(json("héllo ✓ 日本 🙂", "nvarchar", 50, 0)).isEqualTo("\"héllo ✓ 日本 🙂\"");
        assertThat(json("it's \"quoted\" \\ line1\nline2\ttab", "varchar", 100, 0))
                .isEqualTo("\"it's \\\"quoted\\\" \\\\ line1\\nline2\\ttab\"");
        assertThat(json("<a b=\"1\">x</a>", "xml")).isEqualTo("\"<a b=\\\"1\\\">x</a>\"");
        assertThat(json("t", "text")).isEqualTo("\"t\"");
        assertThat(json("n", "ntext")).isEqualTo("\"n\"");
    }

    @Test
    void binariesAreBase64() {
        assertThat(json(new byte[] {1, 2, 3, 4}, "binary", 4, 0)).isEqualTo("\"AQIDBA==\"");
        assertThat(json(new byte[] {(byte) 0xFF, 0}, "varbinary", 10, 0)).isEqualTo("\"/wA=\"");
        assertThat(json(new byte[0], "varbinary", 10, 0)).isEqualTo("\"\"");
        assertThat(json(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}, "image")).isEqualTo("\"3q2+7w==\"");
        assertThat(json(new byte[] {0, 0, 0, 0, 0, 0, 7, (byte) 0xD1}, "timestamp")).isEqualTo("\"AAAAAAAAB9E=\"");
    }

    @Test
    void uniqueidentifierIsUpperCaseCanonical() {
        assertThat(json("6f9619ff-8b86-d011-b42d-00c04fd430c8", "uniqueidentifier"))
                .isEqualTo("\"6F9619FF-8B86-D011-B42D-00C04FD430C8\"");
    }

    @Test
    void spatialValuesThatCannotBeDecodedFallBackToBase64() {
        assertThat(json(new byte[] {1, 2, 3}, "geography")).isEqualTo("\"AQID\"");
    }

    @Test
    void unknownTypesNeverFail() {
        assertThat(json(new byte[] {1, 2}, "hierarchyid")).isEqualTo("\"AQI=\"");
        assertThat(json("abc", "sql_variant")).isEqualTo("\"abc\"");
        assertThat(json(new byte[] {1}, "some_udt")).isEqualTo("\"AQ==\"");
        assertThat(json(42, "some_udt")).isEqualTo("\"42\"");
    }

    @Test
    void nullIsNullForEveryType() {
        for (String type : new String[] {"int", "bit", "decimal", "float", "date", "time", "datetime2", "datetimeoffset",
                "nvarchar", "varbinary", "uniqueidentifier", "geography", "sql_variant"}) {
            assertThat(json(null, type)).as(type).isEqualTo("null");
        }
    }

    /** {@link LineLimit} truncates only what is written as a string. */
    @Test
    void onlyStringsHaveAText() {
        assertThat(Values.text(7L, new ColumnType("int", 10, 0))).isNull();
        assertThat(Values.text(true, new ColumnType("bit", 1, 0))).isNull();
        assertThat(Values.text(1.1d, new ColumnType("float", 53, 0))).isNull();
        assertThat(Values.text(1.1f, new ColumnType("real", 24, 0))).isNull();
        assertThat(Values.text(new BigDecimal("1.5"), new ColumnType("decimal", 9, 3))).isEqualTo("1.500");
        assertThat(Values.text(new byte[] {1, 2}, new ColumnType("varbinary", 10, 0))).isEqualTo("AQI=");
        assertThat(Values.text("x", new ColumnType("nvarchar", 10, 0))).isEqualTo("x");
    }

    /** As {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC formats it: milliseconds truncated, never rounded. */
    @Test
    void commitTimesAreUtcMillisecondsWithZ() {
        DateTimeFormatter pattern = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        for (String instant : new String[] {"2026-11-24T12:00:00.123Z", "2026-11-24T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1753-01-01T00:00:00.003Z", "9999-12-31T23:59:59.997Z", "2024-02-29T05:06:07.1239Z"}) {
            Instant t = Instant.parse(instant);
            assertThat(Values.commitTime(t)).as(instant).isEqualTo(pattern.format(t));
        }
        assertThat(Values.commitTime(Instant.parse("2024-02-29T05:06:07.1239Z"))).isEqualTo("2024-02-29T05:06:07.123Z");
    }
}
