package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Writes the TYPE_INFO of a {@link SqlType} and values of it, as SQL Server sends them in
 * COLMETADATA/ROW and RETURNVALUE. Values may come in any reasonable Java form (a Number for
 * numeric kinds, a {@link Timestamp} for date-times); they are converted here.
 */
final class ValueEncoder {

    /** Largest non-(max) lengths in bytes; a longer declared length is sent as (max). */
    private static final int MAX_SHORT_BYTES = 8000;

    private ValueEncoder() {
    }

    static void writeTypeInfo(ByteWriter w, SqlType t) {
        switch (t.kind()) {
            case TINYINT -> fixedN(w, Tds.INTN, 1);
            case SMALLINT -> fixedN(w, Tds.INTN, 2);
            case INT -> fixedN(w, Tds.INTN, 4);
            case BIGINT -> fixedN(w, Tds.INTN, 8);
            case BIT -> fixedN(w, Tds.BITN, 1);
            case FLOAT -> fixedN(w, Tds.FLTN, 8);
            case REAL -> fixedN(w, Tds.FLTN, 4);
            case MONEY -> fixedN(w, Tds.MONEYN, 8);
            case SMALLMONEY -> fixedN(w, Tds.MONEYN, 4);
            case DATETIME -> fixedN(w, Tds.DATETIMN, 8);
            case SMALLDATETIME -> fixedN(w, Tds.DATETIMN, 4);
            case UNIQUEIDENTIFIER -> fixedN(w, Tds.GUID, 16);
            case DECIMAL, NUMERIC -> {
                w.u8(t.kind() == SqlType.Kind.DECIMAL ? Tds.DECIMALN : Tds.NUMERICN);
                w.u8(decimalLength(precision(t)));
                w.u8(precision(t));
                w.u8(t.scale());
            }
            case DATE -> w.u8(Tds.DATEN);
            case TIME -> scaled(w, Tds.TIMEN, t);
            case DATETIME2 -> scaled(w, Tds.DATETIME2N, t);
            case DATETIMEOFFSET -> scaled(w, Tds.DATETIMEOFFSETN, t);
            case CHAR -> text(w, Tds.BIGCHAR, byteLength(t, 1));
            case VARCHAR -> text(w, Tds.BIGVARCHAR, byteLength(t, 1));
            case NCHAR -> text(w, Tds.NCHAR, byteLength(t, 2));
            case NVARCHAR -> text(w, Tds.NVARCHAR, byteLength(t, 2));
            case BINARY -> {
                w.u8(Tds.BIGBINARY);
                w.u16(byteLength(t, 1));
            }
            case VARBINARY -> {
                w.u8(Tds.BIGVARBINARY);
                w.u16(byteLength(t, 1));
            }
            case XML -> {
                w.u8(Tds.XML);
                w.u8(0); // no schema collection
            }
        }
    }

