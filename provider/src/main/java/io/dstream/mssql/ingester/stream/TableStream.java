package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.Checkpoint;
import io.dstream.mssql.ingester.cdc.Instances;
import io.dstream.mssql.ingester.cdc.Page;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.cdc.StartPosition;
import io.dstream.mssql.ingester.config.DataLossPolicy;
import io.dstream.mssql.ingester.config.ConfigKeys;
import io.dstream.mssql.ingester.config.PositionAheadPolicy;
import io.dstream.mssql.ingester.config.SnapshotMode;
import io.dstream.mssql.ingester.config.StartFrom;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.db.SqlAdvice;
import io.dstream.mssql.ingester.locking.Lease;
import io.dstream.mssql.ingester.locking.LockKey;
import io.dstream.mssql.ingester.locking.LockerException;
import io.dstream.mssql.ingester.output.Formatted;
import io.dstream.mssql.ingester.output.OutputLine;
import io.dstream.mssql.ingester.output.OversizedChange;
import io.dstream.mssql.ingester.stream.TableStatus.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The stream of one table: its phase ({@link Phase}), lease, position, capture instances, backoff and
 * statistics. Driven by {@link Streamer}, one poll at a time; each poll reads at most one page. It reads
 * and saves only through {@link TableSource}, so its logic is unit-tested without a database.
 */
final class TableStream {

    private static final Logger LOG = LoggerFactory.getLogger(TableStream.class);

    private final TableName table;
    private final LockKey lockKey;
    private final StreamContext ctx;
    private final Backoff backoff;
    /** Positions reached but not yet old enough to checkpoint ({@code checkpoint_delay}). */
    private final Settling settling;
    /** The table's snapshot progress and the chunk in flight; its progress is saved with the position. */
    private final TableSnapshot snapshot;
    private final Map<String, List<CapturedColumn>> columnsByInstance = new HashMap<>();
    /** Runs read-ahead queries on a second pooled connection. */
    private final ExecutorService readAheadPool;
    /** The page after a full one, being read while that one is written; null when none. */
    private ReadAhead readAhead;

    /**
     * Where the stream stands. Each poll acts on one phase; the fields below say in which phases they
     * mean something. Changed only by {@link #enter}.
     */
    enum Phase {
        /** This instance does not hold the table's lock: not acquired yet, held by another instance, or lost. */
        UNHELD,
        /** Held; the next poll reads the position from the checkpoint row (or {@code start_position}). */
        LOADING,
        /** Held, with the position of the last change written in memory. */
        STREAMING,
        /** Stopped for good in this run (data loss, position ahead, an oversized change); its lock was released. */
        STOPPED
    }

    /** Volatile, as the fields below marked so: read by {@link #status} from the metrics endpoint's thread. */
    private volatile Phase phase = Phase.UNHELD;
    /** The tenure of the table's lock: LOADING and STREAMING only. */
    private Lease lease;
    /** The last change written (flushed): STREAMING only. */
    private Position position;
    /** The position last saved to the checkpoint row by this tenure: STREAMING only. */
    private Position saved;
    /** The snapshot progress saved with {@link #saved}. */
    private SnapshotProgress savedSnapshot = SnapshotProgress.NONE;
    private Instant lastSave = Instant.EPOCH;
    private List<CaptureInstance> instances = List.of();
    private String currentInstance;
    private Instant nextPoll = Instant.EPOCH;
    /** Why the table stopped: STOPPED only. */
    private String stopReason;
    private volatile String lastProblem;
    /**
     * A poll failed since the position was last known good: before trusting the position in memory
     * again, the next poll compares it with the checkpoint table (which moves with the database).
     */
    private boolean recheck;
    /** {@code on_position_ahead=restart_from_earliest} deleted the checkpoint: start from the oldest change. */
    private boolean restartFromEarliest;
    /** The last poll read everything up to the upper bound. */
    private volatile boolean caughtUp;
    /*
     * The counters the stats line logs and the metrics endpoint reads: written by the streaming thread only (so
     * ++ on a volatile is exact), read without a lock.
     */
    private volatile long written;
    private long writtenSinceStats;
    private volatile long lines;
    private volatile long bytes;
    private volatile long checkpointSaves;
    /** Failed polls and permanent stops, by {@link ErrorKind} ordinal. */
    private final AtomicLongArray errors = new AtomicLongArray(ErrorKind.values().length);
    /** A checkpoint save failed: the SQLException on its way up is a {@link ErrorKind#CHECKPOINT} error. */
    private boolean checkpointFailed;
    private volatile Instant lastCommitTime;

