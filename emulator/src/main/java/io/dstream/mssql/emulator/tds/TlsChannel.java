package io.dstream.mssql.emulator.tds;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS as TDS 7.x runs it (MS-TDS 2.2.6.5 and 3.3.5.2, "TLS/SSL Negotiation"): after a PRELOGIN
 * exchange that agreed on encryption, the TLS handshake records travel as the payload of TDS
 * packets of type PRELOGIN (0x12), the client's and the server's alike, each side's flight one
 * message. Once the handshake is complete the records go directly on the socket, and every TDS
 * packet from LOGIN7 on is application data inside them: {@link #input()} and {@link #output()}.
 *
 * <p>The reader thread unwraps while the request thread wraps; SSLEngine allows the two at once.
 */
final class TlsChannel {

    /**
     * SQL Server speaks TLS 1.3 only with TDS 8 (encrypt=strict), where TLS comes first; a
     * handshake framed in PRELOGIN packets is TLS 1.2. (TLS 1.3 would also send a session ticket
     * after the client's last flight, which mssql-jdbc reads only once it has left the TDS framing.)
     */
    private static final String[] PROTOCOLS = {"TLSv1.2"};
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    /** Records received and not yet unwrapped, ready to read. */
    private ByteBuffer netIn;
    private final InputStream input;
    private final OutputStream output;

    private TlsChannel(SSLEngine engine, InputStream rawIn, OutputStream rawOut, ByteBuffer netIn) {
        this.engine = engine;
        this.rawIn = rawIn;
        this.rawOut = rawOut;
        this.netIn = netIn;
        this.input = new Input();
        this.output = new Output();
    }

    /**
     * Runs the server side of the handshake over PRELOGIN messages.
     *
     * @param tds    reads the client's PRELOGIN messages from {@code rawIn}
     * @param rawIn  the socket's stream (the same buffered one {@code tds} reads), for the records after the handshake
     * @param rawOut the socket's stream
     * @throws SSLException when the handshake fails (e.g. the client rejected the certificate and sent an alert)
     * @throws EOFException when the client closed the connection during the handshake
     */
    static TlsChannel handshake(SSLContext context, MessageReader tds, InputStream rawIn, OutputStream rawOut, int spid)
            throws IOException {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(PROTOCOLS);
        ResponseWriter flight = new ResponseWriter(rawOut, spid, Tds.DEFAULT_PACKET_SIZE, Tds.PKT_PRELOGIN);
        ByteBuffer received = ByteBuffer.allocate(0);
        ByteBuffer wrapped = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteBuffer unwrapped = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        boolean flightStarted = false;
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
            switch (status) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    status = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    wrapped.clear();
                    SSLEngineResult result = engine.wrap(NOTHING, wrapped);
                    requireOpen(result);
                    flight.bytes(wrapped.array(), 0, wrapped.position());
                    flightStarted = true;
                    status = result.getHandshakeStatus();
                }
                case NEED_UNWRAP -> {
                    SSLEngineResult result = engine.unwrap(received, unwrapped);
                    requireOpen(result);
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        // the client answers only once it has our whole flight: send it, then read its next message
                        if (flightStarted) {
                            flight.endMessage();
                            flightStarted = false;
                        }
                        received = append(received, nextHandshakeMessage(tds));
                    }
                    status = result.getHandshakeStatus();
                }
                default -> throw new SSLException("unexpected TLS handshake status " + status);
            }
        }
        if (flightStarted) {
            flight.endMessage();
        }
        return new TlsChannel(engine, rawIn, rawOut, received);
    }

    /** Reads TDS packets from now on; the client sends them as TLS application data. */
    InputStream input() {
        return input;
    }

    /** Writes TDS packets as TLS application data. */
    OutputStream output() {
        return output;
    }

    /** The protocol and cipher suite agreed, e.g. for a log line. */
    String describe() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    private static byte[] nextHandshakeMessage(MessageReader tds) throws IOException {
        Message m = tds.read();
        if (m == null) {
            throw new EOFException("the client closed the connection during the TLS handshake");
        }
        if (m.type() != Tds.PKT_PRELOGIN) {
            throw new SSLException("expected a PRELOGIN packet carrying the TLS handshake, got packet type 0x"
                    + Integer.toHexString(m.type()));
        }
        return m.payload();
    }

    private static void requireOpen(SSLEngineResult result) throws SSLException {
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the TLS handshake was closed by the client");
        }
    }

    /** The unread part of {@code buffer} followed by {@code more}, ready to read. */
    private static ByteBuffer append(ByteBuffer buffer, byte[] more) {
        ByteBuffer joined = ByteBuffer.allocate(buffer.remaining() + more.length);
        joined.put(buffer).put(more).flip();
        return joined;
    }

    /** Application data: unwraps the records read from the socket. */
    private final class Input extends InputStream {

        private final ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!plain.hasRemaining()) {
                if (!unwrapRecord()) {
                    return -1;
                }
            }
            int n = Math.min(len, plain.remaining());
            plain.get(b, off, n);
            return n;
        }

        /** Unwraps the next record into {@code plain}; false at the end of the stream or when the client closed TLS. */
        private boolean unwrapRecord() throws IOException {
            plain.clear();
            try {
                while (true) {
                    SSLEngineResult result = engine.unwrap(netIn, plain);
                    switch (result.getStatus()) {
                        case OK -> {
                            if (plain.position() > 0) {
                                return true;
                            }
                        }
                        case BUFFER_UNDERFLOW -> {
                            if (!readRecords()) {
                                return false;
                            }
                        }
                        case CLOSED -> {
                            return false;
                        }
                        default -> throw new SSLException("TLS record larger than the session allows: " + result);
                    }
                }
            } finally {
                plain.flip();
            }
        }

        private boolean readRecords() throws IOException {
            int needed = engine.getSession().getPacketBufferSize();
            if (netIn.capacity() < needed) {
                netIn = ByteBuffer.allocate(needed).put(netIn).flip();
            }
            netIn.compact();
            int n = rawIn.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n > 0) {
                netIn.position(netIn.position() + n);
            }
            netIn.flip();
            return n >= 0;
        }
    }

    /**
     * Application data: writes gather into one record's worth of plaintext (TLS's 16 KiB maximum), sent when
     * full and on flush (ResponseWriter flushes at the end of each message), so a large result is a few big
     * records rather than one per TDS packet.
     */
    private final class Output extends OutputStream {

        /** RFC 5246 6.2.1: a record carries at most 2^14 bytes of plaintext. */
        private static final int MAX_RECORD_PLAINTEXT = 16_384;

        private final ByteBuffer plain = ByteBuffer.allocate(MAX_RECORD_PLAINTEXT);
        private final ByteBuffer wrapped = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, plain.remaining());
                plain.put(b, off, n);
                off += n;
                len -= n;
                if (!plain.hasRemaining()) {
                    sendRecords();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            sendRecords();
            rawOut.flush();
        }

        private void sendRecords() throws IOException {
            plain.flip();
            while (plain.hasRemaining()) {
                wrapped.clear();
                SSLEngineResult result = engine.wrap(plain, wrapped);
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("cannot send over TLS: " + result.getStatus());
                }
                rawOut.write(wrapped.array(), 0, wrapped.position());
            }
            plain.clear();
        }
    }
}
