package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The process's stdout: JSON lines only. {@link #write} returns after the line and its newline were
 * flushed, so that a checkpoint saved afterwards never covers a line still sitting in a buffer.
 * Thread-safe: lines of different writers never interleave.
 */
public final class Stdout {

    private final OutputStream out;

    public Stdout(OutputStream out) {
        this.out = out;
    }

    public synchronized void write(byte[] line) throws IOException {
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        out.write(withNewline); // one write: a reader never sees half a line
        out.flush();
    }

    public void write(JsonNode node) throws IOException {
        write(Json.bytes(node));
    }
}
