package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A type as a parameter definition spells it ({@code nvarchar(4000)}, {@code decimal(38,2)},
 * {@code money}). SQL Server types a parameter by its declaration, not by the wire type of its
 * value: mssql-jdbc sends a MONEY value as DECIMALN and a TINYINT as a 2-byte INTN, but declares
 * them {@code money} and {@code tinyint}.
 */
final class DeclaredType {

    private static final Pattern TYPE = Pattern.compile(
            "\\s*\\[?([a-z0-9_ ]+?)\\]?\\s*(?:\\(\\s*(max|\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

    private DeclaredType() {
    }

    static Optional<SqlType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TYPE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String name = m.group(1).strip();
        Integer first = m.group(2) == null || m.group(2).equals("max") ? null : Integer.valueOf(m.group(2));
        boolean max = "max".equals(m.group(2));
        int second = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        Kind kind = switch (name) {
            case "tinyint" -> Kind.TINYINT;
            case "smallint" -> Kind.SMALLINT;
            case "int", "integer" -> Kind.INT;
            case "bigint" -> Kind.BIGINT;
            case "bit" -> Kind.BIT;
            case "decimal", "dec" -> Kind.DECIMAL;
            case "numeric" -> Kind.NUMERIC;
            case "money" -> Kind.MONEY;
            case "smallmoney" -> Kind.SMALLMONEY;
            case "float" -> first != null && first <= 24 ? Kind.REAL : Kind.FLOAT;
            case "real" -> Kind.REAL;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            case "datetime" -> Kind.DATETIME;
            case "smalldatetime" -> Kind.SMALLDATETIME;
            case "datetime2" -> Kind.DATETIME2;
            case "datetimeoffset" -> Kind.DATETIMEOFFSET;
            case "char" -> Kind.CHAR;
            case "varchar" -> Kind.VARCHAR;
            case "nchar" -> Kind.NCHAR;
            case "nvarchar" -> Kind.NVARCHAR;
            case "binary" -> Kind.BINARY;
            case "varbinary" -> Kind.VARBINARY;
            case "uniqueidentifier" -> Kind.UNIQUEIDENTIFIER;
            case "xml" -> Kind.XML;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.of(switch (kind) {
            case DECIMAL, NUMERIC -> new SqlType(kind, 0, first == null ? 18 : first, second);
            case TIME, DATETIME2, DATETIMEOFFSET -> SqlType.temporal(kind, first == null ? 7 : first);
            case CHAR, NCHAR, BINARY -> SqlType.sized(kind, first == null ? 1 : first);
            case VARCHAR, NVARCHAR, VARBINARY -> SqlType.sized(kind, max ? SqlType.MAX : first == null ? 1 : first);
            default -> SqlType.of(kind);
        });
    }

    /** Whether values of both types travel as the same Java class, so the declaration can type the wire value. */
    static boolean sameJavaType(SqlType a, SqlType b) {
        return javaFamily(a.kind()) == javaFamily(b.kind());
    }

    private static int javaFamily(Kind k) {
        return switch (k) {
            case TINYINT, SMALLINT -> 1;
            case INT -> 2;
            case BIGINT -> 3;
            case BIT -> 4;
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> 5;
            case FLOAT -> 6;
            case REAL -> 7;
            case DATE -> 8;
            case TIME -> 9;
            case DATETIME, SMALLDATETIME, DATETIME2 -> 10;
            case DATETIMEOFFSET -> 11;
            case CHAR, VARCHAR, NCHAR, NVARCHAR, XML -> 12;
            case BINARY, VARBINARY -> 13;
            case UNIQUEIDENTIFIER -> 14;
        };
    }
}
