package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.db.Lsn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Positions a table reached but may not checkpoint yet ({@code checkpoint_delay}). DStream has no
 * acknowledgement: a line flushed to the pipe may still die with the process that reads it (or in the
 * output provider's batch). So a checkpoint only covers what was written at least {@code delay} ago;
 * what was in flight when the reader crashed is read again after a restart instead of being lost.
 *
 * <p>Entries are kept in the order they were reached (positions only grow), so the newest entry old
 * enough is the checkpoint, and every older one is covered by it.
 */
final class Settling {

    /**
     * A position the table reached.
     *
     * @param at              when (the lines covering it were flushed, or the bound was read)
     * @param captureInstance the instance it was read from
     * @param bound           the upper bound it was read up to (null when nothing was captured yet)
     * @param lines           whether lines were written to reach it (an idle advance writes none)
     * @param snapshot        the table's snapshot progress with it
     */
    record Entry(Instant at, Position position, String captureInstance, Lsn bound, boolean lines, SnapshotProgress snapshot) {

        /** Later in the stream, or at the same position with more snapshot chunks written. */
        boolean after(Position p, SnapshotProgress s) {
            int c = position.compareTo(p);
            return c > 0 || (c == 0 && snapshot.chunks() > s.chunks());
        }
    }

    /** The newest settled entry, and whether it or an entry it covers wrote lines. */
    record Settled(Entry entry, boolean lines) {
    }

    private final Duration delay;
    private final Deque<Entry> pending = new ArrayDeque<>();
    private Entry ready;
    private boolean readyLines;

    Settling(Duration delay) {
        this.delay = delay;
    }

    /** Records a position reached at {@code entry.at()}; one not after the last recorded is ignored. */
    void reached(Entry entry) {
        Entry last = pending.isEmpty() ? ready : pending.peekLast();
        if (last != null && !entry.after(last.position(), last.snapshot())) {
            return;
        }
        pending.addLast(entry);
    }

    /**
     * The newest position reached at least {@code delay} before {@code now} and not yet taken, or null.
     * It stays until {@link #taken} (a save that failed is tried again).
     */
    Settled settled(Instant now) {
        Instant cutoff = now.minus(delay);
        while (!pending.isEmpty() && !pending.peekFirst().at().isAfter(cutoff)) {
            Entry e = pending.pollFirst();
            ready = e;
            readyLines |= e.lines();
        }
        return ready == null ? null : new Settled(ready, readyLines);
    }

    /** When every position reached so far will have settled, or null when none is waiting. */
    Instant allSettledAt() {
        return pending.isEmpty() ? null : pending.peekLast().at().plus(delay);
    }

    /** The settled entry was saved. */
    void taken() {
        ready = null;
        readyLines = false;
    }

    /** Forgets everything: the position is about to be reloaded from the checkpoint table. */
    void clear() {
        pending.clear();
        taken();
    }
}
