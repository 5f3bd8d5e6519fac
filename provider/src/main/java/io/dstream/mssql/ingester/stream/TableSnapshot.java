package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ColumnType;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.cdc.SnapshotReader;
import io.dstream.mssql.ingester.cdc.TableKey;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The snapshot of one table while its stream is held: its progress, and the chunks in flight, each
 * between its own watermarks ({@link SnapshotWindow}). A chunk is read only when the stream has caught
 * up, so its rows wait in memory only for the capture of its high watermark, and live changes keep
 * flowing between chunks. Up to {@link #CHUNKS_IN_FLIGHT} chunks wait at once: the wait for a
 * watermark's capture (tens of milliseconds on the emulator, up to the capture job's polling interval,
 * 5 s by default, on SQL Server) is then shared by several chunks instead of paid by each. They are
 * written in key order, each once the stream reached its high watermark. {@link TableStream} drives
 * it; everything it reads goes through {@link TableSource}.
 */
final class TableSnapshot {

    /** The first wait for a chunk's high watermark to be captured; it doubles up to {@code poll_interval}. */
    static final Duration FIRST_WATERMARK_WAIT = Duration.ofMillis(25);

    /**
     * Chunks read and waiting for their watermarks at most: the rows of this many chunks
     * ({@code snapshot_chunk_rows} each) are in memory at once.
     */
    static final int CHUNKS_IN_FLIGHT = 4;

    /** A chunk in flight: its window, its watermark's token, where it was read from, and where it ends. */
    private record InFlight(SnapshotWindow window, String token, String captureInstance, TableKey.Value lastKey, boolean last) {
    }

    /** The table cannot be snapshotted as it is (no usable key, a key not captured): it stops, with this message. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final TableName table;
    private final StreamContext ctx;
    /** Volatile, as {@link #estimatedRows}: read by the metrics endpoint's thread. */
    private volatile SnapshotProgress progress = SnapshotProgress.NONE;
    /** Resolved at this tenure's first chunk. */
    private TableKey key;
    /** The key the next chunk starts after; null before the first chunk (or not decoded yet: see {@link #lastKeyKnown}). */
    private TableKey.Value lastKey;
    private boolean lastKeyKnown;
    /**
     * The largest key when this tenure's first chunk was read: the snapshot ends there (rows past it came
     * after the stream's position, which brings them). Read again after a restart: a larger end only means
     * more rows snapshotted that the stream brings anyway.
     */
    private TableKey.Value endKey;
    /** The chunks in flight, in key order; the head is written first. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private Duration wait = FIRST_WATERMARK_WAIT;
    /** For the progress line: rows SQL Server estimates the table holds, when this tenure started, and rows then. */
    private volatile long estimatedRows = -1;
    private Instant tenureStart;
    private long rowsAtTenureStart;

    TableSnapshot(TableName table, StreamContext ctx) {
        this.table = table;
        this.ctx = ctx;
    }

    /** Takes the progress the table's checkpoint row holds (or a new snapshot's); forgets any chunk in flight. */
    void load(SnapshotProgress saved) {
        progress = saved;
        forget();
        tenureStart = ctx.clock().instant();
        rowsAtTenureStart = saved.rows();
    }

    /** Leaving the stream (lease lost, stopping): the chunk in flight is dropped; its rows were not written. */
    void forget() {
        key = null;
        lastKey = null;
        lastKeyKnown = false;
        endKey = null;
        dropInFlight();
    }

    /**
     * Drops every chunk in flight: they are read again from the last key written. For a stream whose
     * position jumped (changes it will not read would be missing from the chunks' windows).
     */
    void dropInFlight() {
        inFlight.clear();
        wait = FIRST_WATERMARK_WAIT;
    }

    /** SQL Server's row estimate read at this tenure's first chunk; -1 when unknown. */
    long estimatedRows() {
        return estimatedRows;
    }

    SnapshotProgress progress() {
        return progress;
    }

    boolean running() {
        return progress.running();
    }

    boolean inWindow() {
        return !inFlight.isEmpty();
    }

    /** True when another chunk may be read now: fewer than {@link #CHUNKS_IN_FLIGHT}, and the end not read yet. */
    boolean mayStartChunk() {
        return inFlight.size() < CHUNKS_IN_FLIGHT && (inFlight.isEmpty() || !inFlight.peekLast().last());
    }

    /** The stream reads no further than the next chunk's high watermark until that chunk is written. */
    Lsn clamp(Lsn bound) {
        InFlight head = inFlight.peekFirst();
        if (head == null || head.window().high() == null) {
            return bound;
        }
        Lsn high = head.window().high().lsn();
        return high.compareTo(bound) < 0 ? high : bound;
    }

    /** Every change the stream writes passes here, before it is written; each chunk keeps those in its window. */
    void observe(List<Change> changes) {
        for (InFlight chunk : inFlight) {
            changes.forEach(chunk.window()::observe);
        }
    }

    /**
     * Before a poll reads: looks for the chunk's high watermark (one query while it is not captured). A chunk
     * read from another capture instance than the one now read is read again: its rows would not have the
     * shape of the changes around them.
     */
    void beforeRead(CaptureInstance reading) throws SQLException {
        InFlight head = inFlight.peekFirst();
        if (head == null) {
            return;
        }
        if (!reading.name().equals(head.captureInstance())) {
            dropInFlight();
            return;
        }
        if (head.window().high() == null) {
            // watermarks are captured in the order they were written: the head's comes first
            ctx.source().findWatermark(head.token(), head.window().low()).ifPresent(head.window()::high);
        }
    }

