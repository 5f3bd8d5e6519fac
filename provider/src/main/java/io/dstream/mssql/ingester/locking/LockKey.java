package io.dstream.mssql.ingester.locking;

import java.util.Objects;

/**
 * What one lock protects: one source table of one database on one server. Two keys are equal
 * only when all four parts are, so that tables of the same name elsewhere never share a lock.
 */
public record LockKey(String server, String database, String schema, String table) {

    public LockKey {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /**
     * {@code schema.table}, as every other log line spells the table: one process streams one database,
     * whose server and name the "config loaded" line states.
     */
    @Override
    public String toString() {
        return schema + "." + table;
    }
}
