package io.dstream.mssql.ingester;

import io.dstream.mssql.ingester.cdc.CheckpointStore;
import io.dstream.mssql.ingester.cdc.Watermark;
import io.dstream.mssql.ingester.config.SnapshotMode;
import io.dstream.mssql.ingester.config.Command;
import io.dstream.mssql.ingester.config.ConfigKeys;
import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.db.SqlAdvice;
import io.dstream.mssql.ingester.db.TableResolver;
import io.dstream.mssql.ingester.locking.Locker;
import io.dstream.mssql.ingester.locking.LockerException;
import io.dstream.mssql.ingester.locking.Lockers;
import io.dstream.mssql.ingester.locking.NoLocker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What startup established before the handshake: the tables are resolved, the locker is open (the configured
 * one for {@code run} and {@code status}; a {@link NoLocker} for the commands that neither stream nor report
 * locks), the server's UTC offset and the maximum LSN are known.
 *
 * @param maxLsn {@code sys.fn_cdc_get_max_lsn()} read before {@code {"status":"ready"}}: where
 *               {@code start_position latest} starts; empty when nothing was captured yet
 * @param watermark the snapshot's watermark table: created and CDC-enabled for {@code run} and {@code init}
 *                  unless {@code snapshot_mode} is {@code never}
 */
record Startup(TableResolver.Resolution resolution, ZoneOffset serverOffset, Locker locker, boolean checkpointTableExists,
               Optional<Lsn> maxLsn, Watermark watermark) {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    /**
     * Resolves the tables, reads the server's UTC offset and the maximum LSN, creates the checkpoint table
     * ({@code run}, {@code init}) and opens the locker ({@code run}, {@code status}). Each step is entered
     * in {@code progress}, for the watchdog.
     *
     * @throws StartupException with what to fix
     */
    static Startup prepare(Database db, ProviderConfig config, Command command, StartupProgress progress)
            throws StartupException {
        TableResolver.Resolution resolution;
        ZoneOffset offset;
        boolean checkpointTableExists;
        Optional<Lsn> maxLsn;
        Watermark watermark;
        CheckpointStore store = new CheckpointStore(config.checkpointTable());
        try {
            db.check();
            progress.enter(StartupProgress.Step.RESOLVING_TABLES, config.tables().size() + " table(s)");
            resolution = db.with(c -> TableResolver.resolve(c, config.database(), config.tables()));
            if (!resolution.problems().isEmpty()) {
                throw new StartupException(String.join("; ", resolution.problems()));
            }
            progress.enter(StartupProgress.Step.READING_SERVER_STATE, config.database());
            offset = db.with(Catalog::serverOffset);
            // read before the handshake: start_position latest means "after what was captured when we said ready"
            maxLsn = db.with(Catalog::maxLsn);
            progress.enter(StartupProgress.Step.CHECKPOINT_TABLE, store.table().toString());
            checkpointTableExists = (command == Command.RUN || command == Command.INIT || command == Command.SNAPSHOT)
                    ? db.with(c -> {
                        if (store.createIfMissing(c)) {
                            LOG.info("created the checkpoint table {}", store.table());
                        }
                        return true;
                    })
                    : db.with(store::existsWithSnapshotColumns);
            watermark = new Watermark(config.snapshotWatermarkTable(), offset);
            if (((command == Command.RUN || command == Command.INIT) && config.snapshotMode() != SnapshotMode.NEVER)
                    || command == Command.SNAPSHOT) {
                progress.enter(StartupProgress.Step.CHECKPOINT_TABLE, watermark.table().toString());
                db.with(c -> {
                    watermark.prepare(c);
                    return null;
                });
            }
        } catch (SQLException e) {
            throw new StartupException("cannot use database " + config.database() + " at " + config.target().address()
                    + ": " + SqlAdvice.explain(e, config.target()));
        }
        Locker locker = new NoLocker();
        if (command == Command.RUN || command == Command.STATUS) {
            try {
                progress.enter(StartupProgress.Step.OPENING_LOCK_SERVICE, "lock_config.type " + ConfigKeys.spelling(config.lockConfig().type()));
                locker = Lockers.open(config.lockConfig());
            } catch (LockerException e) {
                throw new StartupException(e.getMessage().startsWith("lock_config") ? e.getMessage() : "lock_config: " + e.getMessage());
            }
        }
        return new Startup(resolution, offset, locker, checkpointTableExists, maxLsn, watermark);
    }
}
