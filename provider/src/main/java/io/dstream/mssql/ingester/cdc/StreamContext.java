package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.db.Database;
import io.dstream.mssql.ingester.locking.Locker;
import io.dstream.mssql.ingester.output.ChangeFormat;
import io.dstream.mssql.ingester.output.Stdout;

import java.time.Clock;

/** What every table's stream shares: config, database, locker, output, checkpoint store and clock. */
public record StreamContext(ProviderConfig config, Database database, Locker locker, ChangeReader reader,
                            CheckpointStore checkpoints, ChangeFormat format, Stdout out, Clock clock) {
}
