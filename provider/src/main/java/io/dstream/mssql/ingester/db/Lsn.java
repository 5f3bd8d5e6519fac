package io.dstream.mssql.ingester.db;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SQL Server log sequence number as CDC stores it: {@code binary(10)} = VLF sequence (4 bytes)
 * : log-block offset (4 bytes) : slot (2 bytes), all big-endian. Unsigned byte-wise comparison of
 * the 10 bytes is LSN order. Immutable; equality and hash by content.
 *
 * <p>Text form {@code xxxxxxxx:xxxxxxxx:xxxx} (lowercase hex, 4:4:2 bytes), as SQL Server's log DMVs
 * and Debezium print it; {@link #parse} also accepts the 20-digit form and a {@code 0x} prefix.
 */
public final class Lsn implements Comparable<Lsn> {

    public static final int LENGTH = 10;
    private static final HexFormat HEX = HexFormat.of();

    /** All zero: what {@code sys.fn_cdc_get_min_lsn} returns for an unknown instance or no access. */
    public static final Lsn ZERO = new Lsn(new byte[LENGTH]);
    /** All ones: larger than any LSN SQL Server writes; used as an upper sentinel. */
    public static final Lsn MAX = filled((byte) 0xFF);

    private final byte[] bytes;

    private Lsn(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The LSN held by these 10 bytes (copied). */
    public static Lsn of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an LSN has " + LENGTH + " bytes, got " + bytes.length);
        }
        return new Lsn(bytes.clone());
    }

    /** The LSN of these bytes, or null for SQL NULL (e.g. {@code fn_cdc_get_max_lsn()} before the first capture). */
    public static Lsn ofNullable(byte[] bytes) {
        return bytes == null ? null : of(bytes);
    }

    /** Parses {@code 0000002a:000001f0:0003}, {@code 0000002A000001F00003} or {@code 0x0000002A000001F00003}. */
    public static Lsn parse(String text) {
        Objects.requireNonNull(text, "text");
        String hex = text.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.length() == 22 && hex.charAt(8) == ':' && hex.charAt(17) == ':') {
            hex = hex.substring(0, 8) + hex.substring(9, 17) + hex.substring(18);
        }
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("not an LSN: \"" + text + "\" (expected xxxxxxxx:xxxxxxxx:xxxx)");
        }
        try {
            return new Lsn(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an LSN: \"" + text + "\" (expected xxxxxxxx:xxxxxxxx:xxxx)", e);
        }
    }

    /** A copy of the 10 bytes, e.g. for a {@code binary(10)} JDBC parameter. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The next possible LSN (+1 on the 80-bit value), like {@code sys.fn_cdc_increment_lsn}: a bound,
     * not necessarily an LSN in the log.
     */
    public Lsn next() {
        byte[] b = bytes.clone();
        for (int i = LENGTH - 1; i >= 0; i--) {
            if (++b[i] != 0) {
                return new Lsn(b);
            }
        }
        throw new ArithmeticException("no LSN after " + this);
    }

    /** The previous possible LSN (−1 on the 80-bit value), like {@code sys.fn_cdc_decrement_lsn}. */
    public Lsn previous() {
        byte[] b = bytes.clone();
        for (int i = LENGTH - 1; i >= 0; i--) {
            if (b[i]-- != 0) {
                return new Lsn(b);
            }
        }
        throw new ArithmeticException("no LSN before " + this);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** 20 lowercase hex digits, the form the Go provider used in {@code metadata.LSN}. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public int compareTo(Lsn other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lsn other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String hex = toHex();
        return hex.substring(0, 8) + ':' + hex.substring(8, 16) + ':' + hex.substring(16);
    }

    private static Lsn filled(byte value) {
        byte[] b = new byte[LENGTH];
        Arrays.fill(b, value);
        return new Lsn(b);
    }
}
