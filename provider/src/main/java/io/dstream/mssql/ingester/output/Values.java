package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.microsoft.sqlserver.jdbc.Geography;
import com.microsoft.sqlserver.jdbc.Geometry;
import io.dstream.mssql.ingester.cdc.ColumnType;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;

/**
 * Column values → JSON, typed and lossless: a value as {@link io.dstream.mssql.ingester.cdc.RowImage} holds
 * it, written by its column's {@link ColumnType.Kind} straight into the line's generator. Integers, bit,
 * float and real are JSON numbers and booleans; everything else is a string ({@link #text}), so that no
 * digit, fraction or offset is lost to a JSON reader's doubles.
 */
public final class Values {

    /** SQL Server's largest fractional-second precision: 100 ns. */
    private static final int MAX_FRACTION_DIGITS = 7;

    private Values() {
    }

    /** Writes one value of a column of this type; null → JSON null. */
    static void write(JsonGenerator g, Object value, ColumnType type) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (type.kind()) {
            case INTEGER -> g.writeNumber(((Number) value).longValue());
            case BIT -> g.writeBoolean((Boolean) value);
            case FLOAT -> g.writeNumber(((Number) value).doubleValue());
            case REAL -> g.writeNumber(((Number) value).floatValue()); // as a float: 1.1 stays 1.1, not 1.100000023841858
            default -> g.writeString(text(value, type));
        }
    }

    /**
     * The JSON string a non-null value is written as, or null when it is written as a number or boolean
     * (integers, bit, float, real). Only strings grow large: {@link LineLimit} truncates these.
     */
    static String text(Object value, ColumnType type) {
        return switch (type.kind()) {
            case INTEGER, BIT, FLOAT, REAL -> null;
            case EXACT_DECIMAL -> plainDecimal((BigDecimal) value, type.scale());
            case DATE -> date(new StringBuilder(10), (LocalDate) value).toString();
            case TIME -> time(new StringBuilder(16), (LocalTime) value, fractionDigits(type)).toString();
            case DATETIME2 -> dateTime(new StringBuilder(27), (LocalDateTime) value, fractionDigits(type)).toString();
            case DATETIME -> dateTime(new StringBuilder(23), (LocalDateTime) value, 3).toString();
            case SMALLDATETIME -> dateTime(new StringBuilder(19), (LocalDateTime) value, 0).toString();
            case DATETIMEOFFSET -> dateTimeOffset((OffsetDateTime) value, fractionDigits(type));
            case TEXT -> value.toString();
            case BINARY -> base64((byte[]) value);
            case UNIQUEIDENTIFIER -> value.toString().toUpperCase(Locale.ROOT);
            case GEOGRAPHY -> spatial((byte[]) value, true);
            case GEOMETRY -> spatial((byte[]) value, false);
            case OTHER -> value instanceof byte[] bytes ? base64(bytes) : value.toString();
        };
    }

    /**
     * A commit time: UTC, milliseconds, {@code Z}, as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} ({@code tran_end_time} is a
     * datetime: ~3 ms resolution).
     */
    static String commitTime(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        return dateTime(new StringBuilder(24), utc, 3).append('Z').toString();
    }

    /** At the column's scale, never in exponent form; a value with more digits than the scale keeps them all. */
    private static String plainDecimal(BigDecimal value, int scale) {
        if (scale >= 0 && scale != value.scale()) {
            try {
                value = value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                // more digits than the column's scale: keep them all rather than round
            }
        }
        return value.toPlainString();
    }

    private static int fractionDigits(ColumnType type) {
        int scale = type.scale();
        return scale < 0 || scale > MAX_FRACTION_DIGITS ? MAX_FRACTION_DIGITS : scale;
    }

    /** {@code yyyy-MM-dd} (ISO-8601); a year outside 1000–9999 as {@link LocalDate#toString} pads or signs it. */
    private static StringBuilder date(StringBuilder s, LocalDate d) {
        int year = d.getYear();
        if (year < 1000 || year > 9999) {
            return s.append(d);
        }
        twoDigits(twoDigits(s, year / 100), year % 100).append('-');
        twoDigits(s, d.getMonthValue()).append('-');
        return twoDigits(s, d.getDayOfMonth());
    }

    /** {@code HH:mm:ss}, then {@code .} and the first {@code digits} digits of the fraction when digits > 0. */
    private static StringBuilder time(StringBuilder s, LocalTime t, int digits) {
        twoDigits(s, t.getHour()).append(':');
        twoDigits(s, t.getMinute()).append(':');
        twoDigits(s, t.getSecond());
        if (digits > 0) {
            s.append('.');
            int nanos = t.getNano();
            for (int divisor = 100_000_000, i = 0; i < digits; i++, divisor /= 10) {
                s.append((char) ('0' + nanos / divisor % 10));
            }
        }
        return s;
    }

    private static StringBuilder dateTime(StringBuilder s, LocalDateTime t, int digits) {
        return time(date(s, t.toLocalDate()).append('T'), t.toLocalTime(), digits);
    }

    /** The offset as SQL Server prints it: {@code +02:00}, {@code -05:30}, {@code +00:00} (not {@code Z}). */
    private static String dateTimeOffset(OffsetDateTime t, int digits) {
        StringBuilder s = dateTime(new StringBuilder(34), t.toLocalDateTime(), digits);
        int seconds = t.getOffset().getTotalSeconds();
        s.append(seconds < 0 ? '-' : '+');
        int minutes = Math.abs(seconds) / 60;
        twoDigits(s, minutes / 60).append(':');
        return twoDigits(s, minutes % 60).toString();
    }

    private static StringBuilder twoDigits(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** WKT via the driver's own decoder; base64 of the bytes if they cannot be decoded. */
    private static String spatial(byte[] bytes, boolean geography) {
        try {
            return geography ? Geography.deserialize(bytes).STAsText() : Geometry.deserialize(bytes).STAsText();
        } catch (SQLException | RuntimeException e) {
            return base64(bytes);
        }
    }
}
