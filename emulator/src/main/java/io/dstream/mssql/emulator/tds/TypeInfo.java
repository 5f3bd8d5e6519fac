package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlError;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;

/**
 * A TYPE_INFO as a client sends it with an RPC parameter.
 *
 * @param type      the TDS data type code ({@link Tds})
 * @param maxLength the declared length in bytes; {@link Tds#USHORT_MAX} for PLP (the (max) types)
 * @param precision DECIMALN/NUMERICN precision
 * @param scale     DECIMALN/NUMERICN scale, or TIMEN/DATETIME2N/DATETIMEOFFSETN fractional digits
 */
record TypeInfo(int type, int maxLength, int precision, int scale) {

    /** Reads TYPE_INFO (MS-TDS 2.2.5.6). */
    static TypeInfo read(PayloadReader r) {
        int type = r.u8();
        return switch (type) {
            case Tds.NULLTYPE -> new TypeInfo(type, 0, 0, 0);
            case Tds.INT1, Tds.BIT -> new TypeInfo(type, 1, 0, 0);
            case Tds.INT2 -> new TypeInfo(type, 2, 0, 0);
            case Tds.INT4, Tds.DATETIM4, Tds.FLT4, Tds.MONEY4 -> new TypeInfo(type, 4, 0, 0);
            case Tds.MONEY, Tds.DATETIME, Tds.FLT8, Tds.INT8 -> new TypeInfo(type, 8, 0, 0);
            case Tds.GUID, Tds.INTN, Tds.BITN, Tds.FLTN, Tds.MONEYN, Tds.DATETIMN, Tds.BINARY, Tds.VARBINARY ->
                    new TypeInfo(type, r.u8(), 0, 0);
            case Tds.CHAR, Tds.VARCHAR -> new TypeInfo(type, r.u8(), 0, 0);
            case Tds.DECIMALN, Tds.NUMERICN, Tds.DECIMAL, Tds.NUMERIC -> {
                int len = r.u8();
                int precision = r.u8();
                int scale = r.u8();
                yield new TypeInfo(type, len, precision, scale);
            }
            case Tds.DATEN -> new TypeInfo(type, 3, 0, 0);
            case Tds.TIMEN, Tds.DATETIME2N, Tds.DATETIMEOFFSETN -> new TypeInfo(type, 0, 0, r.u8());
            case Tds.BIGVARBINARY, Tds.BIGBINARY -> new TypeInfo(type, r.u16(), 0, 0);
            case Tds.BIGVARCHAR, Tds.BIGCHAR, Tds.NVARCHAR, Tds.NCHAR -> {
                int len = r.u16();
                r.skip(Tds.COLLATION.length);
                yield new TypeInfo(type, len, 0, 0);
            }
            case Tds.TEXT, Tds.NTEXT -> {
                int len = r.i32();
                r.skip(Tds.COLLATION.length);
                yield new TypeInfo(type, len, 0, 0);
            }
            case Tds.IMAGE -> new TypeInfo(type, r.i32(), 0, 0);
            case Tds.XML -> {
                if (r.u8() != 0) { // a schema collection: database, owning schema, collection name
                    r.bVarchar();
                    r.bVarchar();
                    r.usVarchar();
                }
                yield new TypeInfo(type, Tds.USHORT_MAX, 0, 0);
            }
            default -> throw unsupported(type);
        };
    }

    static SqlError unsupported(int type) {
        return SqlError.of(8016, "The incoming TDS RPC protocol stream is incorrect: data type 0x"
                + Integer.toHexString(type) + " is not supported by the emulator. Use a standard SQL type.");
    }

    boolean isPlp() {
        return maxLength == Tds.USHORT_MAX && switch (type) {
            case Tds.BIGVARBINARY, Tds.BIGVARCHAR, Tds.NVARCHAR, Tds.XML -> true;
            default -> false;
        };
    }

    /** The SQL type the engine sees for a parameter of this TYPE_INFO. */
    SqlType sqlType() {
        return switch (type) {
            case Tds.INT1 -> SqlType.of(Kind.TINYINT);
            case Tds.INT2 -> SqlType.of(Kind.SMALLINT);
            case Tds.INT4, Tds.NULLTYPE -> SqlType.of(Kind.INT);
            case Tds.INT8 -> SqlType.of(Kind.BIGINT);
            case Tds.INTN -> SqlType.of(switch (maxLength) {
                case 1 -> Kind.TINYINT;
                case 2 -> Kind.SMALLINT;
                case 8 -> Kind.BIGINT;
                default -> Kind.INT;
            });
            case Tds.BIT, Tds.BITN -> SqlType.of(Kind.BIT);
            case Tds.FLT4 -> SqlType.of(Kind.REAL);
            case Tds.FLT8 -> SqlType.of(Kind.FLOAT);
            case Tds.FLTN -> SqlType.of(maxLength == 4 ? Kind.REAL : Kind.FLOAT);
            case Tds.MONEY4 -> SqlType.of(Kind.SMALLMONEY);
            case Tds.MONEY -> SqlType.of(Kind.MONEY);
            case Tds.MONEYN -> SqlType.of(maxLength == 4 ? Kind.SMALLMONEY : Kind.MONEY);
            case Tds.DATETIM4 -> SqlType.of(Kind.SMALLDATETIME);
            case Tds.DATETIME -> SqlType.of(Kind.DATETIME);
            case Tds.DATETIMN -> SqlType.of(maxLength == 4 ? Kind.SMALLDATETIME : Kind.DATETIME);
            case Tds.DECIMALN, Tds.DECIMAL -> SqlType.decimal(precision, scale);
            case Tds.NUMERICN, Tds.NUMERIC -> new SqlType(Kind.NUMERIC, 0, precision, scale);
            case Tds.DATEN -> SqlType.of(Kind.DATE);
            case Tds.TIMEN -> SqlType.temporal(Kind.TIME, scale);
            case Tds.DATETIME2N -> SqlType.temporal(Kind.DATETIME2, scale);
            case Tds.DATETIMEOFFSETN -> SqlType.temporal(Kind.DATETIMEOFFSET, scale);
            case Tds.GUID -> SqlType.of(Kind.UNIQUEIDENTIFIER);
            case Tds.CHAR, Tds.BIGCHAR -> SqlType.sized(Kind.CHAR, maxLength);
            case Tds.VARCHAR -> SqlType.sized(Kind.VARCHAR, maxLength);
            case Tds.BIGVARCHAR -> SqlType.sized(Kind.VARCHAR, isPlp() ? SqlType.MAX : maxLength);
            case Tds.TEXT -> SqlType.sized(Kind.VARCHAR, SqlType.MAX);
            case Tds.NCHAR -> SqlType.sized(Kind.NCHAR, maxLength / 2);
            case Tds.NVARCHAR -> SqlType.sized(Kind.NVARCHAR, isPlp() ? SqlType.MAX : maxLength / 2);
            case Tds.NTEXT -> SqlType.sized(Kind.NVARCHAR, SqlType.MAX);
            case Tds.BINARY, Tds.BIGBINARY -> SqlType.sized(Kind.BINARY, maxLength);
            case Tds.VARBINARY -> SqlType.sized(Kind.VARBINARY, maxLength);
            case Tds.BIGVARBINARY -> SqlType.sized(Kind.VARBINARY, isPlp() ? SqlType.MAX : maxLength);
            case Tds.IMAGE -> SqlType.sized(Kind.VARBINARY, SqlType.MAX);
            case Tds.XML -> SqlType.of(Kind.XML);
            default -> throw unsupported(type);
        };
    }
}
