package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.Probe;
import io.dstream.mssql.ingester.config.ConfigKeys;
import io.dstream.mssql.ingester.config.SnapshotMode;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.db.SqlAdvice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The capture loop. Each cycle, for the tables whose poll is due:
 * <ol>
 * <li>read the upper bound ({@code sys.fn_cdc_get_max_lsn()});</li>
 * <li>make sure each table's lease is held;</li>
 * <li>probe all their change tables in one query; the capture-instance catalog is re-read only when
 * the probe contradicts it (or fails), when a due table is failing, or every {@link #CATALOG_REFRESH};</li>
 * <li>read the checkpoint rows of the tables that start (or re-check their position) in one query;</li>
 * <li>let each table with possible changes read one page, write it and save its checkpoint.</li>
 * </ol>
 * The catalog (every capture instance with its columns) is one query too: a cycle's statements do not
 * grow with the number of tables, except for the pages read and the checkpoints saved.
 * Between cycles it sleeps until the next table is due, or until {@link #stop()}.
 */
public final class Streamer {

    /** The log-context key (SLF4J MDC) naming the table a log line is about: a field of JSON log lines. */
    public static final String TABLE_LOG_FIELD = "table";

    private static final Logger LOG = LoggerFactory.getLogger(Streamer.class);
    /** Time per cycle for asking the lock service for tables we do not hold. */
    private static final Duration ACQUIRE_BUDGET = Duration.ofSeconds(1);
    /** Polls due this close together share one cycle (and one probe). */
    private static final Duration MAX_SLACK = Duration.ofMillis(250);
    /**
     * The capture-instance catalog is re-read at least this often. Everything the streamer must react
     * to is noticed earlier by the probe (a new or removed instance, a moved or re-created validity
     * interval, a dropped change table) or by a failing table; this only bounds how long a change the
     * probe cannot see (a renamed source table) goes unnoticed. An idle cycle is then two statements.
     */
    static final Duration CATALOG_REFRESH = Duration.ofMinutes(1);

    /** How a run ended. */
    public enum Outcome {
        /** stopped on request; every written line is checkpointed or will be re-sent */
        STOPPED,
        /** every table failed permanently (data loss with on_data_loss=fail) */
        ALL_TABLES_FAILED,
        /** stdout is gone: nobody reads us any more */
        OUTPUT_FAILED,
        /** snapshot_mode initial_only: every table's snapshot is done and checkpointed */
        SNAPSHOTS_DONE
    }

    private final StreamContext ctx;
    private final List<TableStream> tables = new ArrayList<>();
    private final Object wakeUp = new Object();
    private volatile boolean stopping;
    private Instant nextStats;
    /** When the checkpoint table is next asked for {@code snapshot} requests (once per heartbeat interval). */
    private Instant nextRequestCheck;
    private final Duration slack;
    /**
     * One thread reading a table's next page (on a second pooled connection) while the current page
     * is formatted and written: a drain then takes the longer of reading and writing, not their sum.
     * Daemon: a read in flight at shutdown must not keep the process alive.
     */
    private final ExecutorService readAhead = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "read-ahead");
        t.setDaemon(true);
        return t;
    });
    /** Every capture instance, or null when they must be read again. */
    private Catalog.CaptureInstances catalog;
    private Instant catalogReadAt = Instant.EPOCH;
    /** {@link Database#connectionsOpened()} when the identity was last read; -1 before the first cycle. */
    private long connectionsSeen = -1;
    /** The database's identity ({@link Catalog#identity}), or null while unknown. */
    private String identity;

    public Streamer(StreamContext ctx, List<TableName> tables) {
        this.ctx = ctx;
        Duration quarter = ctx.config().pollInterval().dividedBy(4);
        this.slack = quarter.compareTo(MAX_SLACK) < 0 ? quarter : MAX_SLACK;
        tables.forEach(t -> this.tables.add(new TableStream(t, ctx, readAhead)));
    }

    /** Every table's counters and state, for the metrics endpoint; safe from any thread. */
    public List<TableStatus> status() {
        return tables.stream().map(TableStream::status).toList();
    }

    /** Asks the loop to stop after the page in hand; safe from any thread. */
    public void stop() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    public Outcome run() {
        nextStats = ctx.clock().instant().plus(ctx.config().statsInterval());
        nextRequestCheck = ctx.clock().instant().plus(ctx.config().heartbeatInterval());
        try {
            while (!stopping) {
                if (tables.stream().allMatch(TableStream::hasFailedPermanently)) {
                    LOG.error("every table failed permanently; stopping");
                    return Outcome.ALL_TABLES_FAILED;
                }
                if (ctx.config().snapshotMode() == SnapshotMode.INITIAL_ONLY
                        && tables.stream().allMatch(TableStream::snapshotFinished)) {
                    LOG.info("snapshot_mode initial_only: every table's snapshot is done and checkpointed; stopping");
                    return Outcome.SNAPSHOTS_DONE;
                }
                Instant now = ctx.clock().instant();
                // tables due within the slack join this cycle: one probe for all of them instead of one each
                Instant soon = now.plus(slack);
                List<TableStream> due = tables.stream().filter(t -> t.isDue(soon)).toList();
                if (due.isEmpty()) {
                    sleepUntilNextPoll(now);
                } else {
                    checkSnapshotRequests(now);
                    cycle(due, now);
                }
                logStatsIfDue();
            }
            return Outcome.STOPPED;
        } catch (UncheckedIOException e) {
            LOG.error("stdout failed ({}); stopping: checkpoints cover only what was written", e.getCause().getMessage());
            return Outcome.OUTPUT_FAILED;
        } finally {
            // no table writes after this; Locker.close() then releases every lease at once, bounded in time
            tables.forEach(TableStream::stopWriting);
            readAhead.shutdown();
        }
    }

    /** @param now when the cycle started: every table it polls is rescheduled from this one instant */
    private void cycle(List<TableStream> due, Instant now) {
        Optional<Lsn> upper;
        boolean catalogRead = false;
        try {
            upper = ctx.database().with(Catalog::maxLsn);
            checkIdentity();
            if (catalog == null || !now.isBefore(catalogReadAt.plus(CATALOG_REFRESH))
                    || due.stream().anyMatch(TableStream::isFailing)) {
                readCatalog(now);
                catalogRead = true;
            }
        } catch (SQLException e) {
            catalog = null;
            String problem = "cannot poll: " + SqlAdvice.explain(e);
            due.forEach(t -> t.failedCycle(problem, now));
            return;
        }
        List<TableStream> owned = new ArrayList<>();
        List<TableStream> unheld = new ArrayList<>();
        for (TableStream t : due) {
            if (t.holdsLease()) {
                owned.add(t);
            } else {
                unheld.add(t);
            }
        }
        assignInstances(owned);
        Probe.Result seen = owned.isEmpty() ? null : probe(owned);
        if (!owned.isEmpty() && !catalogRead && (seen == null || seen.contradicts(probed(owned), catalog.instances()))) {
            try {
                readCatalog(now);
            } catch (SQLException e) {
                catalog = null;
                String problem = "cannot poll: " + SqlAdvice.explain(e);
                due.forEach(t -> t.failedCycle(problem, now));
                return;
            }
            assignInstances(owned);
            seen = probe(owned);
        }
        Map<String, Lsn> newest = seen == null ? null : seen.newest();
        prefetchCheckpoints(owned);
        try {
            for (TableStream t : owned) {
                if (stopping) {
                    return;
                }
                try (MDC.MDCCloseable table = MDC.putCloseable(TABLE_LOG_FIELD, t.table().toString())) {
                    t.poll(upper, newest, now);
                }
            }
        } finally {
            ctx.source().forgetPrefetched();
        }
        acquire(unheld, now);
    }

    /**
     * Once per heartbeat interval, one statement: has the {@code snapshot} command asked for a new snapshot of
     * a table this instance streams? (A table loading its checkpoint row sees a request there itself.)
     */
    private void checkSnapshotRequests(Instant now) {
        if (now.isBefore(nextRequestCheck)) {
            return;
        }
        nextRequestCheck = now.plus(ctx.config().heartbeatInterval());
        List<TableStream> streaming = tables.stream().filter(t -> t.phase() == TableStream.Phase.STREAMING).toList();
        if (streaming.isEmpty()) {
            return;
        }
        try {
            Map<TableName, Instant> requests = ctx.source().snapshotRequests(streaming.stream().map(TableStream::table).toList());
            streaming.stream().filter(t -> requests.containsKey(t.table())).forEach(t -> t.snapshotRequested(requests.get(t.table())));
        } catch (SQLException e) {
            LOG.debug("reading snapshot requests failed ({}); asking again next heartbeat", SqlAdvice.explain(e));
        }
    }

    /**
     * Reads in one statement the checkpoint rows of the tables about to read theirs (just acquired, or
     * re-checking after a reconnect), so that starting 1,000 tables costs one statement, not 1,000. A
     * single table reads its own row, as it would anyway; if the shared read fails, each table reads
     * its own and reports what fails.
     */
    private void prefetchCheckpoints(List<TableStream> owned) {
        List<TableName> reading = owned.stream().filter(TableStream::readsCheckpoint).map(TableStream::table).toList();
        if (reading.size() < 2) {
            return;
        }
        try {
            ctx.source().prefetchCheckpoints(reading);
        } catch (SQLException e) {
            LOG.debug("reading {} checkpoint rows at once failed ({}); each table reads its own", reading.size(),
                    SqlAdvice.explain(e));
        }
    }

    /**
     * Asks the locker for the tables we do not hold, after the held ones were served, and within a
     * budget: a slow or unreachable lock service must not delay the tables we hold (their leases are
     * checked at every cycle, so that a lost one stops being written at once).
     */
    private void acquire(List<TableStream> unheld, Instant cycleNow) {
        Instant budgetEnd = ctx.clock().instant().plus(ACQUIRE_BUDGET);
        for (TableStream t : unheld) {
            if (stopping) {
                return;
            }
            if (ctx.clock().instant().isAfter(budgetEnd)) {
                t.scheduleIdle(cycleNow); // next cycle
            } else {
                try (MDC.MDCCloseable table = MDC.putCloseable(TABLE_LOG_FIELD, t.table().toString())) {
                    t.tryAcquire(cycleNow);
                }
            }
        }
    }

    /**
     * After a new connection (a restarted server, a failover, a dropped connection), the database now
     * answering may not be the one the positions were read from: each table re-checks its position
     * against its checkpoint row, and a changed identity (a restore, a re-created database) is the
     * database going back in time for every table.
     */
    private void checkIdentity() throws SQLException {
        long opened = ctx.database().connectionsOpened();
        if (opened == connectionsSeen) {
            return;
        }
        boolean first = connectionsSeen < 0;
        String now = ctx.database().with(Catalog::identity);
        connectionsSeen = opened; // only once read: a failed read is tried again next cycle
        if (!first) {
            tables.forEach(TableStream::reconnected);
            if (identity != null && now != null && !identity.equals(now)) {
                LOG.error("database {} is not the one the positions were read from: its identity "
                        + "(database_guid/recovery_fork_guid) was {} and is now {}", ctx.config().database(), identity, now);
                tables.forEach(t -> t.databaseReplaced(identity, now));
            }
        }
        if (now != null) {
            identity = now;
        }
    }

    private void readCatalog(Instant now) throws SQLException {
        catalog = ctx.database().with(Catalog::captureCatalog);
        catalogReadAt = now;
    }

    private void assignInstances(List<TableStream> owned) {
        owned.forEach(t -> t.instances(catalog.of(t.table())));
    }

    private static List<CaptureInstance> probed(List<TableStream> owned) {
        return owned.stream().flatMap(t -> t.instances().stream()).toList();
    }

    /** What the probe saw, or null if it failed (every table then reads). */
    private Probe.Result probe(List<TableStream> owned) {
        List<CaptureInstance> all = probed(owned);
        try {
            return ctx.database().with(c -> Probe.probe(c, all));
        } catch (SQLException e) {
            LOG.debug("probe failed ({}); querying each table", SqlAdvice.explain(e));
            return null;
        }
    }

    private void sleepUntilNextPoll(Instant now) {
        Instant next = tables.stream().filter(t -> !t.hasFailedPermanently()).map(TableStream::nextPoll)
                .min(Instant::compareTo).orElse(now.plusSeconds(1));
        if (next.isAfter(nextStats)) {
            next = nextStats;
        }
        synchronized (wakeUp) {
            if (stopping) {
                return;
            }
            try {
                ctx.pacer().waitUntil(wakeUp, next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    private void logStatsIfDue() {
        Instant now = ctx.clock().instant();
        if (now.isBefore(nextStats)) {
            return;
        }
        tables.forEach(t -> t.logStats(ctx.config().get(ConfigKeys.STATS_INTERVAL).text()));
        nextStats = now.plus(ctx.config().statsInterval());
    }
}
