package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlError;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Reads an RPC parameter value of a given TYPE_INFO into the Java type {@code SqlType} names. */
final class ValueDecoder {

    /**
     * Single-byte text is in the client's collation; the emulator's only collation is
     * SQL_Latin1_General_CP1_CI_AS, whose code page is 1252.
     */
    static final Charset SINGLE_BYTE = Charset.forName("windows-1252");

    private ValueDecoder() {
    }

    static Object read(TypeInfo t, PayloadReader r) {
        return switch (t.type()) {
            case Tds.NULLTYPE -> null;
            case Tds.INT1 -> (short) r.u8();
            case Tds.INT2 -> r.i16();
            case Tds.INT4 -> r.i32();
            case Tds.INT8 -> r.i64();
            case Tds.BIT -> r.u8() != 0;
            case Tds.FLT4 -> r.f32();
            case Tds.FLT8 -> r.f64();
            case Tds.MONEY4 -> smallMoney(r);
            case Tds.MONEY -> money(r);
            case Tds.DATETIM4 -> smallDatetime(r);
            case Tds.DATETIME -> datetime(r);
            case Tds.INTN -> intN(r);
            case Tds.BITN -> r.u8() == 0 ? null : r.u8() != 0;
            case Tds.FLTN -> fltN(r);
            case Tds.MONEYN -> moneyN(r);
            case Tds.DATETIMN -> datetimN(r);
            case Tds.DECIMALN, Tds.NUMERICN, Tds.DECIMAL, Tds.NUMERIC -> decimal(r, t.scale());
            case Tds.DATEN -> r.u8() == 0 ? null : Temporal.dateFromDays(u24(r));
            case Tds.TIMEN -> r.u8() == 0 ? null : Temporal.timeFromTicks(uN(r, Temporal.timeLength(t.scale())), t.scale());
            case Tds.DATETIME2N -> datetime2(r, t.scale());
            case Tds.DATETIMEOFFSETN -> datetimeOffset(r, t.scale());
            case Tds.GUID -> r.u8() == 0 ? null : guid(r.bytes(16));
            case Tds.CHAR, Tds.VARCHAR -> text(byteLen(r), SINGLE_BYTE);
            case Tds.BINARY, Tds.VARBINARY -> byteLen(r);
            case Tds.BIGVARCHAR, Tds.BIGCHAR -> text(shortOrPlp(t, r), SINGLE_BYTE);
            case Tds.NVARCHAR, Tds.NCHAR -> utf16(shortOrPlp(t, r));
            case Tds.BIGVARBINARY, Tds.BIGBINARY -> shortOrPlp(t, r);
            case Tds.TEXT -> text(longLen(r), SINGLE_BYTE);
            case Tds.NTEXT -> utf16(longLen(r));
            case Tds.IMAGE -> longLen(r);
            case Tds.XML -> xml(plp(r));
            default -> throw TypeInfo.unsupported(t.type());
        };
    }

    private static Object intN(PayloadReader r) {
        return switch (r.u8()) {
            case 0 -> null;
            case 1 -> (short) r.u8();
            case 2 -> r.i16();
            case 4 -> r.i32();
            case 8 -> r.i64();
            default -> throw malformed("INTN length");
        };
    }

    private static Object fltN(PayloadReader r) {
        return switch (r.u8()) {
            case 0 -> null;
            case 4 -> r.f32();
            case 8 -> r.f64();
            default -> throw malformed("FLTN length");
        };
    }

    private static Object moneyN(PayloadReader r) {
        return switch (r.u8()) {
            case 0 -> null;
            case 4 -> smallMoney(r);
            case 8 -> money(r);
            default -> throw malformed("MONEYN length");
        };
    }

    private static Object datetimN(PayloadReader r) {
        return switch (r.u8()) {
            case 0 -> null;
            case 4 -> smallDatetime(r);
            case 8 -> datetime(r);
            default -> throw malformed("DATETIMN length");
        };
    }

    /** MONEY is a 64-bit count of 1/10000 units sent as the high 32 bits, then the low 32 bits. */
    private static BigDecimal money(PayloadReader r) {
        long high = r.i32();
        long low = r.i32() & 0xFFFFFFFFL;
        return BigDecimal.valueOf((high << 32) | low, 4);
    }

