package io.dstream.mssql.emulator.tds;

/**
 * The PRELOGIN exchange (MS-TDS 2.2.6.5). The emulator encrypts all or nothing: a client that asks
 * for encryption (ENCRYPT_ON, or ENCRYPT_REQ) gets ENCRYPT_ON and a TLS handshake next; any other
 * gets ENCRYPT_NOT_SUP, the one answer with which mssql-jdbc ({@code encrypt=false}) skips TLS
 * even for the login packet. (SQL Server answers ENCRYPT_OFF there and encrypts LOGIN7 alone.)
 */
final class PreLogin {

    static final int OPTION_VERSION = 0x00;
    static final int OPTION_ENCRYPTION = 0x01;
    static final int OPTION_INSTOPT = 0x02;
    static final int OPTION_THREADID = 0x03;
    static final int OPTION_MARS = 0x04;
    /** The client will sign in with Microsoft Entra if the server asks for it (TDS 7.4). */
    static final int OPTION_FEDAUTHREQUIRED = 0x06;
    static final int OPTION_TERMINATOR = 0xFF;

    static final int ENCRYPT_OFF = 0x00;
    static final int ENCRYPT_ON = 0x01;
    static final int ENCRYPT_NOT_SUP = 0x02;
    static final int ENCRYPT_REQ = 0x03;
    /** Added to the client's level when it has a client certificate (TDS 7.4); the emulator asks for none. */
    static final int ENCRYPT_CLIENT_CERT = 0x80;

    /** SQL Server 2022 (16.0); a major version of 11 or more makes clients speak TDS 7.4. */
    static final int VERSION_MAJOR = 16;
    static final int VERSION_MINOR = 0;
    static final int VERSION_BUILD = 1000;

    private PreLogin() {
    }

    /** The ENCRYPTION option the client sent, or ENCRYPT_OFF when absent. */
    static int requestedEncryption(byte[] payload) {
        int value = option(payload, OPTION_ENCRYPTION);
        return value < 0 ? ENCRYPT_OFF : value;
    }

    /** True when the client sent FEDAUTHREQUIRED: it signs in with Microsoft Entra and wants to know if it must. */
    static boolean asksForFedAuth(byte[] payload) {
        return option(payload, OPTION_FEDAUTHREQUIRED) >= 0;
    }

    /** The first byte of an option the client sent, or -1 when absent. */
    private static int option(byte[] payload, int wanted) {
        int i = 0;
        while (i + 5 <= payload.length && (payload[i] & 0xFF) != OPTION_TERMINATOR) {
            int token = payload[i] & 0xFF;
            int offset = ((payload[i + 1] & 0xFF) << 8) | (payload[i + 2] & 0xFF);
            int length = ((payload[i + 3] & 0xFF) << 8) | (payload[i + 4] & 0xFF);
            if (token == wanted && length >= 1 && offset < payload.length) {
                return payload[offset] & 0xFF;
            }
            i += 5;
        }
        return -1;
    }

    /** True when the client's ENCRYPTION option asks for TLS for the whole session. */
    static boolean wantsEncryption(int requested) {
        int level = requested & ~ENCRYPT_CLIENT_CERT;
        return level == ENCRYPT_ON || level == ENCRYPT_REQ;
    }

    /**
     * Writes the PRELOGIN response message with this ENCRYPTION answer, and FEDAUTHREQUIRED 0x01 when
     * the server accepts Microsoft Entra sign-in from a client that asked (Azure SQL's answer).
     */
    static void writeResponse(ResponseWriter w, int threadId, int encryption, boolean fedAuthRequired) {
        int[][] options = fedAuthRequired
                ? new int[][] {{OPTION_VERSION, 6}, {OPTION_ENCRYPTION, 1}, {OPTION_INSTOPT, 1}, {OPTION_THREADID, 4},
                        {OPTION_MARS, 1}, {OPTION_FEDAUTHREQUIRED, 1}}
                : new int[][] {{OPTION_VERSION, 6}, {OPTION_ENCRYPTION, 1}, {OPTION_INSTOPT, 1}, {OPTION_THREADID, 4},
                        {OPTION_MARS, 1}};
        int offset = options.length * 5 + 1;
        for (int[] option : options) {
            w.u8(option[0]);
            w.u16BigEndian(offset);
            w.u16BigEndian(option[1]);
            offset += option[1];
        }
        w.u8(OPTION_TERMINATOR);
        w.u8(VERSION_MAJOR);
        w.u8(VERSION_MINOR);
        w.u16BigEndian(VERSION_BUILD);
        w.u16BigEndian(0);
        w.u8(encryption);
        w.u8(0); // INSTOPT: the client's instance name matched
        w.i32BigEndian(threadId);
        w.u8(0); // MARS off
        if (fedAuthRequired) {
            w.u8(1);
        }
        w.endMessage();
    }
}