    /** The next chunk's rows to write now (the stream reached its high watermark), or null while it waits. */
    List<Change> due(Position streamPosition) {
        InFlight head = inFlight.peekFirst();
        return head != null && head.window().due(streamPosition) ? head.window().survivors() : null;
    }

    /** The next chunk's rows were written: later chunks start after its last key; after the last one the snapshot is done. */
    void written(int rows) {
        InFlight head = inFlight.removeFirst();
        progress = progress.next(TableKey.encode(head.lastKey()), rows);
        lastKey = head.lastKey();
        lastKeyKnown = true;
        if (head.last()) {
            progress = progress.done();
        }
        wait = FIRST_WATERMARK_WAIT;
    }

    /** How long to wait before looking for the high watermark again (doubling up to {@code poll_interval}). */
    Duration nextWait() {
        Duration now = wait;
        Duration doubled = wait.multipliedBy(2);
        Duration cap = ctx.config().pollInterval();
        wait = doubled.compareTo(cap) > 0 ? cap : doubled;
        return now;
    }

    /**
     * Reads the next chunk (after the last chunk in flight, or the last key written) and writes its high
     * watermark; at the end of the table the snapshot is done. The stream has read everything up to
     * {@code position}: that commit LSN is the chunk's low watermark (every change after it is still to
     * be streamed, so the chunk's window sees them all).
     *
     * @return true when a chunk is in flight, false when the snapshot just finished
     */
    boolean startChunk(CaptureInstance ci, Position position) throws SQLException, Refused {
        if (key == null) {
            key = resolveKey(ci);
        }
        if (!lastKeyKnown) {
            lastKey = progress.lastKey() == null ? null : ctx.source().decodeKey(table, ci, key, progress.lastKey());
            lastKeyKnown = true;
        }
        if (endKey == null) {
            endKey = ctx.source().lastKey(table, ci, key);
        }
        Lsn low = position.isCommitEnd() ? position.commitLsn() : position.commitLsn().previous();
        int limit = ctx.config().snapshotChunkRows();
        TableKey.Value after = inFlight.isEmpty() ? lastKey : inFlight.peekLast().lastKey();
        SnapshotReader.Chunk chunk = endKey == null ? new SnapshotReader.Chunk(List.of(), null)
                : ctx.source().chunk(table, ci, key, after, endKey, limit);
        if (chunk.rows().isEmpty()) {
            if (inFlight.isEmpty()) {
                progress = progress.done();
                return false;
            }
            // rows up to the end were deleted meanwhile: the last chunk in flight finishes the snapshot
            InFlight tail = inFlight.removeLast();
            inFlight.addLast(new InFlight(tail.window(), tail.token(), tail.captureInstance(), tail.lastKey(), true));
            return true;
        }
        refuseUnpageable(chunk.rows().get(0).columns());
        String token = ctx.source().writeWatermark(table);
        boolean last = chunk.rows().size() < limit || chunk.lastKey().equals(endKey);
        inFlight.addLast(new InFlight(new SnapshotWindow(key, low, chunk.rows()), token, ci.name(), chunk.lastKey(), last));
        return true;
    }

    private TableKey resolveKey(CaptureInstance ci) throws SQLException, Refused {
        TableKey k = ctx.source().key(table).orElseThrow(() -> new Refused(table + " has neither a primary key nor a unique "
                + "index on NOT NULL columns (without a filter), so a snapshot cannot read it in key order; add one, or set "
                + "snapshot_mode to never"));
        List<String> missing = k.missingFrom(ci.columnNames());
        if (!missing.isEmpty()) {
            throw new Refused(table + ": capture instance " + ci.name() + " does not capture the key column(s) " + missing
                    + " of " + k.index() + ", so a snapshot cannot match its changes to rows; capture them (a new capture "
                    + "instance with @captured_column_list including them), or set snapshot_mode to never");
        }
        if (estimatedRows < 0) {
            try {
                estimatedRows = ctx.source().estimatedRows(table);
            } catch (SQLException e) {
                estimatedRows = -1; // only for the progress line: a login without VIEW DEFINITION still snapshots
            }
        }
        return k;
    }

    private void refuseUnpageable(Columns columns) throws Refused {
        for (String k : key.columns()) {
            int index = columns.indexOf(k);
            ColumnType type = index < 0 ? null : columns.type(index);
            if (type != null && !TableKey.pageable(type.kind())) {
                throw new Refused(table + ": key column " + k + " of " + key.index() + " has type " + type.name()
                        + ", which a snapshot cannot page by; set snapshot_mode to never for this table's provider");
            }
        }
    }

    /** For the stats line: rows, estimate, rate in this tenure. */
    String describe() {
        if (!running()) {
            return progress.toString();
        }
        long done = progress.rows();
        long seconds = Math.max(1, Duration.between(tenureStart, ctx.clock().instant()).toSeconds());
        long rate = (done - rowsAtTenureStart) / seconds;
        return "snapshot running: " + done + " of ~" + (estimatedRows < 0 ? "?" : estimatedRows) + " rows, " + rate + " rows/s";
    }
}
