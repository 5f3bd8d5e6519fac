package io.dstream.mssql.emulator.engine;

import java.util.Objects;

/**
 * A SQL Server data type as the wire sees it: the kind plus its length, precision and scale.
 *
 * <p>Java values that travel with each kind (in both directions, engine and TDS layer alike):
 * TINYINT, SMALLINT → {@link Short}; INT → {@link Integer}; BIGINT → {@link Long}; BIT → {@link Boolean};
 * DECIMAL, NUMERIC, MONEY, SMALLMONEY → {@link java.math.BigDecimal}; FLOAT → {@link Double};
 * REAL → {@link Float}; DATE → {@link java.time.LocalDate}; TIME → {@link java.time.LocalTime};
 * DATETIME, SMALLDATETIME, DATETIME2 → {@link java.time.LocalDateTime};
 * DATETIMEOFFSET → {@link java.time.OffsetDateTime}; CHAR, VARCHAR, NCHAR, NVARCHAR, XML → {@link String};
 * BINARY, VARBINARY → {@code byte[]}; UNIQUEIDENTIFIER → {@link java.util.UUID}. SQL NULL is {@code null}.
 *
 * @param kind      the type
 * @param length    for CHAR/VARCHAR/BINARY/VARBINARY the length in bytes, for NCHAR/NVARCHAR in characters;
 *                  {@link #MAX} for the (max) variants; 0 where it does not apply
 * @param precision for DECIMAL/NUMERIC the precision (1–38); 0 elsewhere
 * @param scale     for DECIMAL/NUMERIC the scale; for TIME/DATETIME2/DATETIMEOFFSET the fractional
 *                  second digits (0–7); 0 elsewhere
 */
public record SqlType(Kind kind, int length, int precision, int scale) {

    /** Length marker of {@code varchar(max)}, {@code nvarchar(max)}, {@code varbinary(max)} and {@code xml}. */
    public static final int MAX = -1;

    public enum Kind {
        TINYINT, SMALLINT, INT, BIGINT, BIT,
        DECIMAL, NUMERIC, MONEY, SMALLMONEY, FLOAT, REAL,
        DATE, TIME, DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET,
        CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY,
        UNIQUEIDENTIFIER, XML
    }

    public SqlType {
        Objects.requireNonNull(kind, "kind");
    }

    public static SqlType of(Kind kind) {
        return switch (kind) {
            case TIME, DATETIME2, DATETIMEOFFSET -> new SqlType(kind, 0, 0, 7);
            case DECIMAL, NUMERIC -> new SqlType(kind, 0, 18, 0);
            case XML -> new SqlType(kind, MAX, 0, 0);
            default -> new SqlType(kind, 0, 0, 0);
        };
    }

    public static SqlType sized(Kind kind, int length) {
        return new SqlType(kind, length, 0, 0);
    }

    public static SqlType decimal(int precision, int scale) {
        return new SqlType(Kind.DECIMAL, 0, precision, scale);
    }

    public static SqlType temporal(Kind kind, int fractionalDigits) {
        return new SqlType(kind, 0, 0, fractionalDigits);
    }

    public boolean isMax() {
        return length == MAX;
    }

    /** The type as T-SQL spells it, e.g. {@code nvarchar(max)}, {@code decimal(38,10)}, {@code datetime2(7)}. */
    public String sqlName() {
        String base = kind.name().toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case CHAR, VARCHAR, NCHAR, NVARCHAR, BINARY, VARBINARY ->
                    base + "(" + (isMax() ? "max" : Integer.toString(length)) + ")";
            case DECIMAL, NUMERIC -> base + "(" + precision + "," + scale + ")";
            case TIME, DATETIME2, DATETIMEOFFSET -> base + "(" + scale + ")";
            default -> base;
        };
    }
}
