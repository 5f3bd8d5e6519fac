package io.dstream.mssql.emulator.cdc;

/**
 * {@code __$update_mask}: one bit per captured column ordinal, {@code ceil(n/8)} bytes, ordinal 1 in
 * bit 0 of the <em>last</em> byte (byte order big-endian, bit order little-endian within a byte), so
 * five columns give {@code 0x1F} and a change of the third column {@code 0x04}.
 */
final class UpdateMask {

    private UpdateMask() {
    }

    static byte[] empty(int columns) {
        return new byte[Math.max(1, (columns + 7) / 8)];
    }

    static byte[] all(int columns) {
        byte[] mask = empty(columns);
        for (int ordinal = 1; ordinal <= columns; ordinal++) {
            set(mask, ordinal);
        }
        return mask;
    }

    static void set(byte[] mask, int ordinal) {
        int index = mask.length - 1 - (ordinal - 1) / 8;
        mask[index] |= (byte) (1 << ((ordinal - 1) % 8));
    }

    /** {@code sys.fn_cdc_is_bit_set}: false for ordinals outside the mask. */
    static boolean isSet(byte[] mask, int ordinal) {
        if (mask == null || ordinal < 1) {
            return false;
        }
        int index = mask.length - 1 - (ordinal - 1) / 8;
        if (index < 0) {
            return false;
        }
        return (mask[index] & (1 << ((ordinal - 1) % 8))) != 0;
    }

    static byte[] or(byte[] a, byte[] b) {
        if (a == null) {
            return b == null ? null : b.clone();
        }
        if (b == null) {
            return a.clone();
        }
        int n = Math.max(a.length, b.length);
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            int ia = i - (n - a.length);
            int ib = i - (n - b.length);
            r[i] = (byte) ((ia >= 0 ? a[ia] : 0) | (ib >= 0 ? b[ib] : 0));
        }
        return r;
    }
}
