package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.locking.Locker;
import io.dstream.mssql.ingester.output.ChangeFormat;
import io.dstream.mssql.ingester.output.Stdout;

import java.time.Clock;
import java.util.Optional;

/**
 * What every table's stream shares: config, the database (for the streamer's queries shared by all tables),
 * the {@link TableSource} each table reads and saves through, locker, output and time.
 *
 * @param latestStart {@code sys.fn_cdc_get_max_lsn()} read before the handshake: where a table
 *                    without a checkpoint starts under {@code start_position latest}, so that a change
 *                    committed after {@code {"status":"ready"}} is never skipped; empty when nothing had
 *                    been captured yet (then every change is after the start)
 */
public record StreamContext(ProviderConfig config, Database database, Locker locker, TableSource source,
                            ChangeFormat format, Stdout out, Pacer pacer, Optional<Lsn> latestStart) {

    public Clock clock() {
        return pacer.clock();
    }
}
