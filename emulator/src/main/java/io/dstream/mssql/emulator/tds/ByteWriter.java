package io.dstream.mssql.emulator.tds;


/** Little-endian writes with the TDS string forms, onto packets or into a scratch buffer. */
abstract class ByteWriter {

    abstract void u8(int v);

    abstract void bytes(byte[] b, int off, int len);

    final void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    final void u16(int v) {
        u8(v);
        u8(v >>> 8);
    }

    final void u16BigEndian(int v) {
        u8(v >>> 8);
        u8(v);
    }

    final void i32(int v) {
        u16(v);
        u16(v >>> 16);
    }

    final void i32BigEndian(int v) {
        u16BigEndian(v >>> 16);
        u16BigEndian(v);
    }

    final void i64(long v) {
        i32((int) v);
        i32((int) (v >>> 32));
    }

    /** UTF-16LE characters, no length prefix. */
    final void utf16(String s) {
        bytes(Utf16.encode(s));
    }

    /** B_VARCHAR: a character count byte, then UTF-16LE. Longer text is cut at 255 characters. */
    final void bVarchar(String s) {
        String t = s == null ? "" : s.length() > 255 ? s.substring(0, 255) : s;
        u8(t.length());
        utf16(t);
    }

    /** US_VARCHAR: a character count u16, then UTF-16LE. */
    final void usVarchar(String s) {
        String t = s == null ? "" : s.length() > 65535 ? s.substring(0, 65535) : s;
        u16(t.length());
        utf16(t);
    }

    /** A growable buffer: a token is built here first when building it may fail half-way. */
    static final class Scratch extends ByteWriter {

        private byte[] buf = new byte[256];
        private int size;

        @Override
        void u8(int v) {
            grow(1);
            buf[size++] = (byte) v;
        }

        @Override
        void bytes(byte[] b, int off, int len) {
            grow(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        void reset() {
            size = 0;
            if (buf.length > 1 << 20) { // do not keep a huge value's buffer for the connection's lifetime
                buf = new byte[256];
            }
        }

        void writeTo(ByteWriter w) {
            w.bytes(buf, 0, size);
        }

        private void grow(int n) {
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }
    }
}
