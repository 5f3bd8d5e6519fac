package io.dstream.mssql.emulator.engine;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;
import org.h2.util.JSR310Utils;
import org.h2.value.Value;
import org.h2.value.ValueNull;

/**
 * {@code DATEPART}, {@code DATENAME}, {@code TODATETIMEOFFSET} and {@code SWITCHOFFSET} as SQL Server
 * computes them for a us_english session ({@code SET DATEFIRST 7}: weeks start on Sunday, week 1 is
 * the week of January 1st). Every datepart of the documentation, with its abbreviations.
 */
final class DateParts {

    /** The dateparts; {@code names} are the spellings T-SQL accepts. */
    enum Part {
        YEAR("year", "yy", "yyyy"), QUARTER("quarter", "qq", "q"), MONTH("month", "mm", "m"),
        DAYOFYEAR("dayofyear", "dy", "y"), DAY("day", "dd", "d"), WEEK("week", "wk", "ww"),
        WEEKDAY("weekday", "dw"), HOUR("hour", "hh"), MINUTE("minute", "mi", "n"), SECOND("second", "ss", "s"),
        MILLISECOND("millisecond", "ms"), MICROSECOND("microsecond", "mcs"), NANOSECOND("nanosecond", "ns"),
        TZOFFSET("tzoffset", "tz"), ISO_WEEK("iso_week", "isowk", "isoww");

        private final String[] names;

        Part(String... names) {
            this.names = names;
        }

        /** The datepart a T-SQL name or abbreviation means; error 155 for anything else. */
        static Part of(String name) {
            for (Part p : values()) {
                for (String n : p.names) {
                    if (n.equalsIgnoreCase(name)) {
                        return p;
                    }
                }
            }
            throw SqlError.of(155, "'" + name + "' is not a recognized datepart option.");
        }

        boolean isTimeOfDay() {
            return ordinal() >= HOUR.ordinal() && this != ISO_WEEK && this != TZOFFSET;
        }

        boolean isDate() {
            return ordinal() <= WEEKDAY.ordinal() || this == ISO_WEEK;
        }
    }

    /** A date/time value taken apart: local date and time, and the offset (UTC for types without one). */
    private record Moment(LocalDateTime local, ZoneOffset offset) {
    }

    private DateParts() {
    }

    static Integer datePart(String partName, Value v) {
        Part part = Part.of(partName);
        Moment m = moment(v, part, "datepart");
        return m == null ? null : number(part, m);
    }

    static String dateName(String partName, Value v) {
        Part part = Part.of(partName);
        Moment m = moment(v, part, "datename");
        if (m == null) {
            return null;
        }
        return switch (part) {
            case MONTH -> m.local().getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case WEEKDAY -> m.local().getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case TZOFFSET -> m.offset().getTotalSeconds() == 0 ? "+00:00" : m.offset().getId();
            default -> Integer.toString(number(part, m));
        };
    }

    private static int number(Part part, Moment m) {
        LocalDateTime t = m.local();
        return switch (part) {
            case YEAR -> t.getYear();
            case QUARTER -> (t.getMonthValue() - 1) / 3 + 1;
            case MONTH -> t.getMonthValue();
            case DAYOFYEAR -> t.getDayOfYear();
            case DAY -> t.getDayOfMonth();
            // week 1 holds January 1st; a week starts on Sunday (DATEFIRST 7)
            case WEEK -> (t.getDayOfYear() - 1 + sundayBased(t.toLocalDate().withDayOfYear(1).getDayOfWeek())) / 7 + 1;
            case WEEKDAY -> sundayBased(t.getDayOfWeek()) + 1;
            case HOUR -> t.getHour();
            case MINUTE -> t.getMinute();
            case SECOND -> t.getSecond();
            case MILLISECOND -> t.getNano() / 1_000_000;
            case MICROSECOND -> t.getNano() / 1_000;
            case NANOSECOND -> t.getNano();
            case TZOFFSET -> m.offset().getTotalSeconds() / 60;
            case ISO_WEEK -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        };
    }

    /** Sunday 0 … Saturday 6. */
    private static int sundayBased(DayOfWeek d) {
        return d.getValue() % 7;
    }

