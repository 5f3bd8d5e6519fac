package io.dstream.mssql.emulator.cdc;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SQL Server log sequence number as CDC exposes it: {@code binary(10)} holding
 * {@code vlf (u32) ‖ block (u32) ‖ slot (u16)}, big-endian, so that unsigned bytewise order is log order.
 */
public final class Lsn implements Comparable<Lsn> {

    public static final int LENGTH = 10;

    /** {@code 0x00000000000000000000}: what {@code fn_cdc_get_min_lsn} answers for an unknown capture instance. */
    public static final Lsn ZERO = new Lsn(new byte[LENGTH]);

    private final byte[] bytes;

    private Lsn(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Lsn of(long vlf, long block, int slot) {
        if (vlf < 0 || vlf > 0xFFFFFFFFL || block < 0 || block > 0xFFFFFFFFL || slot < 0 || slot > 0xFFFF) {
            throw new IllegalArgumentException("LSN part out of range: " + vlf + ":" + block + ":" + slot);
        }
        byte[] b = new byte[LENGTH];
        putUnsigned(b, 0, 4, vlf);
        putUnsigned(b, 4, 4, block);
        putUnsigned(b, 8, 2, slot);
        return new Lsn(b);
    }

    /**
     * Reads a {@code binary(10)} value. Shorter values are right-padded with zeros, as SQL Server pads
     * a {@code varbinary} converted to {@code binary(10)}.
     */
    public static Lsn fromBytes(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("an LSN cannot be NULL");
        }
        if (value.length > LENGTH) {
            throw new IllegalArgumentException("an LSN has 10 bytes, got " + value.length);
        }
        return new Lsn(Arrays.copyOf(value, LENGTH));
    }

    /** Parses {@code 0x0000002D000005880003} or {@code 0000002d:00000588:0003}. */
    public static Lsn parse(String text) {
        String t = text.trim();
        if (t.contains(":")) {
            String[] parts = t.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not an LSN: " + text);
            }
            return of(Long.parseLong(parts[0], 16), Long.parseLong(parts[1], 16), Integer.parseInt(parts[2], 16));
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        if (t.length() != LENGTH * 2) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        return new Lsn(HexFormat.of().parseHex(t));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public long vlf() {
        return getUnsigned(0, 4);
    }

    public long block() {
        return getUnsigned(4, 4);
    }

    public int slot() {
        return (int) getUnsigned(8, 2);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** The next possible LSN: +1 on the 80-bit value, the slot carrying into the block and the block into the VLF. */
    public Lsn increment() {
        byte[] b = bytes.clone();
        for (int i = LENGTH - 1; i >= 0; i--) {
            b[i]++;
            if (b[i] != 0) {
                return new Lsn(b);
            }
        }
        throw new ArithmeticException("LSN overflow: " + this);
    }

    /** The LSN {@code n} records later ({@code n} increments at once). */
    public Lsn plus(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot go back " + n + " records");
        }
        long low = (block() << 16) | slot(); // 48 bits: block and slot
        long sum = low + n;
        long vlf = vlf() + (sum >>> 48);
        sum &= (1L << 48) - 1;
        if (vlf > 0xFFFFFFFFL) {
            throw new ArithmeticException("LSN overflow: " + this + " + " + n);
        }
        return of(vlf, sum >>> 16, (int) (sum & 0xFFFF));
    }

    /** The previous possible LSN (borrowing like {@link #increment()} carries). */
    public Lsn decrement() {
        byte[] b = bytes.clone();
        for (int i = LENGTH - 1; i >= 0; i--) {
            b[i]--;
            if (b[i] != (byte) 0xFF) {
                return new Lsn(b);
            }
        }
        throw new ArithmeticException("LSN underflow: " + this);
    }

    /** {@code 0x0000002D000005880003}, the form T-SQL literals and the cleanup messages use. */
    public String toHexLiteral() {
        return "0x" + HexFormat.of().withUpperCase().formatHex(bytes);
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

    /** The log form {@code 0000002d:00000588:0003}; {@link #parse(String)} reads it back. */
    @Override
    public String toString() {
        return String.format("%08x:%08x:%04x", vlf(), block(), slot());
    }

    private long getUnsigned(int offset, int length) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return v;
    }

    private static void putUnsigned(byte[] b, int offset, int length, long value) {
        for (int i = length - 1; i >= 0; i--) {
            b[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
