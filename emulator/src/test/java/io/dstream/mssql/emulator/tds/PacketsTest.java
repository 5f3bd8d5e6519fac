package io.dstream.mssql.emulator.tds;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Packet framing: responses cut to the negotiated size, requests joined until end-of-message. */
class PacketsTest {

    @Test
    void responseIsCutIntoPacketsOfTheNegotiatedSizeWithOneEndOfMessage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponseWriter w = new ResponseWriter(out, 0x1234, 512);
        byte[] data = new byte[2000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        w.bytes(data);
        w.endMessage();
        byte[] wire = out.toByteArray();
        List<int[]> headers = new ArrayList<>();
        for (int pos = 0; pos < wire.length; ) {
            int length = ((wire[pos + 2] & 0xFF) << 8) | (wire[pos + 3] & 0xFF);
            headers.add(new int[] {wire[pos] & 0xFF, wire[pos + 1], length, ((wire[pos + 4] & 0xFF) << 8) | (wire[pos + 5] & 0xFF),
                    wire[pos + 6] & 0xFF});
            pos += length;
        }
        // 2000 bytes in packets of 504 payload bytes: 3 full packets and a last one of 488
        assertThat(headers).extracting(h -> h[2]).containsExactly(512, 512, 512, 496);
        assertThat(headers).extracting(h -> h[1]).containsExactly(0, 0, 0, Tds.STATUS_EOM);
        assertThat(headers).extracting(h -> h[0]).containsOnly(Tds.PKT_REPLY);
        assertThat(headers).extracting(h -> h[3]).containsOnly(0x1234);
        assertThat(headers).extracting(h -> h[4]).containsExactly(1, 2, 3, 4);
        assertThat(payloadOf(wire, 512)).isEqualTo(data);
    }

    @Test
    void requestPacketsAreJoinedUntilEndOfMessage() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        packet(wire, Tds.PKT_SQL_BATCH, 0, new byte[] {1, 2, 3});
        packet(wire, Tds.PKT_SQL_BATCH, Tds.STATUS_EOM, new byte[] {4, 5});
        packet(wire, Tds.PKT_ATTENTION, Tds.STATUS_EOM, new byte[0]);
        MessageReader r = new MessageReader(new ByteArrayInputStream(wire.toByteArray()));
        Message first = r.read();
        assertThat(first.type()).isEqualTo(Tds.PKT_SQL_BATCH);
        assertThat(first.payload()).containsExactly(1, 2, 3, 4, 5);
        assertThat(r.read().type()).isEqualTo(Tds.PKT_ATTENTION);
        assertThat(r.read()).isNull();
    }

    @Test
    void aPacketOfAnotherTypeInsideAMessageIsRejected() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        packet(wire, Tds.PKT_SQL_BATCH, 0, new byte[] {1});
        packet(wire, Tds.PKT_RPC, Tds.STATUS_EOM, new byte[] {2});
        MessageReader r = new MessageReader(new ByteArrayInputStream(wire.toByteArray()));
        assertThatThrownBy(r::read).isInstanceOf(IOException.class).hasMessageContaining("inside a message");
    }

    static void packet(ByteArrayOutputStream out, int type, int status, byte[] payload) {
        int length = payload.length + Tds.HEADER_LENGTH;
        out.writeBytes(new byte[] {(byte) type, (byte) status, (byte) (length >> 8), (byte) length, 0, 0, 1, 0});
        out.writeBytes(payload);
    }

    /** The payload of a server message, its packet headers removed. */
    static byte[] payloadOf(byte[] wire, int packetSize) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int pos = 0; pos < wire.length; ) {
            int length = ((wire[pos + 2] & 0xFF) << 8) | (wire[pos + 3] & 0xFF);
            assertThat(length).isLessThanOrEqualTo(packetSize);
            payload.write(wire, pos + Tds.HEADER_LENGTH, length - Tds.HEADER_LENGTH);
            pos += length;
        }
        return payload.toByteArray();
    }
}
