package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.Parameter;

import java.util.List;

/** Writers of the server's tokens (MS-TDS 2.2.7). */
final class Tokens {

    /** The name SQL Server reports as its program in LOGINACK; drivers show it as the product name. */
    static final String PROGRAM_NAME = "Microsoft SQL Server";
    /** TDS 7.4, as LOGINACK carries it (big-endian). */
    static final int TDS_74 = 0x74000004;
    private static final int INTERFACE_SQL_TSQL = 1;
    // FEDAUTHINFO option ids (MS-TDS 2.2.7.12) and the FeatureExt id of FEDAUTH (2.2.6.4).
    private static final int FEDAUTHINFO_STSURL = 0x01;
    private static final int FEDAUTHINFO_SPN = 0x02;
    private static final int FEATURE_FEDAUTH = 0x02;
    private static final int FEATURE_TERMINATOR = 0xFF;
    private static final int COLUMN_NULLABLE = 0x0001;
    /** usUpdateable = 2 (unknown), as SQL Server flags expression columns. */
    private static final int COLUMN_UPDATEABLE_UNKNOWN = 0x0008;
    private static final int RETURNVALUE_OUTPUT_PARAMETER = 0x01;

    private Tokens() {
    }

    static void done(ByteWriter w, int token, int status, int curCmd, long rowCount) {
        w.u8(token);
        w.u16(status);
        w.u16(curCmd);
        w.i64(rowCount);
    }

    /** ERROR (class > 10) or INFO; the server name and procedure name let clients show where it came from. */
    static void message(ByteWriter w, int token, int number, int state, int severity, String text,
                        String serverName, String procName, int line) {
        String msg = text == null ? "" : text.length() > 4000 ? text.substring(0, 4000) : text;
        String server = clip(serverName);
        String proc = clip(procName);
        w.u8(token);
        w.u16(4 + 1 + 1 + 2 + msg.length() * 2 + 1 + server.length() * 2 + 1 + proc.length() * 2 + 4);
        w.i32(number);
        w.u8(state);
        w.u8(severity);
        w.usVarchar(msg);
        w.bVarchar(server);
        w.bVarchar(proc);
        w.i32(line);
    }

    static void envChange(ByteWriter w, int type, String newValue, String oldValue) {
        String n = clip(newValue);
        String o = clip(oldValue);
        w.u8(Tds.TOKEN_ENVCHANGE);
        w.u16(1 + 1 + n.length() * 2 + 1 + o.length() * 2);
        w.u8(type);
        w.bVarchar(n);
        w.bVarchar(o);
    }

    static void envChangeBytes(ByteWriter w, int type, byte[] newValue, byte[] oldValue) {
        w.u8(Tds.TOKEN_ENVCHANGE);
        w.u16(1 + 1 + newValue.length + 1 + oldValue.length);
        w.u8(type);
        w.u8(newValue.length);
        w.bytes(newValue);
        w.u8(oldValue.length);
        w.bytes(oldValue);
    }

    static void loginAck(ByteWriter w) {
        w.u8(Tds.TOKEN_LOGINACK);
        w.u16(1 + 4 + 1 + PROGRAM_NAME.length() * 2 + 4);
        w.u8(INTERFACE_SQL_TSQL);
        w.i32BigEndian(TDS_74);
        w.bVarchar(PROGRAM_NAME);
        w.u8(PreLogin.VERSION_MAJOR);
        w.u8(PreLogin.VERSION_MINOR);
        w.u8(PreLogin.VERSION_BUILD >>> 8);
        w.u8(PreLogin.VERSION_BUILD & 0xFF);
    }

    /**
     * FEDAUTHINFO (MS-TDS 2.2.7.12): where the client gets a token (STS URL) and for what (SPN). The
     * option table (id, length, offset; offsets count from CountOfInfoIDs) precedes the UTF-16LE values.
     */
    static void fedAuthInfo(ByteWriter w, String stsUrl, String spn) {
        int[] ids = {FEDAUTHINFO_STSURL, FEDAUTHINFO_SPN};
        String[] values = {stsUrl, spn};
        int tableLength = 4 + ids.length * 9;
        int dataLength = (stsUrl.length() + spn.length()) * 2;
        w.u8(Tds.TOKEN_FEDAUTHINFO);
        w.i32(tableLength + dataLength);
        w.i32(ids.length);
        int offset = tableLength;
        for (int i = 0; i < ids.length; i++) {
            w.u8(ids[i]);
            w.i32(values[i].length() * 2);
            w.i32(offset);
            offset += values[i].length() * 2;
        }
        for (String value : values) {
            w.utf16(value);
        }
    }

    /** FEATUREEXTACK (MS-TDS 2.2.7.11) acknowledging FEDAUTH, with no data as for the MSAL and token libraries. */
    static void featureExtAckFedAuth(ByteWriter w) {
        w.u8(Tds.TOKEN_FEATUREEXTACK);
        w.u8(FEATURE_FEDAUTH);
        w.i32(0);
        w.u8(FEATURE_TERMINATOR);
    }

    static void columns(ByteWriter w, List<Column> columns) {
        w.u8(Tds.TOKEN_COLMETADATA);
        w.u16(columns.size());
        for (Column c : columns) {
            w.i32(0); // user type
            w.u16((c.nullable() ? COLUMN_NULLABLE : 0) | COLUMN_UPDATEABLE_UNKNOWN);
            ValueEncoder.writeTypeInfo(w, c.type());
            w.bVarchar(c.name() == null ? "" : c.name());
        }
    }

    /**
     * ROW. It is built in {@code scratch} first: a value that cannot be encoded must fail before
     * any byte of the row is on the wire, or the client would misread the rest of the stream.
     */
    static void row(ByteWriter w, ByteWriter.Scratch scratch, List<Column> columns, Object[] values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row of " + values.length + " values for " + columns.size() + " columns");
        }
        scratch.reset();
        scratch.u8(Tds.TOKEN_ROW);
        for (int i = 0; i < values.length; i++) {
            ValueEncoder.writeValue(scratch, columns.get(i).type(), values[i]);
        }
        scratch.writeTo(w);
    }

    static void returnStatus(ByteWriter w, int status) {
        w.u8(Tds.TOKEN_RETURNSTATUS);
        w.i32(status);
    }

    /** RETURNVALUE: mssql-jdbc matches it to its parameter by the ordinal (position in the RPC). */
    static void returnValue(ByteWriter w, ByteWriter.Scratch scratch, int ordinal, Parameter p) {
        scratch.reset();
        scratch.u8(Tds.TOKEN_RETURNVALUE);
        scratch.u16(ordinal);
        scratch.bVarchar(p.name() == null ? "" : p.name());
        scratch.u8(RETURNVALUE_OUTPUT_PARAMETER);
        scratch.i32(0); // user type
        scratch.u16(COLUMN_NULLABLE);
        ValueEncoder.writeTypeInfo(scratch, p.type());
        ValueEncoder.writeValue(scratch, p.type(), p.value());
        scratch.writeTo(w);
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 255 ? s.substring(0, 255) : s;
    }
}