    /**
     * The page after a full one, read from where that one ended up to the same bound.
     *
     * @param ci   the capture instance (with columns) it reads
     * @param from the position it reads strictly after; used only if the table is still there
     */
    private record ReadAhead(CaptureInstance ci, Position from, Lsn bound, Future<Page> page) {
    }

    TableStream(TableName table, StreamContext ctx, ExecutorService readAheadPool) {
        this.table = table;
        this.ctx = ctx;
        this.readAheadPool = readAheadPool;
        this.lockKey = new LockKey(ctx.config().serverName(), ctx.config().database(), table.schema(), table.table());
        this.backoff = new Backoff(ctx.config().pollInterval(), ctx.config().maxPollInterval());
        this.settling = new Settling(ctx.config().checkpointDelay());
        this.snapshot = new TableSnapshot(table, ctx);
    }

    TableName table() {
        return table;
    }

    boolean isDue(Instant now) {
        return phase != Phase.STOPPED && !now.isBefore(nextPoll);
    }

    Instant nextPoll() {
        return nextPoll;
    }

    /** True while the last poll failed (the table retries with backoff). */
    boolean isFailing() {
        return lastProblem != null;
    }

    boolean hasFailedPermanently() {
        return phase == Phase.STOPPED;
    }

    Phase phase() {
        return phase;
    }

    /**
     * For {@code snapshot_mode initial_only}: the table stopped, or it streams with no snapshot running and
     * the last snapshot progress saved (a restart would not snapshot it again).
     */
    boolean snapshotFinished() {
        return phase == Phase.STOPPED
                || (phase == Phase.STREAMING && !snapshot.running() && savedSnapshot.equals(snapshot.progress()));
    }

    /**
     * The one place the phase changes; STOPPED is final for the run. Leaving STREAMING forgets the position
     * and everything derived from it, a page read ahead included (a later poll reloads the position from the
     * checkpoint row, which another instance may have advanced).
     */
    private void enter(Phase next) {
        if (phase == Phase.STOPPED) {
            throw new IllegalStateException(table + " stopped for good; it cannot become " + next);
        }
        if (phase == Phase.STREAMING && next != Phase.STREAMING) {
            position = null;
            saved = null;
            savedSnapshot = SnapshotProgress.NONE;
            snapshot.forget();
            caughtUp = false;
            currentInstance = null;
            settling.clear();
            dropReadAhead();
        }
        phase = next;
    }

    /** True while this instance holds a valid lease on the table; notices (and logs) a lease that ended. */
    boolean holdsLease() {
        if (lease != null && lease.isValid()) {
            return true;
        }
        if (lease != null) {
            loseLease();
        }
        return false;
    }

    /**
     * Asks the locker for the table. Returns true when it is now ours; it is then due at once (its
     * checkpoint is reloaded: another instance may have advanced it while we did not hold the table).
     */
    boolean tryAcquire(Instant cycleNow) {
        if (phase == Phase.STOPPED) {
            return false; // stopped for good in this run: its lock stays free for another instance
        }
        Optional<Lease> acquired;
        try {
            acquired = ctx.locker().tryAcquire(lockKey);
        } catch (LockerException e) {
            errors.incrementAndGet(ErrorKind.LOCK.ordinal());
            LOG.warn("{}: cannot reach the lock service: {}; retrying", table, e.getMessage());
            scheduleIdle(cycleNow);
            return false;
        }
        if (acquired.isEmpty()) {
            scheduleIdle(cycleNow);
            return false;
        }
        lease = acquired.get();
        enter(Phase.LOADING);
        nextPoll = ctx.clock().instant();
        return true;
    }

    /** Takes this cycle's capture instances of the table (oldest first). */
    void instances(List<CaptureInstance> current) {
        instances = current == null ? List.of() : current;
        // an instance disabled and re-created under the same name gets a new change table (and maybe columns)
        columnsByInstance.keySet().removeIf(key -> instances.stream().noneMatch(ci -> columnsKey(ci).equals(key)));
    }

    private static String columnsKey(CaptureInstance ci) {
        return ci.name() + "#" + ci.objectId();
    }

    List<CaptureInstance> instances() {
        return instances;
    }

    /** True when the next poll reads the checkpoint row: to load the position, or to re-check it. */
    boolean readsCheckpoint() {
        return !instances.isEmpty() && (phase == Phase.LOADING || recheck);
    }

