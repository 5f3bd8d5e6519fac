package io.dstream.mssql.ingester.cdc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A captured column's SQL Server type as the driver reports it ({@code ResultSetMetaData}): type name,
 * precision and scale (fractional-second digits for time, datetime2 and datetimeoffset), and its
 * {@link Kind}. {@link #KINDS} is the one table that knows SQL Server's type names: a value is fetched
 * by its kind here, and written by its kind in {@code output}.
 */
public final class ColumnType {

    /** Precision above which a (n)varchar / varbinary column is a {@code (max)} one. */
    private static final int LARGEST_NON_MAX_PRECISION = 8000;

    /**
     * How a value is fetched from the driver, and so which Java value a row holds for it (SQL NULL is
     * always {@code null}); {@code output} writes each kind as the README's type table says.
     */
    public enum Kind {
        /** {@link Long}. */
        INTEGER,
        /** {@link Boolean}. */
        BIT,
        /** {@link java.math.BigDecimal}; written at the column's scale. */
        EXACT_DECIMAL,
        /** {@link Double}. */
        FLOAT,
        /** {@link Float}. */
        REAL,
        /** {@link LocalDate}. */
        DATE,
        /** {@link LocalTime}; written with the column's scale of fraction digits. */
        TIME,
        /** {@link LocalDateTime}; written with the column's scale of fraction digits. */
        DATETIME2,
        /** {@link LocalDateTime}. */
        DATETIME,
        /** {@link LocalDateTime}. */
        SMALLDATETIME,
        /** {@link OffsetDateTime}; written with the column's scale of fraction digits. */
        DATETIMEOFFSET,
        /** {@link String}. */
        TEXT,
        /** {@code byte[]}. */
        BINARY,
        /** {@link String} as the driver reads it (canonical form). */
        UNIQUEIDENTIFIER,
        /** {@code byte[]}: SQL Server's serialisation. */
        GEOGRAPHY,
        /** {@code byte[]}: SQL Server's serialisation. */
        GEOMETRY,
        /** {@code byte[]} when the driver gives bytes, else the {@link String} form of what it gives. */
        OTHER;

        /** Fetches column {@code index} of the current row as this kind's Java value, or null for SQL NULL. */
        Object fetch(ResultSet rs, int index) throws SQLException {
            Object value = switch (this) {
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
                case OTHER -> plain(rs.getObject(index));
            };
            return rs.wasNull() ? null : value;
        }

        /** A driver object is not kept: its bytes, or its text. */
        private static Object plain(Object value) {
            return value == null || value instanceof byte[] ? value : value.toString();
        }
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

    private final String name;
    private final int precision;
    private final int scale;
    private final Kind kind;

    /** A type not in {@link #KINDS} never fails: it is {@link Kind#OTHER}. */
    public ColumnType(String typeName, int precision, int scale) {
        this.name = baseName(typeName);
        this.precision = precision;
        this.scale = scale;
        this.kind = KINDS.getOrDefault(name, Kind.OTHER);
    }

    /** Lower case, without a suffix such as {@code identity}. */
    public String name() {
        return name;
    }

    public int precision() {
        return precision;
    }

    public int scale() {
        return scale;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * True for the types whose value CDC may leave NULL in an update's images when the column did not
     * change: {@code (n)varchar(max)}, {@code varbinary(max)}, {@code xml}, {@code text}, {@code ntext},
     * {@code image}.
     */
    public boolean isLargeValue() {
        return switch (name) {
            case "xml", "text", "ntext", "image" -> true;
            case "varchar", "nvarchar", "varbinary" -> precision > LARGEST_NON_MAX_PRECISION;
            default -> false;
        };
    }

    /** {@code int identity} → {@code int}; lower case. */
    private static String baseName(String typeName) {
        String s = typeName == null ? "" : typeName.strip().toLowerCase(Locale.ROOT);
        int space = s.indexOf(' ');
        return space > 0 ? s.substring(0, space) : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnType t && name.equals(t.name) && precision == t.precision && scale == t.scale;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, precision, scale);
    }

    @Override
    public String toString() {
        return name + "(" + precision + "," + scale + ")";
    }
}
