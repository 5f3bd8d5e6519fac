package io.dstream.mssql.emulator.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Moves values between H2 and the Java types {@link SqlType} documents. */
final class Values {

    private Values() {
    }

    /** Reads column {@code i} as the Java type of {@code type}. */
    static Object read(ResultSet rs, int i, SqlType type) throws SQLException {
        Object v = switch (type.kind()) {
            case TINYINT, SMALLINT -> rs.getObject(i, Short.class);
            case INT -> rs.getObject(i, Integer.class);
            case BIGINT -> rs.getObject(i, Long.class);
            case BIT -> rs.getObject(i, Boolean.class);
            case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> scaled(rs.getBigDecimal(i), type);
            case FLOAT -> rs.getObject(i, Double.class);
            case REAL -> rs.getObject(i, Float.class);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIME -> rs.getObject(i, LocalTime.class);
            case DATETIME, SMALLDATETIME, DATETIME2 -> rs.getObject(i, LocalDateTime.class);
            case DATETIMEOFFSET -> rs.getObject(i, OffsetDateTime.class);
            case CHAR, VARCHAR, NCHAR, NVARCHAR, XML -> rs.getString(i);
            case BINARY, VARBINARY -> rs.getBytes(i);
            case UNIQUEIDENTIFIER -> rs.getObject(i, UUID.class);
        };
        return rs.wasNull() ? null : v;
    }

    private static BigDecimal scaled(BigDecimal v, SqlType type) {
        if (v == null) {
            return null;
        }
        int scale = SqlTypes.scale(type);
        return v.scale() == scale ? v : v.setScale(scale, RoundingMode.HALF_UP);
    }

    /** Binds a value of {@code type} to parameter {@code i}. */
    static void bind(PreparedStatement ps, int i, Object value, SqlType type) throws SQLException {
        if (value == null) {
            ps.setNull(i, java.sql.Types.NULL);
        } else if (value instanceof Short s && type.kind() != SqlType.Kind.BIT) {
            ps.setShort(i, s);
        } else {
            ps.setObject(i, value);
        }
    }

    /**
     * Converts a value read from H2 (for variable assignment or procedure arguments) to the Java
     * type of {@code type}, as SQL Server's implicit conversion on assignment would.
     */
    static Object coerce(Object value, SqlType type) {
        if (value == null) {
            return null;
        }
        try {
            return switch (type.kind()) {
                case TINYINT -> (short) integer(value, 0, 255, type);
                case SMALLINT -> (short) integer(value, Short.MIN_VALUE, Short.MAX_VALUE, type);
                case INT -> (int) integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE, type);
                case BIGINT -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE, type);
                case BIT -> value instanceof Boolean b ? b : value instanceof Number n ? n.intValue() != 0
                        : value.toString().trim().equalsIgnoreCase("true") || value.toString().trim().equals("1");
                case DECIMAL, NUMERIC, MONEY, SMALLMONEY -> scaled(value instanceof BigDecimal b ? b
                        : new BigDecimal(value.toString().trim()), type);
                case FLOAT -> value instanceof Number n ? (Object) n.doubleValue() : Double.valueOf(value.toString().trim());
                case REAL -> value instanceof Number n ? (Object) n.floatValue() : Float.valueOf(value.toString().trim());
                case CHAR, VARCHAR, NCHAR, NVARCHAR, XML -> truncate(text(value), type);
                case UNIQUEIDENTIFIER -> value instanceof UUID u ? u : UUID.fromString(value.toString().trim());
                case BINARY, VARBINARY -> value instanceof byte[] b ? b : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
                case DATE -> value instanceof LocalDate d ? d : value instanceof LocalDateTime t ? t.toLocalDate()
                        : LocalDate.parse(value.toString().trim().substring(0, 10));
                case TIME -> value instanceof LocalTime t ? t : value instanceof LocalDateTime t ? t.toLocalTime()
                        : LocalTime.parse(value.toString().trim());
                case DATETIME, SMALLDATETIME, DATETIME2 -> value instanceof LocalDateTime t ? t
                        : value instanceof OffsetDateTime o ? o.toLocalDateTime()
                        : value instanceof LocalDate d ? d.atStartOfDay()
                        : LocalDateTime.parse(value.toString().trim().replace(' ', 'T'));
                case DATETIMEOFFSET -> inRange(value instanceof OffsetDateTime o ? o
                        : OffsetDateTime.parse(value.toString().trim().replaceFirst(" ", "T").replaceFirst(" ([+-])", "$1")));
            };
        } catch (SqlError e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlError.of(245, "Conversion failed when converting the value '" + value + "' to data type "
                    + type.sqlName() + ".");
        }
    }

    private static final OffsetDateTime MIN_DATETIMEOFFSET = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime MAX_DATETIMEOFFSET =
            OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900, ZoneOffset.UTC);

    /** As the column check of {@link SqlTypes#rangeCheck}: the UTC value and the local date within 0001..9999. */
    private static OffsetDateTime inRange(OffsetDateTime v) {
        if (v.isBefore(MIN_DATETIMEOFFSET) || v.isAfter(MAX_DATETIMEOFFSET) || v.getYear() < 1 || v.getYear() > 9999) {
            throw Errors.outOfRange("datetimeoffset");
        }
        return v;
    }

    /**
     * An integer value in range, as SQL Server converts on assignment: fractions are truncated,
     * out-of-range values fail with an arithmetic overflow (220 for tinyint, 8115 otherwise).
     */
    private static long integer(Object value, long min, long max, SqlType type) {
        BigDecimal exact = value instanceof Boolean b ? (b ? BigDecimal.ONE : BigDecimal.ZERO)
                : value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
        BigDecimal whole = exact.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(min)) < 0 || whole.compareTo(BigDecimal.valueOf(max)) > 0) {
            if (type.kind() == SqlType.Kind.TINYINT) {
                throw SqlError.of(220, "Arithmetic overflow error for data type tinyint, value = " + whole.toPlainString() + ".");
            }
            throw SqlError.of(8115, "Arithmetic overflow error converting expression to data type " + type.sqlName() + ".");
        }
        return whole.longValueExact();
    }

    private static String text(Object value) {
        if (value instanceof byte[] b) {
            return "0x" + java.util.HexFormat.of().withUpperCase().formatHex(b);
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return value.toString();
    }

    /** Assigning a longer string to a variable silently truncates in SQL Server. */
    private static String truncate(String s, SqlType type) {
        return type.isMax() || type.length() <= 0 || s.length() <= type.length() ? s : s.substring(0, type.length());
    }
}
