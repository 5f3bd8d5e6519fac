package io.dstream.mssql.ingester.output;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer a {@link com.fasterxml.jackson.core.JsonGenerator} writes into, reused for
 * every line of a batch: the bytes of a line are built in place and copied out once, instead of one
 * array per change and another per line.
 */
final class LineBuffer extends OutputStream {

    private byte[] bytes = new byte[8192];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    int size() {
        return size;
    }

    /** Drops everything from {@code newSize} on. */
    void truncate(int newSize) {
        size = newSize;
    }

    byte[] copy(int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
