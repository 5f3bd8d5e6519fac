package io.dstream.mssql.emulator.engine;

import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The one table of type facts: how a T-SQL type name parses, how H2 stores it, and what the
 * catalog views ({@code sys.columns}, {@code sys.types}) say about it.
 */
final class SqlTypes {

    /** H2 VARCHAR/VARBINARY length used for the (max) types: H2's own upper bound. */
    static final int H2_MAX_LENGTH = 1_000_000_000;

    private SqlTypes() {
    }

    /**
     * Parses a type at {@code tokens[start]} ({@code nvarchar(50)}, {@code decimal(10, 2)},
     * {@code datetime2}, {@code sysname}); returns the type and the index after it.
     */
    static Parsed parse(List<Token> tokens, int start) {
        return parse(tokens, start, 1);
    }

    /**
     * As {@link #parse(List, int)} for CAST and CONVERT, where SQL Server's default length of
     * char/varchar/nchar/nvarchar/binary/varbinary is 30 instead of 1.
     */
    static Parsed parseInCast(List<Token> tokens, int start) {
        return parse(tokens, start, 30);
    }

    private static Parsed parse(List<Token> tokens, int start, int defaultLength) {
        Token nameToken = tokens.get(start);
        String name = nameToken.value().toLowerCase(Locale.ROOT);
        int i = start + 1;
        if (name.equals("sys") || name.equals("dbo")) {
            // schema-qualified type, e.g. [sys].[sysname]
            if (i + 1 < tokens.size() && tokens.get(i).isSymbol(".")) {
                return parse(tokens, i + 1, defaultLength);
            }
        }
        if ((name.equals("double") && i < tokens.size() && tokens.get(i).is("precision"))) {
            return new Parsed(SqlType.of(Kind.FLOAT), i + 1);
        }
        if (name.equals("national") || (name.equals("char") || name.equals("character"))
                && i < tokens.size() && tokens.get(i).is("varying")) {
            throw SqlError.of(2715, "Column, parameter, or variable: cannot find data type " + name + " "
                    + tokens.get(i).text() + " (use nvarchar/varchar).");
        }
        int[] args = new int[0];
        boolean max = false;
        if (i < tokens.size() && tokens.get(i).isSymbol("(")) {
            int close = i + 1;
            List<Integer> values = new java.util.ArrayList<>();
            while (close < tokens.size() && !tokens.get(close).isSymbol(")")) {
                Token t = tokens.get(close);
                if (t.is("max")) {
                    max = true;
                } else if (t.kind() == Token.Kind.NUMBER) {
                    values.add(Integer.parseInt(t.text()));
                }
                close++;
            }
            args = values.stream().mapToInt(Integer::intValue).toArray();
            i = close + 1;
        }
        if (args.length == 0 && !max && defaultLength != 1) {
            args = switch (name) {
                case "char", "character", "varchar", "nchar", "nvarchar", "binary", "varbinary" -> new int[] {defaultLength};
                default -> args;
            };
        }
        return new Parsed(of(name, args, max, nameToken), i);
    }

    record Parsed(SqlType type, int next) {
    }

