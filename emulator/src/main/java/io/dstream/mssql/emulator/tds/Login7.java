package io.dstream.mssql.emulator.tds;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the emulator uses of a LOGIN7 request. {@code toString} never shows the password.
 *
 * @param tdsVersion the TDS version the client speaks, as LOGINACK spells it (0x74000004 for 7.4, 0x72090002
 *                   for 7.2); LOGIN7 sends it as a little-endian integer, LOGINACK as a big-endian one
 * @param packetSize the requested packet size, 0 when the client lets the server choose
 * @param fedAuth    how the client signs in with Microsoft Entra (the FEDAUTH feature extension), or
 *                   {@link FedAuth#NONE} for a SQL login
 */
record Login7(int tdsVersion, int packetSize, String hostName, String userName, String password,
              String appName, String serverName, String database, FedAuth fedAuth) {

    /**
     * The FEDAUTH feature extension (MS-TDS 2.2.6.4): bFedAuthLibrary in the upper 7 bits of its first
     * byte; for the security token library the token (DWORD length, UTF-16LE) follows.
     *
     * @param token the token sent in LOGIN7 (security token library), empty for the others
     */
    record FedAuth(int library, String token) {
        static final FedAuth NONE = new FedAuth(0, "");
        /** The client has the token already and sends it in LOGIN7. */
        static final int LIBRARY_SECURITY_TOKEN = 0x01;
        /** The client gets a token after the server's FEDAUTHINFO (ADAL, now MSAL) and sends it in a FEDAUTH message. */
        static final int LIBRARY_MSAL = 0x02;

        static FedAuth parse(byte[] data) {
            int library = data.length == 0 ? 0 : (data[0] & 0xFF) >>> 1;
            if (library == LIBRARY_SECURITY_TOKEN && data.length >= 5) {
                PayloadReader r = new PayloadReader(data);
                r.position(1);
                int length = r.i32();
                return new FedAuth(library, r.utf16(Math.min(length, data.length - 5) / 2));
            }
            return new FedAuth(library, "");
        }

        boolean requested() {
            return this != NONE;
        }
    }

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
    private static final int OFFSET_OPTION_FLAGS3 = 27;
    /** OptionFlags3 fExtension: ibExtension points to the offset of the FeatureExt block. */
    private static final int FLAG_EXTENSION = 0x10;
    private static final int OFFSET_EXTENSION = 56;
    // FeatureExt (MS-TDS 2.2.6.4): FeatureId BYTE, FeatureDataLen DWORD, data; 0xFF ends the list.
    private static final int FEATURE_FEDAUTH = 0x02;
    private static final int FEATURE_TERMINATOR = 0xFF;

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
                text(payload, OFFSET_DATABASE),
                feature(payload, FEATURE_FEDAUTH).map(FedAuth::parse).orElse(FedAuth.NONE));
    }

    /** The data of a feature in the FeatureExt block (when OptionFlags3 says there is one). */
    private static Optional<byte[]> feature(byte[] payload, int featureId) {
        if ((payload[OFFSET_OPTION_FLAGS3] & FLAG_EXTENSION) == 0) {
            return Optional.empty();
        }
        PayloadReader r = new PayloadReader(payload);
        r.position(OFFSET_EXTENSION);
        int pointer = r.u16();
        if (r.u16() < 4 || pointer + 4 > payload.length) {
            return Optional.empty();
        }
        r.position(pointer);
        int offset = r.i32();
        while (offset >= 0 && offset + 5 <= payload.length && (payload[offset] & 0xFF) != FEATURE_TERMINATOR) {
            r.position(offset + 1);
            int length = r.i32();
            if (length < 0 || offset + 5 + length > payload.length) {
                return Optional.empty();
            }
            if ((payload[offset] & 0xFF) == featureId) {
                return Optional.of(Arrays.copyOfRange(payload, offset + 5, offset + 5 + length));
            }
            offset += 5 + length;
        }
        return Optional.empty();
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
                + ", host=" + hostName + ", user=" + userName + ", app=" + appName + ", database=" + database
                + (fedAuth.requested() ? ", federated authentication library " + fedAuth.library() : "") + "]";
    }
}
