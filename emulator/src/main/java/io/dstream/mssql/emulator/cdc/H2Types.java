package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.util.Locale;

/**
 * A fallback: the SQL Server type of an H2 column when the engine has no declared type for it (a
 * table created directly in H2). Declared types from {@code DatabaseContext.declaredColumns} win.
 */
final class H2Types {

    private H2Types() {
    }

    static SqlType toSqlType(String h2Type, long length, int precision, int scale) {
        String t = h2Type.toUpperCase(Locale.ROOT);
        int len = length <= 0 || length > 8000 ? SqlType.MAX : (int) length;
        return switch (t) {
            case "TINYINT" -> SqlType.of(Kind.TINYINT);
            case "SMALLINT" -> SqlType.of(Kind.SMALLINT);
            case "INTEGER", "INT" -> SqlType.of(Kind.INT);
            case "BIGINT" -> SqlType.of(Kind.BIGINT);
            case "BOOLEAN" -> SqlType.of(Kind.BIT);
            case "NUMERIC", "DECIMAL" -> SqlType.decimal(precision, scale);
            case "DOUBLE PRECISION", "DOUBLE", "FLOAT" -> SqlType.of(Kind.FLOAT);
            case "REAL" -> SqlType.of(Kind.REAL);
            case "DATE" -> SqlType.of(Kind.DATE);
            case "TIME" -> SqlType.temporal(Kind.TIME, scale);
            case "TIMESTAMP" -> SqlType.temporal(Kind.DATETIME2, scale);
            case "TIMESTAMP WITH TIME ZONE" -> SqlType.temporal(Kind.DATETIMEOFFSET, scale);
            case "CHARACTER", "CHAR" -> SqlType.sized(Kind.NCHAR, len);
            case "BINARY" -> SqlType.sized(Kind.BINARY, len);
            case "BINARY VARYING", "VARBINARY", "BINARY LARGE OBJECT", "BLOB" -> SqlType.sized(Kind.VARBINARY, len);
            case "UUID" -> SqlType.of(Kind.UNIQUEIDENTIFIER);
            default -> SqlType.sized(Kind.NVARCHAR, len);
        };
    }
}
