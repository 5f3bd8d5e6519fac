package io.dstream.mssql.emulator.tds;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes server messages (packet type REPLY, or PRELOGIN for the TLS handshake records that
 * MS-TDS 2.2.6.5 frames in TDS packets), cut into packets of the negotiated size. Bytes are
 * sent as each packet fills, so a large result set streams instead of piling up in memory.
 * I/O failures surface as {@link UncheckedIOException} so that token writers stay readable; the
 * connection treats them as a lost client.
 */
final class ResponseWriter extends ByteWriter {

    private final OutputStream out;
    private final int spid;
    private final int packetType;
    private byte[] packet;
    private int pos = Tds.HEADER_LENGTH;
    private int packetId = 1;

    ResponseWriter(OutputStream out, int spid, int packetSize) {
        this(out, spid, packetSize, Tds.PKT_REPLY);
    }

    ResponseWriter(OutputStream out, int spid, int packetSize, int packetType) {
        this.out = out;
        this.spid = spid;
        this.packetType = packetType;
        this.packet = new byte[packetSize];
    }

    /** Applies a packet size negotiated in LOGIN7; only between messages. */
    void packetSize(int size) {
        if (pos != Tds.HEADER_LENGTH) {
            throw new IllegalStateException("packet size changed in the middle of a message");
        }
        packet = new byte[size];
    }

    @Override
    void u8(int v) {
        room(1);
        packet[pos++] = (byte) v;
    }

    @Override
    void bytes(byte[] b, int off, int len) {
        while (len > 0) {
            room(1);
            int n = Math.min(len, packet.length - pos);
            System.arraycopy(b, off, packet, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Sends what is buffered as the last packet of the message. */
    void endMessage() {
        send(Tds.STATUS_EOM);
        packetId = 1;
    }

    private void room(int n) {
        if (pos + n > packet.length) {
            send(0);
        }
    }

    private void send(int status) {
        packet[0] = (byte) packetType;
        packet[1] = (byte) status;
        packet[2] = (byte) (pos >>> 8);
        packet[3] = (byte) pos;
        packet[4] = (byte) (spid >>> 8);
        packet[5] = (byte) spid;
        packet[6] = (byte) packetId;
        packet[7] = 0;
        packetId = (packetId + 1) & 0xFF;
        try {
            out.write(packet, 0, pos);
            if (status == Tds.STATUS_EOM) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pos = Tds.HEADER_LENGTH;
        }
    }
}
