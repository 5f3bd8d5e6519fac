package io.dstream.mssql.ingester.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The capture loop's time: the clock it schedules polls by, and the wait between cycles, which
 * {@link Streamer#stop()} cuts short by notifying the monitor. One interface for both so that a test
 * can run the loop across minutes of simulated time (catalog refresh, heartbeats, statistics) in a
 * few seconds.
 */
public interface Pacer {

    Clock clock();

    /**
     * Waits on {@code monitor} (which the caller holds) until {@code deadline} or a notify.
     *
     * @throws InterruptedException when the thread is interrupted
     */
    void waitUntil(Object monitor, Instant deadline) throws InterruptedException;

    /** The system clock and {@link Object#wait(long)}. */
    static Pacer system(Clock clock) {
        return new Pacer() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public void waitUntil(Object monitor, Instant deadline) throws InterruptedException {
                long millis = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
                monitor.wait(millis);
            }
        };
    }
}
