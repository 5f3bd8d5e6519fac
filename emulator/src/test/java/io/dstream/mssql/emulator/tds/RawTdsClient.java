package io.dstream.mssql.emulator.tds;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal TDS client for tests: writes requests byte by byte and renders each response as a
 * readable token transcript, e.g. {@code DONEPROC(MORE,0)}. Values are decoded with the
 * server's own decoder, which reads the same TYPE_INFO/value forms.
 */
final class RawTdsClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final MessageReader in;
    private int packetSize = 4096;

    RawTdsClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new MessageReader(socket.getInputStream());
    }

    /** PRELOGIN with the given ENCRYPTION option; returns the server's ENCRYPTION answer. */
    int preLogin(int encryption) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        // VERSION (6 bytes at 11), ENCRYPTION (1 byte at 17), terminator
        p.writeBytes(new byte[] {0, 0, 11, 0, 6, 1, 0, 17, 0, 1, (byte) 0xFF, 9, 0, 0, 0, 0, 0, (byte) encryption});
        send(Tds.PKT_PRELOGIN, p.toByteArray());
        Message m = in.read();
        return PreLogin.requestedEncryption(m.payload());
    }

    List<String> login(String user, String password, String database, int requestedPacketSize) throws IOException {
        String[] strings = {"testhost", user, password, "raw-test", "127.0.0.1", "", "raw", "", database};
        ByteArrayOutputStream fixed = new ByteArrayOutputStream();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int fixedLength = 94;
        le32(fixed, 0); // length, patched below
        le32(fixed, Tokens.TDS_74); // as mssql-jdbc writes it: bytes 04 00 00 74
        le32(fixed, requestedPacketSize);
        le32(fixed, 7);
        le32(fixed, 1234);
        le32(fixed, 0);
        fixed.writeBytes(new byte[] {(byte) 0xE0, 0x03, 0, 0});
        le32(fixed, 0);
        le32(fixed, 0x0409);
        for (int i = 0; i < strings.length; i++) {
            byte[] b = strings[i].getBytes(StandardCharsets.UTF_16LE);
            if (i == 2) {
                for (int j = 0; j < b.length; j++) { // swap nibbles, then XOR 0xA5
                    int x = b[j] & 0xFF;
                    b[j] = (byte) ((((x & 0x0F) << 4) | (x >>> 4)) ^ 0xA5);
                }
            }
            le16(fixed, fixedLength + data.size());
            le16(fixed, strings[i].length());
            data.writeBytes(b);
        }
        fixed.writeBytes(new byte[6]); // client id
        for (int i = 0; i < 3; i++) { // SSPI, attach db file, change password
            le16(fixed, fixedLength + data.size());
            le16(fixed, 0);
        }
        le32(fixed, 0);
        byte[] payload = new byte[fixed.size() + data.size()];
        System.arraycopy(fixed.toByteArray(), 0, payload, 0, fixed.size());
        System.arraycopy(data.toByteArray(), 0, payload, fixed.size(), data.size());
        payload[0] = (byte) payload.length;
        payload[1] = (byte) (payload.length >> 8);
        send(Tds.PKT_LOGIN7, payload);
        List<String> tokens = readResponse();
        tokens.stream().filter(t -> t.startsWith("ENVCHANGE(4,")).findFirst()
                .ifPresent(t -> packetSize = Integer.parseInt(t.substring(12, t.indexOf(',', 12))));
        return tokens;
    }

    List<String> sqlBatch(String sql) throws IOException {
        send(Tds.PKT_SQL_BATCH, withAllHeaders(sql.getBytes(StandardCharsets.UTF_16LE)));
        return readResponse();
    }

    void send(int type, byte[] payload) throws IOException {
        int max = packetSize - Tds.HEADER_LENGTH;
        int off = 0;
        int id = 1;
        do {
            int n = Math.min(max, payload.length - off);
            boolean last = off + n == payload.length;
            int length = n + Tds.HEADER_LENGTH;
            out.write(new byte[] {(byte) type, (byte) (last ? 1 : 0), (byte) (length >> 8), (byte) length, 0, 0, (byte) id++, 0});
            out.write(payload, off, n);
            off += n;
        } while (off < payload.length);
        out.flush();
    }

    /** One response message as a token transcript; null when the server closed the connection. */
    List<String> readResponse() throws IOException {
        Message m = in.read();
        return m == null ? null : transcript(m.payload());
    }

    static byte[] withAllHeaders(byte[] body) {
        // ALL_HEADERS with the transaction descriptor header (type 2): descriptor 0, 1 outstanding request
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le32(b, 22);
        le32(b, 18);
        le16(b, 2);
        b.writeBytes(new byte[8]);
        le32(b, 1);
        b.writeBytes(body);
        return b.toByteArray();
    }

    static List<String> transcript(byte[] payload) {
        PayloadReader r = new PayloadReader(payload);
        List<String> tokens = new ArrayList<>();
        List<TypeInfo> columns = new ArrayList<>();
        while (r.hasRemaining()) {
            int token = r.u8();
            switch (token) {
                case Tds.TOKEN_COLMETADATA -> {
                    int count = r.u16();
                    columns.clear();
                    List<String> cols = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        r.i32();
                        r.u16();
                        TypeInfo t = TypeInfo.read(r);
                        columns.add(t);
                        cols.add(r.bVarchar() + ":" + t.sqlType().sqlName());
                    }
                    tokens.add("COLMETADATA" + cols);
                }
                case Tds.TOKEN_ROW -> {
                    List<Object> values = new ArrayList<>();
                    for (TypeInfo t : columns) {
                        values.add(ValueDecoder.read(t, r));
                    }
                    tokens.add("ROW" + values);
                }
                case Tds.TOKEN_DONE, Tds.TOKEN_DONEPROC, Tds.TOKEN_DONEINPROC -> {
                    String name = token == Tds.TOKEN_DONE ? "DONE" : token == Tds.TOKEN_DONEPROC ? "DONEPROC" : "DONEINPROC";
                    int status = r.u16();
                    int cmd = r.u16();
                    long count = r.i64();
                    tokens.add(name + "(" + doneStatus(status) + (cmd == 0 ? "" : ",cmd=0x" + Integer.toHexString(cmd))
                            + ((status & Tds.DONE_COUNT) != 0 ? "," + count : "") + ")");
                }
                case Tds.TOKEN_RETURNSTATUS -> tokens.add("RETURNSTATUS(" + r.i32() + ")");
                case Tds.TOKEN_RETURNVALUE -> {
                    int ordinal = r.u16();
                    String name = r.bVarchar();
                    r.u8();
                    r.i32();
                    r.u16();
                    TypeInfo t = TypeInfo.read(r);
                    tokens.add("RETURNVALUE(" + ordinal + "," + name + "," + ValueDecoder.read(t, r) + ")");
                }
                case Tds.TOKEN_ERROR, Tds.TOKEN_INFO -> {
                    r.u16();
                    int number = r.i32();
                    r.u8();
                    int severity = r.u8();
                    String text = r.usVarchar();
                    r.bVarchar();
                    String proc = r.bVarchar();
                    r.i32();
                    tokens.add((token == Tds.TOKEN_ERROR ? "ERROR(" : "INFO(") + number + "," + severity
                            + (proc.isEmpty() ? "" : "," + proc) + ")");
                    tokens.add("  " + text);
                }
                case Tds.TOKEN_ENVCHANGE -> {
                    int length = r.u16();
                    int end = r.position() + length;
                    int type = r.u8();
                    if (type == Tds.ENV_DATABASE || type == Tds.ENV_LANGUAGE || type == Tds.ENV_PACKET_SIZE) {
                        tokens.add("ENVCHANGE(" + type + "," + r.bVarchar() + "," + r.bVarchar() + ")");
                    } else {
                        tokens.add("ENVCHANGE(" + type + ",new=" + hex(r.bytes(r.u8())) + ",old=" + hex(r.bytes(r.u8())) + ")");
                    }
                    r.position(end);
                }
                case Tds.TOKEN_LOGINACK -> {
                    int length = r.u16();
                    int end = r.position() + length;
                    r.u8();
                    int version = Integer.reverseBytes(r.i32());
                    String prog = r.bVarchar();
                    tokens.add("LOGINACK(0x" + Integer.toHexString(version) + "," + prog + "," + r.u8() + "." + r.u8() + ")");
                    r.position(end);
                }
                default -> throw new IllegalStateException("unexpected token 0x" + Integer.toHexString(token)
                        + " after " + tokens);
            }
        }
        return tokens;
    }

    private static String doneStatus(int status) {
        List<String> s = new ArrayList<>();
        if ((status & Tds.DONE_MORE) != 0) {
            s.add("MORE");
        }
        if ((status & Tds.DONE_ERROR) != 0) {
            s.add("ERROR");
        }
        if ((status & Tds.DONE_COUNT) != 0) {
            s.add("COUNT");
        }
        if ((status & Tds.DONE_ATTN) != 0) {
            s.add("ATTN");
        }
        return s.isEmpty() ? "FINAL" : String.join("|", s);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    static void le16(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
    }

    static void le32(ByteArrayOutputStream b, int v) {
        le16(b, v);
        le16(b, v >>> 16);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
