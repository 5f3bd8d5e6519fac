package io.dstream.mssql.emulator.tds;

/**
 * What the emulator uses of a LOGIN7 request. {@code toString} never shows the password.
 *
 * @param tdsVersion the TDS version the client speaks, as LOGINACK spells it (0x74000004 for 7.4, 0x72090002
 *                   for 7.2); LOGIN7 sends it as a little-endian integer, LOGINACK as a big-endian one
 * @param packetSize the requested packet size, 0 when the client lets the server choose
 */
record Login7(int tdsVersion, int packetSize, String hostName, String userName, String password,
              String appName, String serverName, String database) {

    // Offsets of the fixed part (MS-TDS 2.2.6.4).
    private static final int OFFSET_TDS_VERSION = 4;
    private static final int OFFSET_PACKET_SIZE = 8;
    private static final int OFFSET_HOST_NAME = 36;
    private static final int OFFSET_USER_NAME = 40;
    private static final int OFFSET_PASSWORD = 44;
    private static final int OFFSET_APP_NAME = 48;
    private static final int OFFSET_SERVER_NAME = 52;
    private static final int OFFSET_DATABASE = 68;
    private static final int FIXED_LENGTH = 94;

    static Login7 parse(byte[] payload) {
        if (payload.length < FIXED_LENGTH) {
            throw new IllegalArgumentException("LOGIN7 of " + payload.length + " bytes is shorter than its fixed part");
        }
        PayloadReader r = new PayloadReader(payload);
        r.position(OFFSET_TDS_VERSION);
        int tdsVersion = r.i32(); // little-endian like every LOGIN7 integer: 04 00 00 74 is 0x74000004 (7.4)
        r.position(OFFSET_PACKET_SIZE);
        int packetSize = r.i32();
        return new Login7(tdsVersion, packetSize,
                text(payload, OFFSET_HOST_NAME),
                text(payload, OFFSET_USER_NAME),
                deobfuscate(payload, OFFSET_PASSWORD),
                text(payload, OFFSET_APP_NAME),
                text(payload, OFFSET_SERVER_NAME),
                text(payload, OFFSET_DATABASE));
    }

    private static String text(byte[] payload, int fieldOffset) {
        PayloadReader r = new PayloadReader(payload);
        r.position(fieldOffset);
        int offset = r.u16();
        int chars = r.u16();
        if (chars == 0) {
            return "";
        }
        r.position(offset);
        return r.utf16(chars);
    }

    /** The client swaps each byte's nibbles and XORs 0xA5; undo it in the reverse order. */
    private static String deobfuscate(byte[] payload, int fieldOffset) {
        PayloadReader r = new PayloadReader(payload);
        r.position(fieldOffset);
        int offset = r.u16();
        int chars = r.u16();
        byte[] b = new byte[chars * 2];
        for (int i = 0; i < b.length; i++) {
            int x = (payload[offset + i] & 0xFF) ^ 0xA5;
            b[i] = (byte) (((x & 0x0F) << 4) | (x >>> 4));
        }
        return Utf16.decode(b);
    }

    @Override
    public String toString() {
        return "Login7[tdsVersion=0x" + Integer.toHexString(tdsVersion) + ", packetSize=" + packetSize
                + ", host=" + hostName + ", user=" + userName + ", app=" + appName + ", database=" + database + "]";
    }
}