    private static SqlType of(String name, int[] args, boolean max, Token at) {
        int a0 = args.length > 0 ? args[0] : -2;
        return switch (name) {
            case "tinyint" -> SqlType.of(Kind.TINYINT);
            case "smallint" -> SqlType.of(Kind.SMALLINT);
            case "int", "integer" -> SqlType.of(Kind.INT);
            case "bigint" -> SqlType.of(Kind.BIGINT);
            case "bit" -> SqlType.of(Kind.BIT);
            case "decimal", "dec", "numeric" -> new SqlType(name.equals("numeric") ? Kind.NUMERIC : Kind.DECIMAL, 0,
                    a0 == -2 ? 18 : a0, args.length > 1 ? args[1] : 0);
            case "money" -> SqlType.of(Kind.MONEY);
            case "smallmoney" -> SqlType.of(Kind.SMALLMONEY);
            // float(n) with n <= 24 is real; SQL Server documents float(1..24) as 4 bytes
            case "float" -> a0 != -2 && a0 <= 24 ? SqlType.of(Kind.REAL) : SqlType.of(Kind.FLOAT);
            case "real" -> SqlType.of(Kind.REAL);
            case "date" -> SqlType.of(Kind.DATE);
            case "time" -> SqlType.temporal(Kind.TIME, a0 == -2 ? 7 : a0);
            case "datetime" -> SqlType.of(Kind.DATETIME);
            case "smalldatetime" -> SqlType.of(Kind.SMALLDATETIME);
            case "datetime2" -> SqlType.temporal(Kind.DATETIME2, a0 == -2 ? 7 : a0);
            case "datetimeoffset" -> SqlType.temporal(Kind.DATETIMEOFFSET, a0 == -2 ? 7 : a0);
            case "char", "character" -> SqlType.sized(Kind.CHAR, a0 == -2 ? 1 : a0);
            case "varchar" -> SqlType.sized(Kind.VARCHAR, max ? SqlType.MAX : a0 == -2 ? 1 : a0);
            case "nchar" -> SqlType.sized(Kind.NCHAR, a0 == -2 ? 1 : a0);
            case "nvarchar" -> SqlType.sized(Kind.NVARCHAR, max ? SqlType.MAX : a0 == -2 ? 1 : a0);
            // text/ntext/image are deprecated; SQL Server still accepts them, typed here as their (max) successors
            case "text" -> SqlType.sized(Kind.VARCHAR, SqlType.MAX);
            case "ntext" -> SqlType.sized(Kind.NVARCHAR, SqlType.MAX);
            case "image" -> SqlType.sized(Kind.VARBINARY, SqlType.MAX);
            case "sysname" -> SqlType.sized(Kind.NVARCHAR, 128);
            case "binary" -> SqlType.sized(Kind.BINARY, a0 == -2 ? 1 : a0);
            case "varbinary" -> SqlType.sized(Kind.VARBINARY, max ? SqlType.MAX : a0 == -2 ? 1 : a0);
            case "rowversion", "timestamp" -> SqlType.sized(Kind.BINARY, 8);
            case "uniqueidentifier" -> SqlType.of(Kind.UNIQUEIDENTIFIER);
            case "xml" -> SqlType.of(Kind.XML);
            default -> throw SqlError.of(2715, "Column, parameter, or variable #" + at.line()
                    + ": Cannot find data type " + at.value() + ".");
        };
    }

    /**
     * The condition that keeps a date/time column within SQL Server's range for its type, or null
     * for other types. H2's own types reach further (year 0, years past 9999, datetimes before
     * 1753); a value stored there could not be sent back over TDS, so it is refused at insert as
     * SQL Server refuses it (242, see {@link Errors}). A datetimeoffset is in range when its UTC
     * value is (the wire format counts UTC days from 0001-01-01) and so is its local date.
     */
    static String rangeCheck(SqlType t, String quotedColumn) {
        String c = quotedColumn;
        return switch (t.kind()) {
            case DATE -> c + " BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'";
            case DATETIME2 -> c + " BETWEEN TIMESTAMP '0001-01-01 00:00:00' AND TIMESTAMP '9999-12-31 23:59:59.9999999'";
            // datetime rounds to 1/300 s: .998 and .999 round up into the next day
            case DATETIME -> c + " BETWEEN TIMESTAMP '1753-01-01 00:00:00' AND TIMESTAMP '9999-12-31 23:59:59.997'";
            // smalldatetime rounds to the minute: from 29.999 s up
            case SMALLDATETIME -> c + " BETWEEN TIMESTAMP '1900-01-01 00:00:00' AND TIMESTAMP '2079-06-06 23:59:29.998'";
            case DATETIMEOFFSET -> c + " BETWEEN TIMESTAMP WITH TIME ZONE '0001-01-01 00:00:00+00' AND "
                    + "TIMESTAMP WITH TIME ZONE '9999-12-31 23:59:59.9999999+00' AND EXTRACT(YEAR FROM " + c
                    + ") BETWEEN 1 AND 9999";
            default -> null;
        };
    }

