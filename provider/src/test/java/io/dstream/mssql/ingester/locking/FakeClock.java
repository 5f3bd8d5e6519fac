package io.dstream.mssql.ingester.locking;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link LeaseClock} that moves only when a test says so; both clocks move together unless told otherwise. */
final class FakeClock implements LeaseClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long monotonicNanos() {
        return nanos.get();
    }

    @Override
    public long wallMillis() {
        return wallMillis.get();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        wallMillis.addAndGet(d.toMillis());
    }

    /** A suspended machine: the wall clock moved, {@code System.nanoTime} did not. */
    void advanceWallOnly(Duration d) {
        wallMillis.addAndGet(d.toMillis());
    }

    /** An NTP step back: the wall clock goes back while real time goes on. */
    void setWallBack(Duration d) {
        wallMillis.addAndGet(-d.toMillis());
    }
}
