package io.dstream.mssql.ingester.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.sqlserver.jdbc.Geography;
import com.microsoft.sqlserver.jdbc.Geometry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * SQL Server column values → JSON, typed and lossless. One table ({@link #KINDS}) maps each SQL
 * Server type name to how its value is fetched from the driver and how it is written. A type not in
 * the table never fails: it is written as its string form, or base64 of its bytes.
 */
public final class Values {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");
    /** SQL Server's largest fractional-second precision: 100 ns. */
    private static final int MAX_FRACTION_DIGITS = 7;

    /** How a value is fetched and written. */
    enum Kind {
        INTEGER, BIT, EXACT_DECIMAL, FLOAT, REAL, DATE, TIME, DATETIME2, DATETIME, SMALLDATETIME, DATETIMEOFFSET,
        TEXT, BINARY, UNIQUEIDENTIFIER, GEOGRAPHY, GEOMETRY, OTHER
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("tinyint", Kind.INTEGER),     // unsigned 0-255 in SQL Server: still a plain JSON number
            Map.entry("smallint", Kind.INTEGER),
            Map.entry("int", Kind.INTEGER),
            Map.entry("bigint", Kind.INTEGER),
            Map.entry("bit", Kind.BIT),
            Map.entry("decimal", Kind.EXACT_DECIMAL), // strings: a JSON number would be read as a double and lose digits
            Map.entry("numeric", Kind.EXACT_DECIMAL),
            Map.entry("money", Kind.EXACT_DECIMAL),   // money/smallmoney are decimals with scale 4
            Map.entry("smallmoney", Kind.EXACT_DECIMAL),
            Map.entry("float", Kind.FLOAT),
            Map.entry("real", Kind.REAL),             // written as a float so that 1.1 stays 1.1, not 1.100000023841858
            Map.entry("date", Kind.DATE),
            Map.entry("time", Kind.TIME),
            Map.entry("datetime2", Kind.DATETIME2),   // zone-less: no invented zone, p digits of fraction
            Map.entry("datetime", Kind.DATETIME),     // 1/300 s resolution, so 3 digits as SQL Server prints it
            Map.entry("smalldatetime", Kind.SMALLDATETIME), // minute resolution: seconds are always :00
            Map.entry("datetimeoffset", Kind.DATETIMEOFFSET), // the offset is kept, not normalised to UTC
            Map.entry("char", Kind.TEXT),
            Map.entry("varchar", Kind.TEXT),
            Map.entry("nchar", Kind.TEXT),
            Map.entry("nvarchar", Kind.TEXT),
            Map.entry("text", Kind.TEXT),
            Map.entry("ntext", Kind.TEXT),
            Map.entry("xml", Kind.TEXT),
            Map.entry("sysname", Kind.TEXT),
            Map.entry("binary", Kind.BINARY),
            Map.entry("varbinary", Kind.BINARY),
            Map.entry("image", Kind.BINARY),
            Map.entry("timestamp", Kind.BINARY),      // rowversion: the change table stores it as binary(8)
            Map.entry("rowversion", Kind.BINARY),
            Map.entry("hierarchyid", Kind.BINARY),    // no textual form without the CLR type: its bytes
            Map.entry("uniqueidentifier", Kind.UNIQUEIDENTIFIER), // the driver turns the mixed-endian bytes into the canonical form
            Map.entry("geography", Kind.GEOGRAPHY),   // CLR-serialised bytes; decoded to WKT
            Map.entry("geometry", Kind.GEOMETRY));

    private Values() {
    }

    static Kind kindOf(ColumnType type) {
        return KINDS.getOrDefault(type.name(), Kind.OTHER);
    }

    /** Fetches column {@code index} of the current row and converts it; SQL NULL → JSON null. */
    public static JsonNode read(ResultSet rs, int index, ColumnType type) throws SQLException {
        Object value = fetch(rs, index, kindOf(type));
        return toJson(value, type);
    }

    /** Fetches the Java value the type's kind is written from, or null for SQL NULL. */
    static Object fetch(ResultSet rs, int index, Kind kind) throws SQLException {
        Object value = switch (kind) {
            case INTEGER -> rs.getLong(index);
            case BIT -> rs.getBoolean(index);
            case EXACT_DECIMAL -> rs.getBigDecimal(index);
            case FLOAT -> rs.getDouble(index);
            case REAL -> rs.getFloat(index);
            case DATE -> rs.getObject(index, LocalDate.class);
            case TIME -> rs.getObject(index, LocalTime.class);
            case DATETIME2, DATETIME, SMALLDATETIME -> rs.getObject(index, LocalDateTime.class);
            case DATETIMEOFFSET -> rs.getObject(index, OffsetDateTime.class);
            case TEXT, UNIQUEIDENTIFIER -> rs.getString(index);
            case BINARY, GEOGRAPHY, GEOMETRY -> rs.getBytes(index);
            case OTHER -> rs.getObject(index);
        };
        return rs.wasNull() ? null : value;
    }

    /** Writes a fetched value as JSON. */
    static JsonNode toJson(Object value, ColumnType type) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (kindOf(type)) {
            case INTEGER -> NODES.numberNode(((Number) value).longValue());
            case BIT -> NODES.booleanNode((Boolean) value);
            case EXACT_DECIMAL -> NODES.textNode(plainDecimal((BigDecimal) value, type));
            case FLOAT -> NODES.numberNode(((Number) value).doubleValue());
            case REAL -> NODES.numberNode(((Number) value).floatValue());
            case DATE -> NODES.textNode(((LocalDate) value).format(DATE));
            case TIME -> NODES.textNode(time((LocalTime) value, fractionDigits(type)));
            case DATETIME2 -> NODES.textNode(dateTime((LocalDateTime) value, fractionDigits(type)));
            case DATETIME -> NODES.textNode(dateTime((LocalDateTime) value, 3));
            case SMALLDATETIME -> NODES.textNode(dateTime((LocalDateTime) value, 0));
            case DATETIMEOFFSET -> NODES.textNode(dateTimeOffset((OffsetDateTime) value, fractionDigits(type)));
            case TEXT -> NODES.textNode(value.toString());
            case BINARY -> NODES.textNode(base64((byte[]) value));
            case UNIQUEIDENTIFIER -> NODES.textNode(value.toString().toUpperCase(Locale.ROOT));
            case GEOGRAPHY -> NODES.textNode(spatial((byte[]) value, true));
            case GEOMETRY -> NODES.textNode(spatial((byte[]) value, false));
            case OTHER -> value instanceof byte[] bytes ? NODES.textNode(base64(bytes)) : NODES.textNode(value.toString());
        };
    }

    private static String plainDecimal(BigDecimal value, ColumnType type) {
        int scale = type.scale();
        if (scale >= 0 && scale != value.scale()) {
            try {
                value = value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                // more digits than the column's scale: keep them all rather than round
            }
        }
        return value.toPlainString();
    }

    private static int fractionDigits(ColumnType type) {
        int scale = type.scale();
        return scale < 0 || scale > MAX_FRACTION_DIGITS ? MAX_FRACTION_DIGITS : scale;
    }

    static String time(LocalTime t, int digits) {
        return t.format(SECONDS) + fraction(t.getNano(), digits);
    }

    static String dateTime(LocalDateTime t, int digits) {
        return t.toLocalDate().format(DATE) + "T" + time(t.toLocalTime(), digits);
    }

    static String dateTimeOffset(OffsetDateTime t, int digits) {
        return dateTime(t.toLocalDateTime(), digits) + t.format(OFFSET);
    }

    private static String fraction(int nanos, int digits) {
        if (digits == 0) {
            return "";
        }
        String nine = String.format("%09d", nanos);
        return "." + nine.substring(0, digits);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** WKT via the driver's own decoder; base64 of the bytes if they cannot be decoded. */
    private static String spatial(byte[] bytes, boolean geography) {
        try {
            return geography ? Geography.deserialize(bytes).STAsText() : Geometry.deserialize(bytes).STAsText();
        } catch (SQLException | RuntimeException e) {
            return base64(bytes);
        }
    }
}