    /**
     * One poll: load the position if needed, detect purged data, choose the capture instance, and if
     * the probe says there may be changes, read one page and write it.
     *
     * @param maxLsn {@code sys.fn_cdc_get_max_lsn()} read before the probe; empty if nothing was captured yet
     * @param newest the probe's newest commit LSN per capture instance, or null if the probe failed
     * @param cycleNow the instant the cycle started, which the next poll is scheduled from: every table
     *                 polled in one cycle is rescheduled from it, so that tables with the same backoff stay
     *                 due together and keep sharing one cycle (and one probe) instead of drifting apart
     */
    void poll(Optional<Lsn> maxLsn, Map<String, Lsn> newest, Instant cycleNow) {
        try {
            if (lease.handOverRequested()) {
                handOver(cycleNow);
                return;
            }
            if (instances.isEmpty()) {
                retryLater(ErrorKind.CAPTURE_INSTANCE,
                        "it has no capture instance (CDC was disabled for it, or the table was dropped); "
                        + "enable it with sys.sp_cdc_enable_table", cycleNow);
                return;
            }
            if (phase == Phase.LOADING && (!loadPosition(cycleNow) || phase != Phase.STREAMING)) {
                return; // not established yet, or the lease went while saving the start position
            }
            if (recheck && !recheckPosition()) {
                return;
            }
            recheck = false;
            int index = chooseInstance();
            CaptureInstance ci = instances.get(index);
            if (aheadOf(maxLsn)) {
                positionAhead("its position " + position + " is after the newest change the database holds "
                        + "(sys.fn_cdc_get_max_lsn() = " + maxLsn.map(Lsn::toString).orElse("NULL") + ")");
                return;
            }
            if (dataLost(ci)) {
                return;
            }
            if (maxLsn.isEmpty()) {
                idle(null, ci, cycleNow);
                if (phase == Phase.STREAMING && snapshot.running()) {
                    snapshotStep(withColumns(ci), cycleNow, true); // nothing captured yet: nothing to stream first
                }
                return;
            }
            snapshot.beforeRead(ci);
            Lsn upper = maxLsn.get();
            Lsn bound = snapshot.clamp(Instances.upperBound(instances, index, upper));
            Lsn newestInCi = newest == null ? Lsn.MAX : newest.get(ci.name());
            boolean pending = bound.compareTo(position.nextNeededLsn()) >= 0
                    && newestInCi != null && newestInCi.compareTo(position.nextNeededLsn()) >= 0;
            CaptureInstance described = withColumns(ci);
            if (!pending) {
                idle(bound, ci, cycleNow);
            } else {
                readPage(described, bound, index < instances.size() - 1 && bound.compareTo(upper) < 0, cycleNow);
                recovered();
            }
            if (phase == Phase.STREAMING && snapshot.running()) {
                snapshotStep(described, cycleNow, caughtUp);
            }
        } catch (TableSnapshot.Refused e) {
            stopForGood(ErrorKind.SNAPSHOT_REFUSED, e.getMessage(), e.getMessage() + "; this table stops, the others go on");
        } catch (SQLException e) {
            retryLater(sqlErrorKind(), SqlAdvice.explain(e), cycleNow);
        } catch (UncheckedIOException e) {
            throw e; // stdout is gone: the whole process stops
        } catch (RuntimeException e) {
            // a value or catalog row this build does not understand: this table retries, the others go on
            retryLater(ErrorKind.UNEXPECTED, "unexpected error: " + String.valueOf(e).replace('\n', ' '), cycleNow);
        }
    }

    private boolean loadPosition(Instant cycleNow) throws SQLException {
        Optional<Checkpoint> checkpoint = ctx.source().checkpoint(table);
        CaptureInstance oldest = instances.get(0);
        StartFrom from = restartFromEarliest ? StartFrom.EARLIEST : StartPosition.startFrom(ctx.config());
        StartPosition start = StartPosition.of(checkpoint, from, ctx.latestStart(), oldest);
        if (start.position().isEmpty()) {
            retryLater(ErrorKind.CAPTURE_INSTANCE, "the validity interval of capture instance " + oldest.name()
                    + " is not established yet (sys.fn_cdc_get_min_lsn returns NULL or 0; is the capture job running?)", cycleNow);
            return false;
        }
        position = start.position().get();
        enter(Phase.STREAMING);
        SnapshotProgress progress = checkpoint.map(Checkpoint::snapshot).orElse(SnapshotProgress.NONE);
        if (checkpoint.isEmpty() && ctx.config().snapshotMode() != SnapshotMode.NEVER && !restartFromEarliest) {
            progress = progress.restart(ctx.clock().instant());
        }
        snapshot.load(progress);
        restartFromEarliest = false;
        switch (start.kind()) {
            case CHECKPOINT -> {
                saved = position;
                savedSnapshot = snapshot.progress();
                LOG.info("{}: resuming after checkpoint {}{}", table, position,
                        snapshot.running() ? "; " + snapshot.progress() : "");
            }
            case LATEST -> {
                LOG.info(snapshot.running()
                        ? "{}: no checkpoint; snapshot_mode {}: snapshotting its rows, streaming changes committed after {}"
                        : "{}: no checkpoint; start_position {}: streaming changes committed after {}", table,
                        snapshot.running() ? ConfigKeys.spelling(ctx.config().snapshotMode()) : "latest", position);
                save(position, oldest.name(), position.commitLsn(), snapshot.progress()); // a restart must not move "latest" past changes
            }
            case EARLIEST -> LOG.info("{}: no checkpoint; start_position earliest: streaming from the oldest retained change, "
                    + "LSN {} of {}", table, oldest.startLsn(), oldest.name());
        }
        Instant requested = checkpoint.map(Checkpoint::snapshotRequested).orElse(null);
        if (requested != null && phase == Phase.STREAMING) {
            startRequestedSnapshot(requested);
        }
        return true;
    }