    static void writeValue(ByteWriter w, SqlType t, Object v) {
        if (v == null) {
            writeNull(w, t);
            return;
        }
        switch (t.kind()) {
            case TINYINT -> intN(w, 1, number(v).longValue());
            case SMALLINT -> intN(w, 2, number(v).longValue());
            case INT -> intN(w, 4, number(v).longValue());
            case BIGINT -> intN(w, 8, number(v).longValue());
            case BIT -> {
                w.u8(1);
                w.u8(bool(v) ? 1 : 0);
            }
            case FLOAT -> {
                w.u8(8);
                w.i64(Double.doubleToRawLongBits(number(v).doubleValue()));
            }
            case REAL -> {
                w.u8(4);
                w.i32(Float.floatToRawIntBits(number(v).floatValue()));
            }
            case MONEY -> {
                long units = decimal(v).setScale(4, RoundingMode.HALF_UP).unscaledValue().longValueExact();
                w.u8(8);
                w.i32((int) (units >> 32));
                w.i32((int) units);
            }
            case SMALLMONEY -> {
                w.u8(4);
                w.i32(decimal(v).setScale(4, RoundingMode.HALF_UP).unscaledValue().intValueExact());
            }
            case DECIMAL, NUMERIC -> decimalValue(w, t, decimal(v));
            case DATETIME -> datetime(w, localDateTime(v));
            case SMALLDATETIME -> smallDatetime(w, localDateTime(v));
            case DATE -> {
                w.u8(3);
                u24(w, Temporal.daysSince0001(localDate(v)));
            }
            case TIME -> {
                long ticks = Math.min(Temporal.ticks(localTime(v), t.scale()), Temporal.ticksPerDay(t.scale()) - 1);
                w.u8(Temporal.timeLength(t.scale()));
                uN(w, ticks, Temporal.timeLength(t.scale()));
            }
            case DATETIME2 -> {
                w.u8(Temporal.timeLength(t.scale()) + 3);
                dateTime2(w, localDateTime(v), t.scale());
            }
            case DATETIMEOFFSET -> {
                OffsetDateTime odt = offsetDateTime(v);
                w.u8(Temporal.timeLength(t.scale()) + 5);
                dateTime2(w, odt.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), t.scale());
                w.u16(odt.getOffset().getTotalSeconds() / 60);
            }
            case UNIQUEIDENTIFIER -> {
                w.u8(16);
                w.bytes(guidBytes(uuid(v)));
            }
            case CHAR, VARCHAR -> bytesValue(w, t, 1, text(v).getBytes(ValueDecoder.SINGLE_BYTE));
            case NCHAR, NVARCHAR -> bytesValue(w, t, 2, Utf16.encode(text(v)));
            case BINARY, VARBINARY -> bytesValue(w, t, 1, binary(v));
            case XML -> plp(w, Utf16.encode(text(v)));
        }
    }

    private static void writeNull(ByteWriter w, SqlType t) {
        switch (t.kind()) {
            case CHAR, VARCHAR, BINARY, VARBINARY -> shortNull(w, t, 1);
            case NCHAR, NVARCHAR -> shortNull(w, t, 2);
            case XML -> w.i64(Tds.PLP_NULL);
            default -> w.u8(0);
        }
    }

    private static void shortNull(ByteWriter w, SqlType t, int bytesPerChar) {
        if (isPlp(t, bytesPerChar)) {
            w.i64(Tds.PLP_NULL);
        } else {
            w.u16(Tds.USHORT_MAX);
        }
    }

    private static void fixedN(ByteWriter w, int type, int length) {
        w.u8(type);
        w.u8(length);
    }

    private static void scaled(ByteWriter w, int type, SqlType t) {
        w.u8(type);
        w.u8(t.scale());
    }

    private static void text(ByteWriter w, int type, int maxBytes) {
        w.u8(type);
        w.u16(maxBytes);
        w.bytes(Tds.COLLATION);
    }

    /** The declared length in bytes, or 0xFFFF for (max) and for lengths beyond 8000 bytes. */
    static int byteLength(SqlType t, int bytesPerChar) {
        if (isPlp(t, bytesPerChar)) {
            return Tds.USHORT_MAX;
        }
        long declared = (long) t.length() * bytesPerChar;
        // Unknown (0) or oversized fixed lengths: the widest non-(max) form.
        return declared <= 0 || declared > MAX_SHORT_BYTES ? MAX_SHORT_BYTES : (int) declared;
    }

    static boolean isPlp(SqlType t, int bytesPerChar) {
        boolean variable = switch (t.kind()) {
            case VARCHAR, NVARCHAR, VARBINARY, XML -> true;
            default -> false;
        };
        return t.kind() == SqlType.Kind.XML
                || variable && (t.isMax() || (long) t.length() * bytesPerChar > MAX_SHORT_BYTES);
    }

    private static void bytesValue(ByteWriter w, SqlType t, int bytesPerChar, byte[] b) {
        if (isPlp(t, bytesPerChar)) {
            plp(w, b);
            return;
        }
        if (b.length >= Tds.USHORT_MAX) {
            throw SqlError.of(8152, "A value of " + b.length + " bytes does not fit a " + t.sqlName()
                    + " column; declare it as (max).");
        }
        w.u16(b.length);
        w.bytes(b);
    }

    /** PLP with the whole value in one chunk; the response writer cuts it into packets. */
    static void plp(ByteWriter w, byte[] b) {
        w.i64(b.length);
        if (b.length > 0) {
            w.i32(b.length);
            w.bytes(b);
        }
        w.i32(0);
    }

    private static void intN(ByteWriter w, int length, long v) {
        w.u8(length);
        switch (length) {
            case 1 -> w.u8((int) v);
            case 2 -> w.u16((int) v);
            case 4 -> w.i32((int) v);
            default -> w.i64(v);
        }
    }

    private static int precision(SqlType t) {
        return t.precision() <= 0 ? 18 : Math.min(t.precision(), 38);
    }

    /** DECIMALN value length by precision: 1–9 digits fit 4 bytes, up to 38 fit 16 (plus the sign byte). */
    static int decimalLength(int precision) {
        return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
    }

    private static void decimalValue(ByteWriter w, SqlType t, BigDecimal v) {
        BigInteger unscaled = v.setScale(t.scale(), RoundingMode.HALF_UP).unscaledValue();
        byte[] be = unscaled.abs().toByteArray();
        int magnitudeBytes = decimalLength(precision(t)) - 1;
        int significant = be.length - (be[0] == 0 && be.length > 1 ? 1 : 0);
        if (significant > magnitudeBytes) {
            if (significant > 16) {
                throw SqlError.of(8115, "Arithmetic overflow error converting " + v + " to data type " + t.sqlName() + ".");
            }
            magnitudeBytes = 16;
        }
        w.u8(magnitudeBytes + 1);
        w.u8(unscaled.signum() < 0 ? 0 : 1);
        for (int i = 0; i < magnitudeBytes; i++) {
            int idx = be.length - 1 - i;
            w.u8(idx >= 0 ? be[idx] : 0);
        }
    }

    private static void datetime(ByteWriter w, LocalDateTime v) {
        long days = v.toLocalDate().toEpochDay() - Temporal.EPOCH_1900;
        long ticks = (v.toLocalTime().toNanoOfDay() * 3 + 5_000_000L) / 10_000_000L; // 1/300 s, rounded
        if (ticks >= Temporal.DATETIME_TICKS_PER_DAY) {
            days++;
            ticks -= Temporal.DATETIME_TICKS_PER_DAY;
        }
        w.u8(8);
        w.i32((int) days);
        w.i32((int) ticks);
    }

    /** SMALLDATETIME rounds to the minute: up from 29.999 seconds, down below. */
    private static void smallDatetime(ByteWriter w, LocalDateTime v) {
        long intoMinute = v.getSecond() * 1_000_000_000L + v.getNano();
        LocalDateTime minute = v.withSecond(0).withNano(0);
        LocalDateTime rounded = intoMinute >= 29_999_000_000L ? minute.plusMinutes(1) : minute;
        w.u8(4);
        w.u16((int) (rounded.toLocalDate().toEpochDay() - Temporal.EPOCH_1900));
        w.u16(rounded.getHour() * 60 + rounded.getMinute());
    }

    private static void dateTime2(ByteWriter w, LocalDateTime v, int scale) {
        long ticks = Temporal.ticks(v.toLocalTime(), scale);
        LocalDate date = v.toLocalDate();
        if (ticks >= Temporal.ticksPerDay(scale)) {
            ticks -= Temporal.ticksPerDay(scale);
            date = date.plusDays(1);
        }
        long days = Temporal.daysSince0001(date);
        if (days < 0 || date.getYear() > 9999) {
            throw SqlError.of(242, "The value " + v + " (UTC for datetimeoffset) is outside the range of SQL Server"
                    + " dates, 0001-01-01 to 9999-12-31.");
        }
        uN(w, ticks, Temporal.timeLength(scale));
        u24(w, days);
    }

    static byte[] guidBytes(UUID u) {
        byte[] be = new byte[16];
        for (int i = 0; i < 8; i++) {
            be[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            be[i + 8] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return new byte[] {be[3], be[2], be[1], be[0], be[5], be[4], be[7], be[6],
                be[8], be[9], be[10], be[11], be[12], be[13], be[14], be[15]};
    }

    private static void u24(ByteWriter w, long v) {
        uN(w, v, 3);
    }

    private static void uN(ByteWriter w, long v, int n) {
        for (int i = 0; i < n; i++) {
            w.u8((int) (v >>> (8 * i)));
        }
    }

    private static Number number(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return new BigDecimal(v.toString().trim());
    }

    private static boolean bool(Object v) {
        return v instanceof Boolean b ? b : number(v).intValue() != 0;
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(v.toString().trim());
    }

    private static String text(Object v) {
        if (v instanceof java.sql.Clob c) {
            try {
                return c.getSubString(1, (int) c.length());
            } catch (java.sql.SQLException e) {
                throw SqlError.of(50000, "Reading a character LOB for the client failed: " + e.getMessage());
            }
        }
        return v.toString();
    }

    private static byte[] binary(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof java.sql.Blob b) {
            try {
                return b.getBytes(1, (int) b.length());
            } catch (java.sql.SQLException e) {
                throw SqlError.of(50000, "Reading a binary LOB for the client failed: " + e.getMessage());
            }
        }
        if (v instanceof UUID u) {
            return guidBytes(u);
        }
        throw SqlError.of(257, "Implicit conversion from " + v.getClass().getSimpleName()
                + " to varbinary is not allowed.");
    }

    private static LocalDateTime localDateTime(Object v) {
        if (v instanceof LocalDateTime l) {
            return l;
        }
        if (v instanceof java.time.Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof Timestamp ts) {
            return ts.toLocalDateTime();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toLocalDateTime();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof java.util.Date d) {
            return new Timestamp(d.getTime()).toLocalDateTime();
        }
        return LocalDateTime.parse(v.toString().trim().replace(' ', 'T'));
    }

    private static LocalDate localDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return localDateTime(v).toLocalDate();
    }

    private static LocalTime localTime(Object v) {
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (v instanceof String s) {
            return LocalTime.parse(s.trim());
        }
        return localDateTime(v).toLocalTime();
    }

    private static OffsetDateTime offsetDateTime(Object v) {
        if (v instanceof OffsetDateTime o) {
            return o;
        }
        if (v instanceof java.time.ZonedDateTime z) {
            return z.toOffsetDateTime();
        }
        if (v instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof String s) {
            return OffsetDateTime.parse(s.trim().replace(' ', 'T'));
        }
        return localDateTime(v).atOffset(ZoneOffset.UTC);
    }

    private static UUID uuid(Object v) {
        if (v instanceof UUID u) {
            return u;
        }
        if (v instanceof byte[] b && b.length == 16) {
            return ValueDecoder.guid(b);
        }
        return UUID.fromString(v.toString().trim());
    }
}