    /**
     * The value as date and time; null for NULL. A {@code date} has no time parts and a {@code time}
     * no date parts: SQL Server answers 9810 for those (for a column or variable; only a literal
     * takes the defaults). Text converts as it would to datetimeoffset or datetime2.
     */
    private static Moment moment(Value v, Part part, String function) {
        if (v == null || v == ValueNull.INSTANCE) {
            return null;
        }
        return switch (v.getValueType()) {
            case Value.DATE -> {
                if (part.isTimeOfDay()) {
                    throw SqlError.of(9810, "The datepart " + part.names[0] + " is not supported by date function "
                            + function + " for data type date.");
                }
                yield new Moment(JSR310Utils.valueToLocalDate(v, null).atStartOfDay(), ZoneOffset.UTC);
            }
            case Value.TIME -> {
                if (part.isDate()) {
                    throw SqlError.of(9810, "The datepart " + part.names[0] + " is not supported by date function "
                            + function + " for data type time.");
                }
                yield new Moment(LocalDate.of(1900, 1, 1).atTime(JSR310Utils.valueToLocalTime(v, null)), ZoneOffset.UTC);
            }
            case Value.TIMESTAMP_TZ -> {
                OffsetDateTime o = JSR310Utils.valueToOffsetDateTime(v, null);
                yield new Moment(o.toLocalDateTime(), o.getOffset());
            }
            case Value.TIMESTAMP -> new Moment(JSR310Utils.valueToLocalDateTime(v, null), ZoneOffset.UTC);
            default -> fromText(v.getString().trim());
        };
    }

    private static Moment fromText(String text) {
        String iso = text.replace(' ', 'T');
        try {
            OffsetDateTime o = OffsetDateTime.parse(iso.replaceFirst("T(.*)T([+-])", "T$1$2"));
            return new Moment(o.toLocalDateTime(), o.getOffset());
        } catch (RuntimeException notOffset) {
            try {
                return new Moment(iso.length() == 10 ? LocalDate.parse(iso).atStartOfDay() : LocalDateTime.parse(iso),
                        ZoneOffset.UTC);
            } catch (RuntimeException e) {
                throw SqlError.of(241, "Conversion failed when converting date and/or time from character string.");
            }
        }
    }

    /**
     * {@code TODATETIMEOFFSET(expression, time_zone)}: the expression's date and time, unchanged, with
     * the offset {@code time_zone} (minutes, or text {@code [+|-]hh:mm}).
     */
    static Value toDateTimeOffset(Value v, Value zone) {
        if (v == null || v == ValueNull.INSTANCE || zone == null || zone == ValueNull.INSTANCE) {
            return ValueNull.INSTANCE;
        }
        Moment m = moment(v, Part.YEAR, "todatetimeoffset");
        return JSR310Utils.offsetDateTimeToValue(OffsetDateTime.of(m.local(), offset(zone)));
    }

    /**
     * {@code SWITCHOFFSET(datetimeoffset, time_zone)}: the same instant at another offset; a value
     * without an offset is taken as UTC, as its conversion to datetimeoffset does.
     */
    static Value switchOffset(Value v, Value zone) {
        if (v == null || v == ValueNull.INSTANCE || zone == null || zone == ValueNull.INSTANCE) {
            return ValueNull.INSTANCE;
        }
        Moment m = moment(v, Part.YEAR, "switchoffset");
        return JSR310Utils.offsetDateTimeToValue(OffsetDateTime.of(m.local(), m.offset())
                .withOffsetSameInstant(offset(zone)));
    }

    /** An offset in minutes (±840 at most) or as text {@code [+|-]hh:mm}; error 9812 otherwise. */
    private static ZoneOffset offset(Value zone) {
        int minutes;
        if (zone.getValueType() == Value.VARCHAR || zone.getValueType() == Value.CHAR
                || zone.getValueType() == Value.VARCHAR_IGNORECASE) {
            String text = zone.getString().trim();
            if (!text.matches("[+-]\\d{2}:\\d{2}")) {
                throw SqlError.of(9812, "The timezone provided to builtin function todatetimeoffset is invalid.");
            }
            int sign = text.charAt(0) == '-' ? -1 : 1;
            minutes = sign * (Integer.parseInt(text.substring(1, 3)) * 60 + Integer.parseInt(text.substring(4, 6)));
        } else {
            minutes = zone.getInt();
        }
        if (Math.abs(minutes) > 14 * 60) {
            throw SqlError.of(9812, "The timezone provided to builtin function todatetimeoffset is invalid.");
        }
        return ZoneOffset.ofTotalSeconds(minutes * 60);
    }
}