    /**
     * After a failed poll (a dropped connection, a failover, a restart of the server): the database may
     * not be the one the position in memory was read from. The checkpoint table lives in that database,
     * so a row behind what this instance saved means the database went back in time; a row ahead of
     * the position means another writer advanced it, and it is taken. Returns false when the table
     * must not go on with this poll.
     */
    private boolean recheckPosition() throws SQLException {
        Optional<Checkpoint> row = ctx.source().checkpoint(table);
        if (row.isEmpty()) {
            if (saved != null) {
                // the row (or the whole checkpoint table) was deleted: nothing to compare with; a database that
                // went back in time is still caught by the position check against sys.fn_cdc_get_max_lsn()
                LOG.warn("{}: its checkpoint row is gone although this instance saved {}; saving the position {} again",
                        table, saved, position);
                saved = null;
                lastSave = Instant.EPOCH;
            }
            return true;
        }
        Position stored = row.get().position();
        if (saved != null && stored.compareTo(saved) < 0) {
            positionAhead("its checkpoint row holds " + stored + " although this instance saved " + saved);
            return false;
        }
        if (stored.compareTo(position) > 0) {
            LOG.info("{}: resuming after checkpoint {} (ahead of {} in memory)", table, stored, position);
            settling.clear();
            dropReadAhead();
            position = stored;
            saved = stored;
            snapshot.load(row.get().snapshot()); // the writer that advanced it also moved the snapshot on
            savedSnapshot = snapshot.progress();
        }
        return true;
    }

    /**
     * True when the position is after the newest change the database holds (or it holds none): the
     * database went back in time. A position before the oldest capture instance's start (nothing
     * read yet) is not checked: an instance enabled after the last captured change starts above
     * {@code sys.fn_cdc_get_max_lsn()}.
     */
    private boolean aheadOf(Optional<Lsn> maxLsn) {
        Lsn start = instances.get(0).startLsn();
        return Instances.established(start) && position.nextNeededLsn().compareTo(start) > 0
                && maxLsn.map(max -> position.commitLsn().compareTo(max) > 0).orElse(true);
    }

    /** A new connection was opened: the next poll re-checks the position against the checkpoint table. */
    void reconnected() {
        recheck = phase == Phase.STREAMING;
    }

    /**
     * The {@code snapshot} command asked for a new snapshot of this table (seen by the streamer's periodic
     * check): it starts now, the stream goes on from where it stands.
     */
    void snapshotRequested(Instant at) {
        if (phase != Phase.STREAMING || instances.isEmpty()) {
            return; // taken when the table's checkpoint row is next loaded
        }
        try {
            startRequestedSnapshot(at);
        } catch (SQLException e) {
            retryLater(sqlErrorKind(), SqlAdvice.explain(e), ctx.clock().instant());
        }
    }

    /**
     * Starts a snapshot the {@code snapshot} command asked for, dropping a chunk in flight. Saved as started
     * before the request is taken, so that a crash in between only asks again.
     */
    private void startRequestedSnapshot(Instant at) throws SQLException {
        snapshot.load(snapshot.progress().restart(ctx.clock().instant()));
        save(position, instances.get(Instances.choose(instances, position)).name(), null, snapshot.progress());
        ctx.source().takeSnapshotRequest(table, at);
        LOG.info("{}: a snapshot was requested at {}; snapshotting its rows again while streaming on from {}", table, at, position);
    }