    private static BigDecimal smallMoney(PayloadReader r) {
        return BigDecimal.valueOf(r.i32(), 4);
    }

    private static LocalDateTime datetime(PayloadReader r) {
        int days = r.i32();
        long ticks = r.i32() & 0xFFFFFFFFL;
        return Temporal.fromDatetime(days, ticks);
    }

    private static LocalDateTime smallDatetime(PayloadReader r) {
        return Temporal.fromSmallDatetime(r.u16(), r.u16());
    }

    /** DECIMALN: a length byte, a sign byte (1 = positive), then the magnitude little-endian. */
    private static BigDecimal decimal(PayloadReader r, int scale) {
        int len = r.u8();
        if (len == 0) {
            return null;
        }
        int sign = r.u8();
        byte[] le = r.bytes(len - 1);
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger magnitude = new BigInteger(1, be);
        return new BigDecimal(sign == 1 ? magnitude : magnitude.negate(), scale);
    }

    private static LocalDateTime datetime2(PayloadReader r, int scale) {
        int len = r.u8();
        if (len == 0) {
            return null;
        }
        LocalTime time = Temporal.timeFromTicks(uN(r, Temporal.timeLength(scale)), scale);
        LocalDate date = Temporal.dateFromDays(u24(r));
        return LocalDateTime.of(date, time);
    }

    /** DATETIMEOFFSET carries the UTC date and time, then the offset in minutes. */
    private static OffsetDateTime datetimeOffset(PayloadReader r, int scale) {
        int len = r.u8();
        if (len == 0) {
            return null;
        }
        LocalTime time = Temporal.timeFromTicks(uN(r, Temporal.timeLength(scale)), scale);
        LocalDate date = Temporal.dateFromDays(u24(r));
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(r.i16() * 60);
        return LocalDateTime.of(date, time).atOffset(ZoneOffset.UTC).withOffsetSameInstant(offset);
    }

    /** uniqueidentifier's first three groups travel little-endian, the last eight bytes as they are. */
    static UUID guid(byte[] b) {
        byte[] be = {b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (be[i] & 0xFF);
            lsb = (lsb << 8) | (be[i + 8] & 0xFF);
        }
        return new UUID(msb, lsb);
    }

    private static byte[] byteLen(PayloadReader r) {
        int len = r.u8();
        return len == 0xFF ? null : r.bytes(len);
    }

    private static byte[] longLen(PayloadReader r) {
        int len = r.i32();
        return len < 0 ? null : r.bytes(len);
    }

    private static byte[] shortOrPlp(TypeInfo t, PayloadReader r) {
        if (t.isPlp()) {
            return plp(r);
        }
        int len = r.u16();
        return len == Tds.USHORT_MAX ? null : r.bytes(len);
    }

    /** PLP: a u64 total length (all ones = NULL), then u32-length chunks up to an empty one. */
    static byte[] plp(PayloadReader r) {
        long total = r.i64();
        if (total == Tds.PLP_NULL) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(total > 0 && total < 1 << 24 ? (int) total : 256);
        while (true) {
            int chunk = r.i32();
            if (chunk == 0) {
                return out.toByteArray();
            }
            out.writeBytes(r.bytes(chunk));
        }
    }

    private static String text(byte[] b, Charset charset) {
        return b == null ? null : new String(b, charset);
    }

    private static String utf16(byte[] b) {
        return b == null ? null : Utf16.decode(b);
    }

    /** XML parameters are UTF-16LE, possibly with a byte order mark. */
    private static String xml(byte[] b) {
        if (b == null) {
            return null;
        }
        int start = b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE ? 2 : 0;
        return Utf16.decode(b, start, b.length - start);
    }

    private static long u24(PayloadReader r) {
        return uN(r, 3);
    }

    private static long uN(PayloadReader r, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) r.u8() << (8 * i);
        }
        return v;
    }

    private static SqlError malformed(String what) {
        return SqlError.of(8016, "The incoming TDS RPC protocol stream is incorrect: bad " + what + ".");
    }
}
