package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.DatabaseContext;
import io.dstream.mssql.emulator.engine.DatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL Server's change data capture for every database of the emulator: the {@code sys.sp_cdc_*}
 * procedures, the {@code cdc} schema, the {@code sys.fn_cdc_*} and per-instance functions, and an
 * asynchronous capture process per database that turns committed changes into change rows after
 * {@code captureLatency}, like SQL Server's capture job.
 */
public final class CdcFeature implements DatabaseExtension, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcFeature.class);

    private final Map<String, CdcDatabase> databases = new ConcurrentHashMap<>();
    private volatile Duration captureLatency;
    private volatile boolean paused;

    public CdcFeature(Duration captureLatency) {
        this.captureLatency = checkLatency(captureLatency);
    }

    @Override
    public void install(DatabaseContext database) {
        CdcDatabase db = new CdcDatabase(database, captureLatency);
        if (paused) {
            db.capture.pause();
        }
        CdcDatabase previous = databases.put(key(database.name()), db);
        if (previous != null) {
            previous.close();
        }
        database.addTransactionListener(db);
        database.setCdcFlags(db);
        new CdcProcedures(db).register();
        // fn_cdc_get_max_lsn must exist (and raise 208) even before sp_cdc_enable_db.
        try (Connection c = database.newConnection()) {
            db.createSystemFunctions(c);
        } catch (SQLException e) {
            LOG.warn("sys.fn_cdc_* functions of database {} not created yet (will be at sp_cdc_enable_db): {}",
                    database.name(), e.toString());
        }
        if (database.persistent()) {
            try {
                CdcRecovery.recover(db);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot recover the CDC state of database " + database.name()
                        + " from the data directory: " + e.getMessage(), e);
            }
        }
    }

    /** Stops the capture job of every database: committed changes wait, nothing is lost. */
    public void pauseCapture() {
        paused = true;
        databases.values().forEach(db -> db.capture.pause());
    }

    public void resumeCapture() {
        paused = false;
        databases.values().forEach(db -> db.capture.resume());
    }

    public void setCaptureLatency(Duration latency) {
        captureLatency = checkLatency(latency);
        databases.values().forEach(db -> db.capture.setLatency(latency));
    }

    /** True when every transaction committed before the call is in the change tables (of every database). */
    public boolean awaitCaptured(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CdcDatabase db : List.copyOf(databases.values())) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!db.capture.awaitCaptured(Duration.ofNanos(left))) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Retention cleanup of every capture instance of the database with this low water mark, as
     * {@code sys.sp_cdc_cleanup_change_table} does: each instance's minimum LSN rises to {@code lsn}
     * (never falls) and change rows below it are deleted.
     */
    public void purgeBelow(String database, byte[] lsn) {
        CdcDatabase db = databases.get(key(database));
        if (db == null) {
            throw new IllegalArgumentException("no database " + database + " (known: " + databases.keySet() + ")");
        }
        if (!db.enabled()) {
            throw CdcErrors.cleanupNotEnabled(db.name());
        }
        Lsn mark = Lsn.fromBytes(Objects.requireNonNull(lsn, "lsn"));
        try {
            db.capture.exclusive(() -> {
                try (Connection c = db.context.newConnection()) {
                    for (CaptureInstance ci : db.instances()) {
                        Cleanup.apply(c, ci, mark);
                    }
                    Cleanup.pruneMapping(c);
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("CDC cleanup of " + database + " below " + mark + " failed", e);
        }
    }

    @Override
    public void close() {
        databases.values().forEach(CdcDatabase::close);
        databases.clear();
    }

    private static String key(String database) {
        return database.toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration checkLatency(Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("capture latency must be zero or positive, got " + latency);
        }
        return latency;
    }
}