    /** How H2 stores a SQL Server type. */
    static String h2Type(SqlType t) {
        return switch (t.kind()) {
            // H2's TINYINT is signed (-128..127); SQL Server's is 0..255, so store it wider with a CHECK
            case TINYINT, SMALLINT -> "SMALLINT";
            case INT -> "INTEGER";
            case BIGINT -> "BIGINT";
            case BIT -> "BOOLEAN";
            case DECIMAL, NUMERIC -> "NUMERIC(" + t.precision() + "," + t.scale() + ")";
            case MONEY -> "NUMERIC(19,4)";
            case SMALLMONEY -> "NUMERIC(10,4)";
            case FLOAT -> "DOUBLE PRECISION";
            case REAL -> "REAL";
            case DATE -> "DATE";
            case TIME -> "TIME(" + t.scale() + ")";
            case DATETIME -> "TIMESTAMP(3)";
            case SMALLDATETIME -> "TIMESTAMP(0)";
            case DATETIME2 -> "TIMESTAMP(" + t.scale() + ")";
            case DATETIMEOFFSET -> "TIMESTAMP(" + t.scale() + ") WITH TIME ZONE";
            case CHAR, NCHAR -> "CHAR(" + t.length() + ")";
            case VARCHAR, NVARCHAR -> "VARCHAR(" + (t.isMax() ? H2_MAX_LENGTH : t.length()) + ")";
            case XML -> "VARCHAR(" + H2_MAX_LENGTH + ")";
            case BINARY -> "BINARY(" + t.length() + ")";
            case VARBINARY -> "VARBINARY(" + (t.isMax() ? H2_MAX_LENGTH : t.length()) + ")";
            case UNIQUEIDENTIFIER -> "UUID";
        };
    }

    /** The SQL Server type a result column of H2 type gets when no declared type is known. */
    static SqlType fromH2(ResultSetMetaData md, int column) throws SQLException {
        String name = md.getColumnTypeName(column).toUpperCase(Locale.ROOT);
        int precision = md.getPrecision(column);
        int scale = md.getScale(column);
        return fromH2(name, precision, scale);
    }

    static SqlType fromH2(String h2TypeName, long precision, int scale) {
        String name = h2TypeName.toUpperCase(Locale.ROOT);
        return switch (name) {
            case "TINYINT" -> SqlType.of(Kind.TINYINT);
            case "SMALLINT" -> SqlType.of(Kind.SMALLINT);
            case "INTEGER", "INT" -> SqlType.of(Kind.INT);
            case "BIGINT" -> SqlType.of(Kind.BIGINT);
            case "BOOLEAN", "BIT" -> SqlType.of(Kind.BIT);
            case "NUMERIC", "DECIMAL", "DECFLOAT" -> SqlType.decimal((int) Math.min(38, Math.max(1, precision)),
                    Math.max(0, Math.min(scale, 38)));
            case "DOUBLE PRECISION", "DOUBLE", "FLOAT" -> SqlType.of(Kind.FLOAT);
            case "REAL" -> SqlType.of(Kind.REAL);
            case "DATE" -> SqlType.of(Kind.DATE);
            case "TIME", "TIME WITH TIME ZONE" -> SqlType.temporal(Kind.TIME, Math.min(7, scale));
            case "TIMESTAMP" -> SqlType.temporal(Kind.DATETIME2, Math.min(7, scale));
            case "TIMESTAMP WITH TIME ZONE" -> SqlType.temporal(Kind.DATETIMEOFFSET, Math.min(7, scale));
            case "CHARACTER", "CHAR" -> precision > 4000 ? SqlType.sized(Kind.NVARCHAR, SqlType.MAX)
                    : SqlType.sized(Kind.NCHAR, (int) Math.max(1, precision));
            case "BINARY" -> precision > 8000 ? SqlType.sized(Kind.VARBINARY, SqlType.MAX)
                    : SqlType.sized(Kind.BINARY, (int) Math.max(1, precision));
            case "BINARY VARYING", "VARBINARY", "BINARY LARGE OBJECT", "BLOB", "JAVA_OBJECT" ->
                    precision > 8000 || precision <= 0 ? SqlType.sized(Kind.VARBINARY, SqlType.MAX)
                            : SqlType.sized(Kind.VARBINARY, (int) precision);
            case "UUID" -> SqlType.of(Kind.UNIQUEIDENTIFIER);
            // strings and anything else (CLOB, JSON, intervals, arrays) as nvarchar; (max) above SQL Server's 4000
            default -> precision > 4000 || precision <= 0 ? SqlType.sized(Kind.NVARCHAR, SqlType.MAX)
                    : SqlType.sized(Kind.NVARCHAR, (int) precision);
        };
    }

