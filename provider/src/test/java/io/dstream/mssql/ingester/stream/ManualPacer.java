package io.dstream.mssql.ingester.stream;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Time that moves only when the test sets {@link #now}: for driving one {@link TableStream}, which never waits. */
final class ManualPacer implements Pacer {

    volatile Instant now;

    ManualPacer(Instant start) {
        this.now = start;
    }

    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void waitUntil(Object monitor, Instant deadline) {
        throw new UnsupportedOperationException("a TableStream never waits");
    }
}