    /** The database now answering is another one (restored, re-created) than the one the position came from. */
    void databaseReplaced(String before, String now) {
        if (phase != Phase.STREAMING) {
            return; // not streamed here: the position is loaded from the new database's checkpoint table
        }
        try {
            positionAhead("the database's identity (database_guid/recovery_fork_guid) changed from " + before + " to " + now);
        } catch (SQLException e) {
            retryLater(sqlErrorKind(), SqlAdvice.explain(e), ctx.clock().instant()); // between cycles: scheduled from now
        }
    }

    /** Reports a database that went back in time and follows {@code on_position_ahead}. */
    private void positionAhead(String reason) throws SQLException {
        String what = table + ": the database went back in time: " + reason + ". Was it restored from a backup, "
                + "failed over to a lagging replica, or re-created? Reading on from the position would skip every change below it";
        if (ctx.config().onPositionAhead() == PositionAheadPolicy.RESTART_FROM_EARLIEST) {
            errors.incrementAndGet(ErrorKind.POSITION_AHEAD.ordinal());
            LOG.error("{}; on_position_ahead=restart_from_earliest: deleting its checkpoint and streaming again from its "
                    + "oldest retained change (consumers see those changes again)", what);
            ctx.source().deleteCheckpoint(table);
            enter(Phase.LOADING);
            restartFromEarliest = true;
            recheck = false;
            nextPoll = ctx.clock().instant();
            return;
        }
        stopForGood(ErrorKind.POSITION_AHEAD, what, what
                + "; on_position_ahead=fail: this table stops, the others go on. If the database was restored "
                + "or failed over on purpose, re-snapshot the table downstream, then set on_position_ahead to restart_from_earliest "
                + "or delete its checkpoint row (command destroy with confirm_destroy)");
    }

    /**
     * The capture instance holding the next change: the newest whose validity interval starts at or
     * before it. With two instances (a schema change in progress) the old one is read up to the new
     * one's start LSN and the new one from there: no gap, no duplicate.
     */
    private int chooseInstance() {
        int chosen = Instances.choose(instances, position);
        String name = instances.get(chosen).name();
        if (currentInstance != null && !currentInstance.equals(name)) {
            LOG.info("{}: switching from capture instance {} to {} at LSN {}", table, currentInstance, name, position.nextNeededLsn());
        } else if (currentInstance == null) {
            LOG.info("{}: reading capture instance {}", table, name);
        }
        currentInstance = name;
        return chosen;
    }

    private boolean dataLost(CaptureInstance ci) throws SQLException {
        Lsn min = ci.startLsn();
        if (!Instances.established(min) || position.nextNeededLsn().compareTo(min) >= 0) {
            return false;
        }
        String what = table + ": changes may have been lost before they were read: the position " + position
                + " is older than the oldest change capture instance " + ci.name() + " still holds (sys.fn_cdc_get_min_lsn = " + min
                + "), so changes between them, if there were any, can no longer be read. Either CDC cleanup (retention) "
                + "removed them, or an older capture instance of the table was disabled, while this table was not streamed";
        if (ctx.config().onDataLoss() == DataLossPolicy.RESUME) {
            errors.incrementAndGet(ErrorKind.DATA_LOSS.ordinal());
            LOG.error("{}; on_data_loss=resume: continuing from {} - the changes in between, if any, are LOST", what, min);
            position = Position.before(min);
            snapshot.dropInFlight(); // their windows would miss the changes skipped
            return false;
        }
        stopForGood(ErrorKind.DATA_LOSS, what, what
                + "; on_data_loss=fail: this table stops. To go on, re-snapshot the table downstream, then "
                + "either set on_data_loss to resume or delete its checkpoint row (command destroy with confirm_destroy)");
        return true;
    }

    private CaptureInstance withColumns(CaptureInstance ci) throws SQLException {
        List<CapturedColumn> columns = columnsByInstance.get(columnsKey(ci));
        if (columns == null) {
            columns = ci.columns().isEmpty() ? ctx.source().capturedColumns(ci) : ci.columns(); // the catalog read them
            columnsByInstance.put(columnsKey(ci), columns);
            LOG.info("{}: capture instance {} captures {}", table, ci.name(), columns.stream().map(CapturedColumn::name).toList());
        }
        return ci.withColumns(columns);
    }

