package io.dstream.mssql.emulator.engine;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.h2.value.Value;

/** The date/time styles of {@code CONVERT(varchar, x, style)}. */
final class DateStyles {

    private DateStyles() {
    }

    static String format(Value v, int style) {
        String pattern = switch (style) {
            case 0, 100 -> "MMM d yyyy h:mma";
            case 1 -> "MM/dd/yy";
            case 101 -> "MM/dd/yyyy";
            case 102 -> "yyyy.MM.dd";
            case 103 -> "dd/MM/yyyy";
            case 104 -> "dd.MM.yyyy";
            case 105 -> "dd-MM-yyyy";
            case 106 -> "dd MMM yyyy";
            case 107 -> "MMM dd, yyyy";
            case 108, 8 -> "HH:mm:ss";
            case 110 -> "MM-dd-yyyy";
            case 111 -> "yyyy/MM/dd";
            case 112 -> "yyyyMMdd";
            case 114 -> "HH:mm:ss:SSS";
            case 20, 120 -> "yyyy-MM-dd HH:mm:ss";
            // SQL Server prints all fractional digits of datetime2/time(n) for 121/126; the declared
            // scale is not known here, so 7 digits are printed when the value has sub-millisecond
            // precision and 3 otherwise (exact for datetime and datetime2(7) values with nanos)
            case 21, 121 -> "yyyy-MM-dd HH:mm:ss." + fraction(v);
            case 126 -> "yyyy-MM-dd'T'HH:mm:ss." + fraction(v);
            case 127 -> "yyyy-MM-dd'T'HH:mm:ss." + fraction(v) + "XXX";
            case 23 -> "yyyy-MM-dd";
            default -> throw SqlError.of(281, style + " is not a valid style number when converting from datetime to a character string.");
        };
        DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.US);
        Object o = toJava(v);
        if (o instanceof LocalDate d && !pattern.contains("H") && !pattern.contains("h")) {
            return f.format(d);
        }
        if (o instanceof LocalDate d) {
            return f.format(d.atStartOfDay());
        }
        if (o instanceof LocalTime t) {
            return f.format(LocalDate.of(1900, 1, 1).atTime(t));
        }
        return f.format((java.time.temporal.TemporalAccessor) o);
    }

    private static String fraction(Value v) {
        Object o = toJava(v);
        int nanos = o instanceof LocalDateTime t ? t.getNano() : o instanceof OffsetDateTime t ? t.getNano()
                : o instanceof LocalTime t ? t.getNano() : 0;
        return nanos % 1_000_000 == 0 ? "SSS" : "SSSSSSS";
    }

    private static Object toJava(Value v) {
        return switch (v.getValueType()) {
            case Value.DATE -> org.h2.util.JSR310Utils.valueToLocalDate(v, null);
            case Value.TIME -> org.h2.util.JSR310Utils.valueToLocalTime(v, null);
            case Value.TIMESTAMP_TZ -> org.h2.util.JSR310Utils.valueToOffsetDateTime(v, null);
            default -> org.h2.util.JSR310Utils.valueToLocalDateTime(v, null);
        };
    }
}
