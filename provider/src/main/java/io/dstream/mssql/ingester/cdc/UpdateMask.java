package io.dstream.mssql.ingester.cdc;

/**
 * {@code __$update_mask}: one bit per captured-column ordinal (1-based). SQL Server lays it out
 * big-endian by byte and little-endian within a byte, so ordinals 1–8 live in the LAST byte, ordinal
 * 1 at bit value 1 (as {@code sys.fn_cdc_is_bit_set} reads it).
 */
public final class UpdateMask {

    private static final UpdateMask EMPTY = new UpdateMask(new byte[0]);

    private final byte[] bytes;

    private UpdateMask(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The mask of these bytes; SQL NULL is an empty mask (no bit set). */
    public static UpdateMask of(byte[] bytes) {
        return bytes == null ? EMPTY : new UpdateMask(bytes.clone());
    }

    public boolean isSet(int ordinal) {
        if (ordinal < 1) {
            throw new IllegalArgumentException("captured-column ordinals start at 1, got " + ordinal);
        }
        int index = bytes.length - 1 - (ordinal - 1) / 8;
        return index >= 0 && (bytes[index] & (1 << ((ordinal - 1) % 8))) != 0;
    }
}