    /** {@code sys.types.system_type_id} of each type. */
    static int systemTypeId(SqlType t) {
        return switch (t.kind()) {
            case TINYINT -> 48;
            case SMALLINT -> 52;
            case INT -> 56;
            case BIGINT -> 127;
            case BIT -> 104;
            case DECIMAL -> 106;
            case NUMERIC -> 108;
            case MONEY -> 60;
            case SMALLMONEY -> 122;
            case FLOAT -> 62;
            case REAL -> 59;
            case DATE -> 40;
            case TIME -> 41;
            case DATETIME -> 61;
            case SMALLDATETIME -> 58;
            case DATETIME2 -> 42;
            case DATETIMEOFFSET -> 43;
            case CHAR -> 175;
            case VARCHAR -> 167;
            case NCHAR -> 239;
            case NVARCHAR -> 231;
            case BINARY -> 173;
            case VARBINARY -> 165;
            case UNIQUEIDENTIFIER -> 36;
            case XML -> 241;
        };
    }

    /** {@code sys.columns.max_length}: bytes, -1 for (max) and xml. */
    static int maxLength(SqlType t) {
        return switch (t.kind()) {
            case TINYINT, BIT -> 1;
            case SMALLINT -> 2;
            case INT, REAL, SMALLMONEY, SMALLDATETIME -> 4;
            case BIGINT, MONEY, FLOAT, DATETIME -> 8;
            case DECIMAL, NUMERIC -> t.precision() <= 9 ? 5 : t.precision() <= 19 ? 9 : t.precision() <= 28 ? 13 : 17;
            case DATE -> 3;
            case TIME -> t.scale() <= 2 ? 3 : t.scale() <= 4 ? 4 : 5;
            case DATETIME2 -> t.scale() <= 2 ? 6 : t.scale() <= 4 ? 7 : 8;
            case DATETIMEOFFSET -> t.scale() <= 2 ? 8 : t.scale() <= 4 ? 9 : 10;
            case CHAR, VARCHAR, BINARY, VARBINARY -> t.length();
            case NCHAR, NVARCHAR -> t.isMax() ? -1 : t.length() * 2;
            case UNIQUEIDENTIFIER -> 16;
            case XML -> -1;
        };
    }

    /** {@code sys.columns.precision}. */
    static int precision(SqlType t) {
        return switch (t.kind()) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INT -> 10;
            case BIGINT, MONEY -> 19;
            case BIT -> 1;
            case DECIMAL, NUMERIC -> t.precision();
            case SMALLMONEY -> 10;
            case FLOAT -> 53;
            case REAL -> 24;
            case DATE -> 10;
            case TIME -> t.scale() == 0 ? 8 : 9 + t.scale();
            case DATETIME -> 23;
            case SMALLDATETIME -> 16;
            case DATETIME2 -> t.scale() == 0 ? 19 : 20 + t.scale();
            case DATETIMEOFFSET -> t.scale() == 0 ? 26 : 27 + t.scale();
            default -> 0;
        };
    }

    /** {@code sys.columns.scale}. */
    static int scale(SqlType t) {
        return switch (t.kind()) {
            case DECIMAL, NUMERIC, TIME, DATETIME2, DATETIMEOFFSET -> t.scale();
            case MONEY, SMALLMONEY -> 4;
            case DATETIME -> 3;
            default -> 0;
        };
    }

    /** {@code INFORMATION_SCHEMA.COLUMNS.CHARACTER_MAXIMUM_LENGTH}: characters (or bytes), -1 for (max). */
    static Integer characterMaximumLength(SqlType t) {
        return switch (t.kind()) {
            case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY -> t.length();
            case XML -> -1;
            default -> null;
        };
    }

    /** The base type name as the catalog spells it ({@code nvarchar}, {@code datetime2}). */
    static String baseName(SqlType t) {
        return t.kind().name().toLowerCase(Locale.ROOT);
    }
}