    private void readPage(CaptureInstance ci, Lsn upTo, boolean boundIsSwitch, Instant cycleNow) throws SQLException {
        int limit = ctx.config().maxRowsPerQuery();
        Position from = position;
        Lsn bound = upTo;
        Page page = null;
        ReadAhead ahead = takeReadAhead();
        if (ahead != null && ahead.ci().equals(ci) && ahead.from().equals(from) && ahead.bound().compareTo(upTo) <= 0) {
            page = result(ahead);
            bound = ahead.bound(); // an older upper bound: still exact, everything below it was committed
        }
        if (page == null) {
            bound = upTo;
            page = ctx.source().read(ci, from, bound, limit);
        }
        if (page.full() && page.last() != null) {
            // the next page is read on another connection while this one is formatted, written and saved
            Position next = page.last();
            Lsn b = bound;
            readAhead = new ReadAhead(ci, next, bound,
                    readAheadPool.submit(() -> ctx.source().read(ci, next, b, limit)));
        }
        if (!write(ci, page)) {
            return;
        }
        if (!page.full()) {
            // everything up to the bound was read: later queries start after it, and an old capture instance is done
            position = position.max(Position.afterCommit(bound));
        }
        reached(ci.name(), bound, !page.changes().isEmpty());
        caughtUp = !page.full() && bound.equals(upTo);
        if (page.full() || boundIsSwitch || !bound.equals(upTo)) {
            nextPoll = ctx.clock().instant(); // the next page, or the next capture instance, right away
            backoff.reset();
        } else if (page.changes().isEmpty()) {
            nextPoll = cycleNow.plus(backoff.idle());
        } else {
            nextPoll = cycleNow.plus(backoff.reset());
        }
    }

    private ReadAhead takeReadAhead() {
        ReadAhead ahead = readAhead;
        readAhead = null;
        return ahead;
    }

