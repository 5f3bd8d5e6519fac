package io.dstream.mssql.ingester.stream;

import java.time.Duration;

/**
 * The wait before a table's next poll: {@code poll_interval}, doubling while nothing changes (or a
 * poll fails) up to {@code max_poll_interval}, back to {@code poll_interval} when changes arrive.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration current;
    /** The wait last returned; volatile: read by the metrics endpoint. */
    private volatile Duration last;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.current = initial;
        this.last = initial;
    }

    /** The wait {@link #idle} or {@link #reset} last returned ({@code poll_interval} before either). */
    public Duration last() {
        return last;
    }

    /** The wait after an idle or failed poll; the next one will be twice as long (capped). */
    public Duration idle() {
        Duration wait = current;
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(max) > 0 ? max : doubled;
        last = wait;
        return wait;
    }

    /** The wait after a poll that found changes: back to the shortest. */
    public Duration reset() {
        current = initial;
        last = initial;
        return initial;
    }
}
