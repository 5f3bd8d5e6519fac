package io.dstream.mssql.emulator.tds;

/**
 * Text as TDS carries it and SQL Server stores it: UTF-16LE code units, any sequence of them. A
 * lone surrogate is a valid nvarchar value, kept and sent back as is; Java's UTF-16 charset would
 * replace it by U+FFFD (and swallow the unit after it), so this converts unit by unit instead.
 */
final class Utf16 {

    private Utf16() {
    }

    /** The code units of {@code length} bytes at {@code from}; an odd last byte is not a unit and is ignored. */
    static String decode(byte[] bytes, int from, int length) {
        char[] units = new char[length / 2];
        for (int i = 0; i < units.length; i++) {
            int at = from + 2 * i;
            units[i] = (char) ((bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8);
        }
        return new String(units);
    }

    static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    static byte[] encode(String text) {
        byte[] bytes = new byte[text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            char unit = text.charAt(i);
            bytes[2 * i] = (byte) unit;
            bytes[2 * i + 1] = (byte) (unit >>> 8);
        }
        return bytes;
    }
}
