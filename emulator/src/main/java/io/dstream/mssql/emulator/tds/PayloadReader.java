package io.dstream.mssql.emulator.tds;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian reads over a message payload, with the TDS string and length-prefix forms. */
final class PayloadReader {

    private final ByteBuffer buf;

    PayloadReader(byte[] payload) {
        this.buf = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    int position() {
        return buf.position();
    }

    void position(int position) {
        buf.position(position);
    }

    int remaining() {
        return buf.remaining();
    }

    boolean hasRemaining() {
        return buf.hasRemaining();
    }

    int peekU8() {
        return buf.get(buf.position()) & 0xFF;
    }

    int u8() {
        return buf.get() & 0xFF;
    }

    int u16() {
        return buf.getShort() & 0xFFFF;
    }

    int u16BigEndian() {
        return ((buf.get() & 0xFF) << 8) | (buf.get() & 0xFF);
    }

    short i16() {
        return buf.getShort();
    }

    int i32() {
        return buf.getInt();
    }

    long i64() {
        return buf.getLong();
    }

    float f32() {
        return buf.getFloat();
    }

    double f64() {
        return buf.getDouble();
    }

    byte[] bytes(int n) {
        if (n < 0 || n > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    void skip(int n) {
        buf.position(buf.position() + n);
    }

    /** UTF-16LE text of {@code chars} characters. */
    String utf16(int chars) {
        return Utf16.decode(bytes(chars * 2));
    }

    /** B_VARCHAR: a character count byte, then UTF-16LE. */
    String bVarchar() {
        return utf16(u8());
    }

    /** US_VARCHAR: a character count u16, then UTF-16LE. */
    String usVarchar() {
        return utf16(u16());
    }

    /**
     * Skips ALL_HEADERS, which opens SQL_BATCH, RPC and TRANSACTION_MANAGER requests since TDS 7.2.
     * A length that cannot be one (text of an older client starts there) means there is none.
     */
    void skipAllHeaders() {
        if (buf.remaining() < 4) {
            return;
        }
        int total = buf.getInt(buf.position());
        if (total >= 4 && total <= buf.remaining()) {
            skip(total);
        }
    }
}
