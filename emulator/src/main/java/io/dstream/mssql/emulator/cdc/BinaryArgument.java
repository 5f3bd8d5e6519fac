package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.SqlError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.h2.value.Value;
import org.h2.value.ValueNull;

/**
 * A binary argument (an LSN, an update mask) as SQL Server takes it: binary, and the types that
 * convert to binary implicitly (integers, decimals, bit, uniqueidentifier); text, floating point and
 * date/time values need an explicit CONVERT, else error 257 naming SQL Server's type.
 */
final class BinaryArgument {

    private BinaryArgument() {
    }

    /** The bytes of an H2 argument of a {@code sys.fn_cdc_*} function; null for NULL. */
    static byte[] of(Value v, String target) {
        if (v == null || v == ValueNull.INSTANCE) {
            return null;
        }
        String refused = switch (v.getValueType()) {
            // strings arrive as nvarchar: mssql-jdbc, pytds and the T-SQL N'…' literal all send Unicode
            case Value.VARCHAR, Value.VARCHAR_IGNORECASE, Value.CLOB -> "nvarchar";
            case Value.CHAR -> "nchar";
            case Value.DOUBLE -> "float";
            case Value.REAL -> "real";
            case Value.DATE -> "date";
            case Value.TIME -> "time";
            case Value.TIMESTAMP -> "datetime2";
            case Value.TIMESTAMP_TZ -> "datetimeoffset";
            default -> null;
        };
        if (refused != null) {
            throw implicitConversion(refused, target);
        }
        return v.getBytes();
    }

    /** The bytes of a procedure argument (the Java values of the engine's SqlType); null for NULL. */
    static byte[] of(Object v, String target) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        throw implicitConversion(typeName(v), target);
    }

    static SqlError implicitConversion(String from, String to) {
        return SqlError.of(257, "Implicit conversion from data type " + from + " to " + to
                + " is not allowed. Use the CONVERT function to run this query.");
    }

    /** SQL Server's name for the type a procedure argument's Java value travels as. */
    static String typeName(Object v) {
        if (v instanceof String) {
            return "nvarchar";
        } else if (v instanceof Integer) {
            return "int";
        } else if (v instanceof Long) {
            return "bigint";
        } else if (v instanceof Short) {
            return "smallint";
        } else if (v instanceof Boolean) {
            return "bit";
        } else if (v instanceof BigDecimal) {
            return "decimal";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof Float) {
            return "real";
        } else if (v instanceof LocalDate) {
            return "date";
        } else if (v instanceof LocalTime) {
            return "time";
        } else if (v instanceof LocalDateTime) {
            return "datetime2";
        } else if (v instanceof OffsetDateTime) {
            return "datetimeoffset";
        } else if (v instanceof UUID) {
            return "uniqueidentifier";
        }
        return "sql_variant";
    }
}
