package io.dstream.mssql.emulator.engine;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.h2.value.Value;
import org.h2.value.ValueNull;

/**
 * SQL Server built-in functions H2 lacks, installed as H2 aliases in schema {@code sys} (named
 * {@code __x} so they cannot clash with user objects). The translator routes calls here.
 */
public final class Functions {

    /** The aliases: H2 name → Java method of this class. */
    static final String[][] ALIASES = {
            {"__object_id", "objectId"}, {"__object_name", "objectName"}, {"__object_schema_name", "objectSchemaName"},
            {"__schema_name", "schemaName"}, {"__schema_id", "schemaId"}, {"__db_name", "dbName"}, {"__db_id", "dbId"},
            {"__serverproperty", "serverProperty"}, {"__sysdatetime", "sysDateTime"},
            {"__sysutcdatetime", "sysUtcDateTime"}, {"__sysdatetimeoffset", "sysDateTimeOffset"},
            {"__getdate", "getDate"}, {"__getutcdate", "getUtcDate"}, {"__datalength", "dataLength"},
            {"__convert", "convert"}, {"__if_convertible", "ifConvertible"}, {"__guid_text", "guidText"},
            {"__datepart", "datePart"}, {"__datename", "dateName"}, {"__todatetimeoffset", "toDateTimeOffset"},
            {"__switchoffset", "switchOffset"},
    };

    private Functions() {
    }

    public static Integer objectId(int database, String name, String type) {
        return name == null ? null : H2Database.byId(database).objectIdOf(name, type);
    }

    public static String objectName(int database, Integer id) {
        String[] name = id == null ? null : H2Database.byId(database).objectName(id);
        return name == null ? null : name[1];
    }

    public static String objectSchemaName(int database, Integer id) {
        String[] name = id == null ? null : H2Database.byId(database).objectName(id);
        return name == null ? null : name[0];
    }

    public static String schemaName(int database, Integer id) {
        return id == null ? null : H2Database.byId(database).schemaNameOf(id);
    }

    public static Integer schemaId(int database, String name) {
        return name == null ? null : H2Database.byId(database).schemaIdOrNull(name);
    }

    public static String dbName(int database, Integer databaseId) {
        return databaseId == null ? null : H2Database.byId(database).engine().databaseName(databaseId);
    }

    public static Integer dbId(int database, String name) {
        return name == null ? null : H2Database.byId(database).engine().databaseId(name);
    }

    public static String serverProperty(String name) {
        return ServerInfo.property(name);
    }

    public static LocalDateTime sysDateTime() {
        return LocalDateTime.now();
    }

    public static LocalDateTime sysUtcDateTime() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    public static OffsetDateTime sysDateTimeOffset() {
        return OffsetDateTime.now();
    }

    public static LocalDateTime getDate() {
        return toDatetimePrecision(LocalDateTime.now());
    }

    public static LocalDateTime getUtcDate() {
        return toDatetimePrecision(LocalDateTime.now(ZoneOffset.UTC));
    }

    /** SQL Server's datetime keeps 1/300 s: milliseconds end in 0, 3 or 7. */
    static LocalDateTime toDatetimePrecision(LocalDateTime t) {
        long ticks = Math.round(t.getNano() / 1_000_000_000.0 * 300);
        long nanos = Math.round(ticks * 1_000_000_000.0 / 300 / 1_000_000) * 1_000_000;
        return t.truncatedTo(ChronoUnit.SECONDS).plusNanos(nanos);
    }

    /** {@code DATALENGTH}: bytes of the value; strings count 2 bytes per character (nvarchar). */
    public static Integer dataLength(Value v) {
        if (v == null || v == ValueNull.INSTANCE) {
            return null;
        }
        return switch (v.getValueType()) {
            case Value.VARCHAR, Value.CHAR, Value.VARCHAR_IGNORECASE, Value.CLOB -> v.getString().length() * 2;
            case Value.VARBINARY, Value.BINARY, Value.BLOB -> v.getBytes().length;
            case Value.BOOLEAN, Value.TINYINT -> 1;
            case Value.SMALLINT -> 2;
            case Value.INTEGER, Value.REAL -> 4;
            case Value.BIGINT, Value.DOUBLE -> 8;
            case Value.NUMERIC, Value.DECFLOAT -> {
                int p = v.getBigDecimal().precision();
                yield p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17;
            }
            case Value.DATE -> 3;
            case Value.TIME, Value.TIME_TZ -> 5;
            case Value.TIMESTAMP -> 8;
            case Value.TIMESTAMP_TZ -> 10;
            case Value.UUID -> 16;
            default -> v.getString().length() * 2;
        };
    }

    /** The value when it converts (TRY_CAST, TRY_CONVERT), else NULL. */
    public static Value ifConvertible(Value v, String kind, int precision, int scale) {
        return convertible(v, kind, precision, scale) ? v : ValueNull.INSTANCE;
    }

