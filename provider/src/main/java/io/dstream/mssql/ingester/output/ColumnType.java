package io.dstream.mssql.ingester.output;

import java.util.Locale;

/**
 * A result column's SQL Server type as the driver reports it ({@code ResultSetMetaData}): type name,
 * precision and scale (fractional-second digits for time, datetime2 and datetimeoffset).
 */
public record ColumnType(String name, int precision, int scale) {

    /** Precision above which a (n)varchar / varbinary column is a {@code (max)} one. */
    private static final int LARGEST_NON_MAX_PRECISION = 8000;

    public ColumnType {
        name = baseName(name);
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
}
