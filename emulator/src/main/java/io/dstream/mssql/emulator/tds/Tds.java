package io.dstream.mssql.emulator.tds;

/** Numbers from MS-TDS: packet types, token types, status bits and data type codes. */
final class Tds {

    private Tds() {
    }

    // Packet types (header byte 0).
    static final int PKT_SQL_BATCH = 0x01;
    static final int PKT_RPC = 0x03;
    static final int PKT_REPLY = 0x04;
    static final int PKT_ATTENTION = 0x06;
    /** The client's Microsoft Entra token after FEDAUTHINFO (MS-TDS 2.2.6.3). */
    static final int PKT_FEDAUTH_TOKEN = 0x08;
    static final int PKT_TRANSACTION_MANAGER = 0x0E;
    static final int PKT_LOGIN7 = 0x10;
    static final int PKT_PRELOGIN = 0x12;

    /** Header status bit: last packet of a message. */
    static final int STATUS_EOM = 0x01;
    static final int HEADER_LENGTH = 8;

    // Packet sizes a client may negotiate in LOGIN7 (0 = let the server choose).
    static final int MIN_PACKET_SIZE = 512;
    static final int MAX_PACKET_SIZE = 32767;
    static final int DEFAULT_PACKET_SIZE = 4096;

    // Tokens.
    static final int TOKEN_RETURNSTATUS = 0x79;
    static final int TOKEN_COLMETADATA = 0x81;
    static final int TOKEN_ERROR = 0xAA;
    static final int TOKEN_INFO = 0xAB;
    static final int TOKEN_RETURNVALUE = 0xAC;
    static final int TOKEN_LOGINACK = 0xAD;
    static final int TOKEN_FEATUREEXTACK = 0xAE;
    static final int TOKEN_FEDAUTHINFO = 0xEE;
    static final int TOKEN_ROW = 0xD1;
    static final int TOKEN_ENVCHANGE = 0xE3;
    static final int TOKEN_DONE = 0xFD;
    static final int TOKEN_DONEPROC = 0xFE;
    static final int TOKEN_DONEINPROC = 0xFF;

    // DONE status bits.
    static final int DONE_FINAL = 0x00;
    static final int DONE_MORE = 0x01;
    static final int DONE_ERROR = 0x02;
    static final int DONE_COUNT = 0x10;
    static final int DONE_ATTN = 0x20;

    // DONE CurCmd values; mssql-jdbc reports update counts only for DML/DDL command codes.
    static final int CMD_NONE = 0x00;
    static final int CMD_SELECT = 0xC1;
    static final int CMD_UPDATE = 0xC5;
    static final int CMD_TABCREATE = 0xC6;
    static final int CMD_EXECUTE = 0xE0;

    // ENVCHANGE types.
    static final int ENV_DATABASE = 1;
    static final int ENV_LANGUAGE = 2;
    static final int ENV_PACKET_SIZE = 4;
    static final int ENV_COLLATION = 7;
    static final int ENV_BEGIN_TRAN = 8;
    static final int ENV_COMMIT_TRAN = 9;
    static final int ENV_ROLLBACK_TRAN = 10;

    // Data types: fixed length.
    static final int NULLTYPE = 0x1F;
    static final int INT1 = 0x30;
    static final int BIT = 0x32;
    static final int INT2 = 0x34;
    static final int INT4 = 0x38;
    static final int DATETIM4 = 0x3A;
    static final int FLT4 = 0x3B;
    static final int MONEY = 0x3C;
    static final int DATETIME = 0x3D;
    static final int FLT8 = 0x3E;
    static final int MONEY4 = 0x7A;
    static final int INT8 = 0x7F;
    // Byte-length types.
    static final int GUID = 0x24;
    static final int INTN = 0x26;
    static final int DECIMAL = 0x37;
    static final int NUMERIC = 0x3F;
    static final int BITN = 0x68;
    static final int DECIMALN = 0x6A;
    static final int NUMERICN = 0x6C;
    static final int FLTN = 0x6D;
    static final int MONEYN = 0x6E;
    static final int DATETIMN = 0x6F;
    static final int DATEN = 0x28;
    static final int TIMEN = 0x29;
    static final int DATETIME2N = 0x2A;
    static final int DATETIMEOFFSETN = 0x2B;
    static final int CHAR = 0x2F;
    static final int VARCHAR = 0x27;
    static final int BINARY = 0x2D;
    static final int VARBINARY = 0x25;
    // Short-length types (0xFFFF max length = PLP).
    static final int BIGVARBINARY = 0xA5;
    static final int BIGVARCHAR = 0xA7;
    static final int BIGBINARY = 0xAD;
    static final int BIGCHAR = 0xAF;
    static final int NVARCHAR = 0xE7;
    static final int NCHAR = 0xEF;
    // Long-length types.
    static final int XML = 0xF1;
    static final int TEXT = 0x23;
    static final int IMAGE = 0x22;
    static final int NTEXT = 0x63;

    /** Max length marker of the (max) types in TYPE_INFO. */
    static final int USHORT_MAX = 0xFFFF;
    static final long PLP_NULL = -1L;

    /**
     * The server collation SQL_Latin1_General_CP1_CI_AS as the 5 bytes TDS carries: LCID 0x0409
     * with the ignore-case/kana/width flags, then sort id 52. Single-byte text in it is windows-1252.
     */
    static final byte[] COLLATION = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};
}
