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
import java.util.List;

/**
 * The snapshot of one table while its stream is held: its progress, and the chunk in flight between
 * its watermarks ({@link SnapshotWindow}). A chunk is read only when the stream has caught up, so the
 * chunk's rows wait in memory only for the capture of its high watermark, and live changes keep
 * flowing between chunks. {@link TableStream} drives it; everything it reads goes through
 * {@link TableSource}.
 */
final class TableSnapshot {

    /** The first wait for a chunk's high watermark to be captured; it doubles up to {@code poll_interval}. */
    static final Duration FIRST_WATERMARK_WAIT = Duration.ofMillis(25);

    /** The table cannot be snapshotted as it is (no usable key, a key not captured): it stops, with this message. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final TableName table;
    private final StreamContext ctx;
    private SnapshotProgress progress = SnapshotProgress.NONE;
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
    /** The chunk in flight; null between chunks. */
    private SnapshotWindow window;
    private String token;
    private String windowInstance;
    /** The chunk in flight read every row up to {@link #endKey}. */
    private boolean lastChunk;
    private TableKey.Value windowLastKey;
    private Duration wait = FIRST_WATERMARK_WAIT;
    /** For the progress line: rows SQL Server estimates the table holds, when this tenure started, and rows then. */
    private long estimatedRows = -1;
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
        dropWindow();
    }

    private void dropWindow() {
        window = null;
        token = null;
        windowInstance = null;
        windowLastKey = null;
        wait = FIRST_WATERMARK_WAIT;
    }

    SnapshotProgress progress() {
        return progress;
    }

    boolean running() {
        return progress.running();
    }

    boolean inWindow() {
        return window != null;
    }

    /** The stream reads no further than a chunk's high watermark until the chunk is written. */
    Lsn clamp(Lsn bound) {
        if (window == null || window.high() == null) {
            return bound;
        }
        Lsn high = window.high().lsn();
        return high.compareTo(bound) < 0 ? high : bound;
    }

    /** Every change the stream writes passes here, before it is written. */
    void observe(List<Change> changes) {
        if (window != null) {
            changes.forEach(window::observe);
        }
    }

    /**
     * Before a poll reads: looks for the chunk's high watermark (one query while it is not captured). A chunk
     * read from another capture instance than the one now read is read again: its rows would not have the
     * shape of the changes around them.
     */
    void beforeRead(CaptureInstance reading) throws SQLException {
        if (window == null) {
            return;
        }
        if (!reading.name().equals(windowInstance)) {
            dropWindow();
            return;
        }
        if (window.high() == null) {
            ctx.source().findWatermark(token, window.low()).ifPresent(window::high);
        }
    }

    /** The chunk's rows to write now (the stream reached its high watermark), or null while it waits. */
    List<Change> due(Position streamPosition) {
        return window != null && window.due(streamPosition) ? window.survivors() : null;
    }

    /** The chunk's rows were written: the next chunk starts after its last key; after the last chunk the snapshot is done. */
    void written(int rows) {
        progress = progress.next(TableKey.encode(windowLastKey), rows);
        lastKey = windowLastKey;
        lastKeyKnown = true;
        if (lastChunk) {
            progress = progress.done();
        }
        dropWindow();
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
     * Reads the next chunk and writes its high watermark; at the end of the table the snapshot is done.
     * The stream must have read everything up to {@code position}, a commit's end: that commit LSN is the
     * chunk's low watermark.
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
        SnapshotReader.Chunk chunk = endKey == null ? new SnapshotReader.Chunk(List.of(), null)
                : ctx.source().chunk(table, ci, key, lastKey, endKey, limit);
        if (chunk.rows().isEmpty()) {
            progress = progress.done();
            return false;
        }
        lastChunk = chunk.rows().size() < limit || chunk.lastKey().equals(endKey);
        refuseUnpageable(chunk.rows().get(0).columns());
        token = ctx.source().writeWatermark(table);
        window = new SnapshotWindow(key, low, chunk.rows());
        windowInstance = ci.name();
        windowLastKey = chunk.lastKey();
        wait = FIRST_WATERMARK_WAIT;
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
