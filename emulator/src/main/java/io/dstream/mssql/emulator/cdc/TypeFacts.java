package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.SqlType;

/** The INFORMATION_SCHEMA-style facts {@code sp_cdc_get_captured_columns} reports per type. */
final class TypeFacts {

    private TypeFacts() {
    }

    static Integer characterLength(SqlType t) {
        return switch (t.kind()) {
            case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY, XML -> t.isMax() ? -1 : t.length();
            default -> null;
        };
    }

    static Short precision(SqlType t) {
        return switch (t.kind()) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INT -> 10;
            case BIGINT -> 19;
            case DECIMAL, NUMERIC -> (short) t.precision();
            case MONEY -> 19;
            case SMALLMONEY -> 10;
            case FLOAT -> 53;
            case REAL -> 24;
            default -> null;
        };
    }

    static Short radix(SqlType t) {
        return switch (t.kind()) {
            case TINYINT, SMALLINT, INT, BIGINT, DECIMAL, NUMERIC, MONEY, SMALLMONEY -> (short) 10;
            case FLOAT, REAL -> (short) 2;
            default -> null;
        };
    }

    static Integer scale(SqlType t) {
        return switch (t.kind()) {
            case TINYINT, SMALLINT, INT, BIGINT -> 0;
            case DECIMAL, NUMERIC -> t.scale();
            case MONEY, SMALLMONEY -> 4;
            default -> null;
        };
    }

    static Short datetimePrecision(SqlType t) {
        return switch (t.kind()) {
            case DATE, SMALLDATETIME -> (short) 0;
            case DATETIME -> (short) 3;
            case TIME, DATETIME2, DATETIMEOFFSET -> (short) t.scale();
            default -> null;
        };
    }
}
