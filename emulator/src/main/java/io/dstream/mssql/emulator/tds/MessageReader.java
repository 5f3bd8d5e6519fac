package io.dstream.mssql.emulator.tds;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads client messages, joining packets until the one marked end-of-message. */
final class MessageReader {

    /** A guard against a client that never ends a message; far above any sane request. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final DataInputStream in;

    MessageReader(InputStream in) {
        this.in = new DataInputStream(in.markSupported() ? in : new java.io.BufferedInputStream(in));
    }

    /** The first byte of what comes next, without consuming it; -1 at the end of the stream. */
    int peek() throws IOException {
        in.mark(1);
        int b = in.read();
        in.reset();
        return b;
    }

    /** The next message, or null when the client closed the connection between messages. */
    Message read() throws IOException {
        byte[] header = new byte[Tds.HEADER_LENGTH];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        in.readFully(header, 1, Tds.HEADER_LENGTH - 1);
        int type = first;
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while (true) {
            int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            if (length < Tds.HEADER_LENGTH) {
                throw new IOException("malformed TDS packet: length " + length + " is shorter than its header");
            }
            byte[] body = new byte[length - Tds.HEADER_LENGTH];
            in.readFully(body);
            payload.write(body);
            if (payload.size() > MAX_MESSAGE_BYTES) {
                throw new IOException("TDS message larger than " + MAX_MESSAGE_BYTES + " bytes");
            }
            if ((header[1] & Tds.STATUS_EOM) != 0) {
                return new Message(type, payload.toByteArray());
            }
            try {
                in.readFully(header);
            } catch (EOFException e) {
                throw new EOFException("client closed the connection in the middle of a message");
            }
            if ((header[0] & 0xFF) != type) {
                throw new IOException("TDS packet of type 0x" + Integer.toHexString(header[0] & 0xFF)
                        + " inside a message of type 0x" + Integer.toHexString(type));
            }
        }
    }
}
