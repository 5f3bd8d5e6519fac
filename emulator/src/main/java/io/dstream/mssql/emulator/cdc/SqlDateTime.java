package io.dstream.mssql.emulator.cdc;

import java.time.LocalDateTime;

/** SQL Server {@code datetime}: ticks of 1/300 s, shown as .000/.003/.007 milliseconds. */
final class SqlDateTime {

    private SqlDateTime() {
    }

    static LocalDateTime round(LocalDateTime t) {
        long nanosOfDay = t.toLocalTime().toNanoOfDay();
        long ticks = Math.round(nanosOfDay * 300.0 / 1_000_000_000.0);
        long millis = Math.round(ticks * 10.0 / 3.0);
        return t.toLocalDate().atStartOfDay().plusNanos(millis * 1_000_000L);
    }
}