    /**
     * Whether {@code CAST(value AS type)} succeeds (for TRY_CAST/TRY_CONVERT): numbers in range and
     * scale-compatible, parseable dates and times, well-formed uniqueidentifiers; other targets
     * (strings, binary) always convert.
     */
    static boolean convertible(Value v, String kind, int precision, int scale) {
        if (v == null || v == ValueNull.INSTANCE) {
            return true;
        }
        String text = v.getString().trim();
        try {
            switch (SqlType.Kind.valueOf(kind)) {
                case TINYINT -> inRange(text, 0, 255);
                case SMALLINT -> inRange(text, Short.MIN_VALUE, Short.MAX_VALUE);
                case INT -> inRange(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> inRange(text, Long.MIN_VALUE, Long.MAX_VALUE);
                case DECIMAL, NUMERIC -> {
                    java.math.BigDecimal d = new java.math.BigDecimal(text).setScale(scale, java.math.RoundingMode.HALF_UP);
                    if (d.precision() - d.scale() > precision - scale) {
                        return false;
                    }
                }
                case MONEY, SMALLMONEY, FLOAT, REAL -> Double.parseDouble(text);
                case BIT -> {
                    if (!text.matches("(?i)true|false|-?\\d+(\\.\\d*)?")) {
                        return false;
                    }
                }
                case DATE, DATETIME, SMALLDATETIME, DATETIME2 -> {
                    if (!isTemporal(v)) {
                        java.time.LocalDateTime.parse(text.length() == 10 ? text + "T00:00" : text.replace(' ', 'T'));
                    }
                }
                case TIME -> {
                    if (!isTemporal(v)) {
                        java.time.LocalTime.parse(text);
                    }
                }
                case DATETIMEOFFSET -> {
                    if (!isTemporal(v)) {
                        java.time.OffsetDateTime.parse(text.replace(' ', 'T').replaceFirst("T(.*) ([+-])", "T$1$2"));
                    }
                }
                case UNIQUEIDENTIFIER -> java.util.UUID.fromString(text);
                default -> {
                    return true;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isTemporal(Value v) {
        int t = v.getValueType();
        return t == Value.DATE || t == Value.TIME || t == Value.TIMESTAMP || t == Value.TIMESTAMP_TZ;
    }

    private static void inRange(String text, long min, long max) {
        long whole = new java.math.BigDecimal(text).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        if (whole < min || whole > max) {
            throw new ArithmeticException("out of range");
        }
    }

    /**
     * {@code CONVERT(type, value, style)} for the styles clients use: date/time to text (0, 1, 20, 21,
     * 23, 100–114, 120, 121, 126, 127), binary to text (1 = {@code 0x…}, 2 = hex) and back. Other
     * conversions ignore the style, as SQL Server does for non-date, non-binary values.
     */
    /**
     * The operand of a CAST or CONVERT to a character type: a uniqueidentifier becomes its upper-case text,
     * as SQL Server writes it (H2 writes lower case); anything else is left to the CAST.
     */
    public static Value guidText(Value v) {
        return v != null && v.getValueType() == Value.UUID ? org.h2.value.ValueVarchar.get(v.getString().toUpperCase(java.util.Locale.ROOT)) : v;
    }

    public static Integer datePart(String part, Value v) {
        return DateParts.datePart(part, v);
    }

    public static String dateName(String part, Value v) {
        return DateParts.dateName(part, v);
    }

    public static Value toDateTimeOffset(Value v, Value zone) {
        return DateParts.toDateTimeOffset(v, zone);
    }

    public static Value switchOffset(Value v, Value zone) {
        return DateParts.switchOffset(v, zone);
    }

    public static Value convert(Value v, int style, String targetKind) {
        if (v == null || v == ValueNull.INSTANCE) {
            return ValueNull.INSTANCE;
        }
        if (targetKind.endsWith("CHAR") && v.getValueType() == Value.UUID) {
            return guidText(v);
        }
        boolean toText = targetKind.endsWith("CHAR");
        boolean toBinary = targetKind.endsWith("BINARY");
        int type = v.getValueType();
        if (toText && (type == Value.TIMESTAMP || type == Value.TIMESTAMP_TZ || type == Value.DATE || type == Value.TIME)) {
            return org.h2.value.ValueVarchar.get(DateStyles.format(v, style));
        }
        if (toText && (type == Value.VARBINARY || type == Value.BINARY) && (style == 1 || style == 2)) {
            String hex = HexFormat.of().withUpperCase().formatHex(v.getBytes());
            return org.h2.value.ValueVarchar.get(style == 1 ? "0x" + hex : hex);
        }
        if (toBinary && (type == Value.VARCHAR || type == Value.CHAR || type == Value.VARCHAR_IGNORECASE || type == Value.CLOB)
                && (style == 1 || style == 2)) {
            String text = v.getString();
            if (style == 1 && (text.startsWith("0x") || text.startsWith("0X"))) {
                text = text.substring(2);
            }
            try {
                return org.h2.value.ValueVarbinary.get(HexFormat.of().parseHex(text));
            } catch (IllegalArgumentException e) {
                throw SqlError.of(8114, "Error converting data type varchar to varbinary.");
            }
        }
        return v;
    }

}