    /** The read-ahead page, or null if its query failed (the page is then read again, and fails visibly). */
    private Page result(ReadAhead ahead) {
        try {
            return ahead.page().get();
        } catch (ExecutionException e) {
            LOG.debug("{}: reading ahead failed ({}); reading the page again", table, e.getCause().toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Drops a page read ahead: the position it started from no longer holds. */
    private void dropReadAhead() {
        ReadAhead ahead = takeReadAhead();
        if (ahead != null) {
            ahead.page().cancel(false);
        }
    }

    /**
     * Writes the page's lines; false when the lease was lost or the table stopped before an oversized change
     * (nothing more is written or saved).
     */
    private boolean write(CaptureInstance ci, Page page) {
        if (page.changes().isEmpty()) {
            if (page.last() != null) {
                position = position.max(page.last());
            }
            return true;
        }
        snapshot.observe(page.changes());
        if (!emit(ctx.format().lines(table, ci.name(), page.changes()))) {
            return false;
        }
        position = position.max(page.last());
        Change last = page.changes().get(page.changes().size() - 1);
        if (last.commitTime() != null) {
            lastCommitTime = last.commitTime();
        }
        return true;
    }

    /**
     * Writes the lines, each moving the position to what it covers; false when the lease was lost or the
     * table stopped before an oversized change.
     */
    private boolean emit(Formatted formatted) {
        for (OutputLine line : formatted.lines()) {
            if (lease == null || !lease.isValid()) {
                loseLease();
                return false;
            }
            try {
                ctx.out().write(line.bytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to stdout", e);
            }
            position = position.max(line.covers());
            written += line.changes();
            lines++;
            bytes += line.bytes().length + 1L; // and the newline
            writtenSinceStats += line.changes();
        }
        if (formatted.stoppedBefore().isPresent()) {
            stopBefore(formatted.stoppedBefore().get());
            return false;
        }
        return true;
    }

    /**
     * The snapshot's part of a poll, once the stream has read what the poll could: the next chunk, if the
     * stream reached its high watermark, is written (at that watermark, before any later change) and saved
     * with the position; with the stream caught up, another chunk is read (up to
     * {@link TableSnapshot#CHUNKS_IN_FLIGHT} wait for their watermarks at once).
     */
    private void snapshotStep(CaptureInstance ci, Instant cycleNow, boolean atLiveEdge) throws SQLException, TableSnapshot.Refused {
        List<Change> rows = snapshot.due(position);
        if (rows != null) {
            if (!rows.isEmpty() && !emit(ctx.format().lines(table, ci.name(), rows))) {
                return;
            }
            snapshot.written(rows.size());
            reached(ci.name(), null, true);
            if (!snapshot.running()) {
                LOG.info("{}: {}; streaming its changes", table, snapshot.progress());
                return;
            }
            nextPoll = ctx.clock().instant(); // the next chunk, once the stream read what came meanwhile
            backoff.reset();
            return;
        }
        if (atLiveEdge && snapshot.mayStartChunk()) {
            // the stream first: a chunk is read at the live edge, where its rows wait least
            if (!snapshot.startChunk(ci, position)) {
                LOG.info("{}: {}; streaming its changes", table, snapshot.progress());
                reached(ci.name(), null, true);
                return;
            }
            backoff.reset();
            if (snapshot.mayStartChunk()) {
                nextPoll = ctx.clock().instant(); // the next chunk right away, while this one's watermark is captured
                return;
            }
        }
        if (snapshot.inWindow()) {
            nextPoll = earliest(nextPoll, ctx.clock().instant().plus(snapshot.nextWait()));
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * {@code oversized_change}: the table stops for good before a change too long for a line. Its checkpoint is
     * not moved past it, so that a restart stops there again instead of skipping it.
     */
    private void stopBefore(OversizedChange change) {
        stopForGood(ErrorKind.OVERSIZED, change.problem(), change.problem()
                + ". This table stops before it: nothing of it was written and its "
                + "checkpoint does not pass it (a restart stops here again); the other tables go on. To go on, " + change.fix());
    }

    private void idle(Lsn bound, CaptureInstance ci, Instant cycleNow) throws SQLException {
        if (bound != null) {
            position = position.max(Position.afterCommit(bound));
        }
        reached(ci.name(), bound, false);
        nextPoll = cycleNow.plus(backoff.idle());
        caughtUp = bound != null;
        recovered();
    }

    /**
     * Records the position reached now, then saves the newest one that has settled: at once when it
     * covers written lines, else (an idle table following the upper bound) once per heartbeat.
     */
    private void reached(String captureInstance, Lsn bound, boolean lines) throws SQLException {
        Instant now = ctx.clock().instant();
        settling.reached(new Settling.Entry(now, position, captureInstance, bound, lines, snapshot.progress()));
        boolean heartbeatDue = Duration.between(lastSave, now).compareTo(ctx.config().heartbeatInterval()) >= 0;
        saveSettled(now, heartbeatDue);
    }

    /** Saves the newest settled position if it is after the saved one and covers written lines (or {@code anyway}). */
    private void saveSettled(Instant now, boolean anyway) throws SQLException {
        Settling.Settled settled = settling.settled(now);
        if (settled == null) {
            return;
        }
        Settling.Entry e = settled.entry();
        if (saved != null && !e.after(saved, savedSnapshot)) {
            settling.taken();
        } else if (settled.lines() || anyway) {
            save(e.position(), e.captureInstance(), e.bound(), e.snapshot());
            settling.taken();
        }
    }

    private void save(Position p, String captureInstance, Lsn bound, SnapshotProgress progress) throws SQLException {
        if (lease == null || !lease.isValid()) {
            loseLease();
            return;
        }
        try {
            ctx.source().save(table, p, captureInstance, bound, progress);
        } catch (SQLException e) {
            checkpointFailed = true;
            throw e;
        }
        checkpointSaves++;
        saved = p;
        savedSnapshot = progress;
        lastSave = ctx.clock().instant();
    }

    private void retryLater(ErrorKind kind, String problem, Instant cycleNow) {
        errors.incrementAndGet(kind.ordinal());
        recheck = phase == Phase.STREAMING;
        caughtUp = false;
        Duration wait = backoff.idle();
        if (!problem.equals(lastProblem)) {
            LOG.warn("{}: {}; retrying in {} while the other tables keep streaming", table, problem, wait);
            lastProblem = problem;
        }
        nextPoll = cycleNow.plus(wait);
    }

    /** Reschedules after a poll that did nothing (lock held elsewhere, lock service down). */
    void scheduleIdle(Instant cycleNow) {
        nextPoll = cycleNow.plus(backoff.idle());
    }

    /** A poll failed before reaching this table (the cycle's shared queries). */
    void failedCycle(String problem, Instant cycleNow) {
        retryLater(ErrorKind.QUERY, problem, cycleNow);
    }

    /** The kind of the SQLException being handled: a failed checkpoint save, or another statement. */
    private ErrorKind sqlErrorKind() {
        ErrorKind kind = checkpointFailed ? ErrorKind.CHECKPOINT : ErrorKind.QUERY;
        checkpointFailed = false;
        return kind;
    }

    private void recovered() {
        if (lastProblem != null && phase != Phase.STOPPED) {
            LOG.info("{}: recovered; streaming again from {}", table, position);
            lastProblem = null;
        }
    }

    /**
     * The locker asks this instance to give the table up (the instances spread their tables): read nothing more,
     * checkpoint what was written once it has settled ({@code checkpoint_delay}), then release the lease, so that
     * the instance taking the table starts right after the last line written here rather than replaying from an
     * older checkpoint, and never while a write of this instance is still blocked (a full stdout pipe).
     */
    private void handOver(Instant cycleNow) throws SQLException {
        dropReadAhead();
        if (phase == Phase.STREAMING) {
            Instant now = ctx.clock().instant();
            Instant settled = settling.allSettledAt();
            if (settled != null && now.isBefore(settled)) {
                nextPoll = settled;   // lines written less than checkpoint_delay ago: released once they settle
                return;
            }
            saveSettled(now, true);
        }
        LOG.info("{}: handed over{}", table, saved == null ? "" : " after checkpoint " + saved);
        releaseLease();
        enter(Phase.UNHELD);
        scheduleIdle(cycleNow);
    }

    /** The lease ended (the locker logged why); the next acquire reloads the checkpoint. */
    private void loseLease() {
        lease = null;
        enter(Phase.UNHELD);
    }

    /**
     * Shutdown: this table writes nothing more; what has settled is checkpointed (lines written less
     * than {@code checkpoint_delay} ago are not: whatever reads stdout may not have them yet). Its
     * lease is released with all others by the locker.
     */
    void stopWriting() {
        if (lease != null && lease.isValid()) {
            try {
                saveSettled(ctx.clock().instant(), true);
            } catch (SQLException e) {
                LOG.warn("{}: could not save its settled checkpoint at shutdown ({}); a restart resumes from {}", table,
                        SqlAdvice.explain(e), saved);
            }
        }
        lease = null;
        if (phase != Phase.STOPPED) {
            enter(Phase.UNHELD);
        }
    }

    /**
     * A permanent failure: the table writes nothing more in this run (the process exits 1 once no table is
     * left) and its lock is released; another instance that takes it meets the same problem and says so.
     */
    private void stopForGood(ErrorKind kind, String problem, String errorLine) {
        errors.incrementAndGet(kind.ordinal());
        stopReason = problem;
        LOG.error(errorLine);
        releaseLease();
        enter(Phase.STOPPED);
    }

    private void releaseLease() {
        if (lease != null) {
            lease.release();
            lease = null;
        }
    }

    /** Logs this table's statistics since the last call. */
    void logStats(String period) {
        Optional<Duration> lag = lag(ctx.clock().instant());
        String lagText = lag.isEmpty() ? "unknown" : lag.get().isZero() && caughtUp ? "0s (caught up)" : lag.get().toSeconds() + "s";
        if (phase == Phase.STOPPED) {
            LOG.info("{}: stopped ({}); {} changes written", table, stopReason, written);
        } else if (phase != Phase.STREAMING) {
            LOG.info("{}: not streamed by this instance now ({}); {} changes written in the last {} ({} in total)", table,
                    phase == Phase.UNHELD ? "its lock is not held" : "its position is not loaded yet", writtenSinceStats, period, written);
        } else if (lastProblem != null) {
            LOG.info("{}: failing ({}); {} changes written in the last {} ({} in total), position {}", table, lastProblem,
                    writtenSinceStats, period, written, position);
        } else {
            LOG.info("{}: {} changes written in the last {} ({} in total), position {}, lag {}{}",
                    table, writtenSinceStats, period, written, position, lagText,
                    snapshot.progress().state() == SnapshotProgress.State.NONE ? "" : "; " + snapshot.describe());
        }
        writtenSinceStats = 0;
    }

    /**
     * How far behind the database the stream is: zero when its last poll read everything up to the upper bound
     * (caught up), else the time since the commit of the last change it wrote; empty when that is unknown (nothing
     * written yet in this process) or the table is not streamed here. The stats line and the metrics both say this.
     */
    Optional<Duration> lag(Instant now) {
        if (phase != Phase.STREAMING) {
            return Optional.empty();
        }
        if (caughtUp) {
            return Optional.of(Duration.ZERO);
        }
        Instant commit = lastCommitTime;
        if (commit == null) {
            return Optional.empty();
        }
        Duration behind = Duration.between(commit, now);
        return Optional.of(behind.isNegative() ? Duration.ZERO : behind);
    }

    /** What this table's stream has done and where it stands; safe from any thread (see {@link TableStatus}). */
    TableStatus status() {
        Map<ErrorKind, Long> byKind = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            long n = errors.get(kind.ordinal());
            if (n > 0) {
                byKind.put(kind, n);
            }
        }
        return new TableStatus(table, TableStatus.State.valueOf(phase.name()), lastProblem != null, written, lines, bytes,
                checkpointSaves, byKind, Optional.ofNullable(lastCommitTime), lag(ctx.clock().instant()), backoff.last(),
                snapshot.progress(), snapshot.estimatedRows());
    }
}
