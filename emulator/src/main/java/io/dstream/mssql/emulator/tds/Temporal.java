package io.dstream.mssql.emulator.tds;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/** The day and tick arithmetic of SQL Server's date and time encodings. */
final class Temporal {

    /** DATE, DATETIME2 and DATETIMEOFFSET count days from 0001-01-01. */
    static final long EPOCH_0001 = LocalDate.of(1, 1, 1).toEpochDay();
    /** DATETIME and SMALLDATETIME count days from 1900-01-01. */
    static final long EPOCH_1900 = LocalDate.of(1900, 1, 1).toEpochDay();
    /** DATETIME stores the time of day in 1/300 second ticks. */
    static final long DATETIME_TICKS_PER_DAY = 24L * 60 * 60 * 300;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private Temporal() {
    }

    /** Bytes of a TIME value (also the time part of DATETIME2/DATETIMEOFFSET) with this scale. */
    static int timeLength(int scale) {
        return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
    }

    static long nanosPerTick(int scale) {
        long n = 1;
        for (int i = scale; i < 9; i++) {
            n *= 10;
        }
        return n;
    }

    static LocalDate dateFromDays(long daysSince0001) {
        return LocalDate.ofEpochDay(EPOCH_0001 + daysSince0001);
    }

    static long daysSince0001(LocalDate date) {
        return date.toEpochDay() - EPOCH_0001;
    }

    static LocalTime timeFromTicks(long ticks, int scale) {
        return LocalTime.ofNanoOfDay(ticks * nanosPerTick(scale));
    }

    /**
     * Ticks of the time of day at this scale, rounded half up as SQL Server rounds; the caller
     * carries a result of one whole day into the date.
     */
    static long ticks(LocalTime time, int scale) {
        long perTick = nanosPerTick(scale);
        return (time.toNanoOfDay() + perTick / 2) / perTick;
    }

    static long ticksPerDay(int scale) {
        return NANOS_PER_DAY / nanosPerTick(scale);
    }

    /** A DATETIME value from its two integers. */
    static LocalDateTime fromDatetime(int days, long ticks300) {
        long millis = (ticks300 * 10 + 1) / 3; // SQL Server shows 1/300 s as .000, .003, .007
        return LocalDate.ofEpochDay(EPOCH_1900 + days).atStartOfDay().plusNanos(millis * 1_000_000L);
    }

    /** A SMALLDATETIME value from days since 1900 and minutes of the day. */
    static LocalDateTime fromSmallDatetime(int days, int minutes) {
        return LocalDate.ofEpochDay(EPOCH_1900 + days).atStartOfDay().plusMinutes(minutes);
    }
}
