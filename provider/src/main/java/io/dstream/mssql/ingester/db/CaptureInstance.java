package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Lsn;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One row of {@code cdc.change_tables}: a capture instance of a source table.
 *
 * @param name       the capture instance name (not necessarily {@code schema_table})
 * @param source     the source table
 * @param objectId   the change table's object id (the key of {@code cdc.captured_columns})
 * @param startLsn   the low end of its validity interval ({@code fn_cdc_get_min_lsn}); moved forward by
 *                   cleanup; null while SQL Server has not established it yet
 * @param createDate when it was created: orders the (at most two) instances of one table
 * @param columns    captured columns in ordinal order (empty until loaded)
 */
public record CaptureInstance(String name, TableName source, int objectId, Lsn startLsn, LocalDateTime createDate,
                              List<CapturedColumn> columns) {

    public CaptureInstance {
        columns = List.copyOf(columns);
    }

    public CaptureInstance withColumns(List<CapturedColumn> loaded) {
        return new CaptureInstance(name, source, objectId, startLsn, createDate, loaded);
    }

    /** {@code [cdc].[<name>_CT]}, bracket-quoted. */
    public String changeTable() {
        return "[cdc]." + TableName.quote(name + "_CT");
    }

    public List<String> columnNames() {
        return columns.stream().map(CapturedColumn::name).toList();
    }
}
