package io.dstream.mssql.bench.workload;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The tables the scenarios use, and enabling CDC on them the way a DBA does on SQL Server. */
public final class BenchSchema {

    /**
     * Ten columns of the types a typical OLTP table mixes, so that the drain exercises the
     * provider's value conversion (decimal scale, datetime2 precision, uniqueidentifier case,
     * float repr, bit) and not only integers.
     */
    static final String MIXED_COLUMNS = "(id int NOT NULL PRIMARY KEY, name nvarchar(40) NOT NULL, qty int NOT NULL, "
            + "price decimal(12,2) NOT NULL, ratio float NULL, created datetime2(3) NOT NULL, active bit NOT NULL, "
            + "code uniqueidentifier NOT NULL, note varchar(100) NULL, total bigint NOT NULL)";

    /** The latency table: the id is what the reader matches arrivals on. */
    static final String LATENCY_COLUMNS = "(id int NOT NULL PRIMARY KEY, payload nvarchar(100) NOT NULL, created datetime2(3) NOT NULL)";

    /** The idle tables only need to exist with CDC on; nothing is ever written to them. */
    static final String IDLE_COLUMNS = "(id int NOT NULL PRIMARY KEY, v int NULL)";

    /** The capture-lag tables: {@code tx} is the bench's transaction number, matched with its commit LSN. */
    static final String CAPTURE_COLUMNS = "(id bigint NOT NULL PRIMARY KEY, tx bigint NOT NULL, payload nvarchar(40) NOT NULL)";

    static final String ENABLE_DB = "EXEC sys.sp_cdc_enable_db";

    /** @role_name = NULL: no gating role, as in most quick starts; the bench reads as the owner anyway. */
    static final String ENABLE_TABLE = "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'%s', @role_name = NULL";

    public static final String LATENCY_TABLE = "bench_latency";

    /** The snapshot scenario's table: the drain's columns, its rows written before CDC is enabled. */
    public static final String SNAPSHOT_TABLE = "bench_snap";

    private BenchSchema() {
    }

    public static String backlogTable(int index) {
        return "bench_" + index;
    }

    public static String captureTable(int index) {
        return String.format("cap_%03d", index);
    }

    public static String idleTable(int index) {
        return String.format("idle_%03d", index);
    }

    /** The capture instance SQL Server names by default: {@code <schema>_<table>}. */
    public static String captureInstance(String table) {
        return "dbo_" + table;
    }

    /** Creates {@code count} mixed-type tables bench_1..bench_count with CDC on; returns their names. */
    public static List<String> createBacklogTables(Connection c, int count) throws SQLException {
        return create(c, 1, count, BenchSchema::backlogTable, MIXED_COLUMNS);
    }

    /** Creates idle_&lt;first&gt;..idle_&lt;last&gt; with CDC on; returns their names. */
    public static List<String> createIdleTables(Connection c, int first, int last) throws SQLException {
        return create(c, first, last, BenchSchema::idleTable, IDLE_COLUMNS);
    }

    /** Creates cap_001..cap_&lt;count&gt; with CDC on; returns their names. */
    public static List<String> createCaptureTables(Connection c, int count) throws SQLException {
        return create(c, 1, count, BenchSchema::captureTable, CAPTURE_COLUMNS);
    }

    /** Creates {@link #SNAPSHOT_TABLE} without CDC: its rows are written first, as a table that existed before CDC. */
    public static void createSnapshotTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            enableDatabase(s);
            s.execute("CREATE TABLE dbo." + SNAPSHOT_TABLE + " " + MIXED_COLUMNS);
        }
    }

    /** Enables CDC on a dbo table, as a DBA does. */
    public static void enableCdc(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(String.format(ENABLE_TABLE, table));
        }
    }

    /**
     * The peer scenario's marker: a CDC table with one row, outside the backlog, so that Debezium's
     * initial snapshot has a record to commit its offset with before the backlog is written.
     */
    public static final String PEER_MARKER_TABLE = "peer_marker";

    public static void createPeerMarkerTable(Connection c) throws SQLException {
        create(c, 1, 1, i -> PEER_MARKER_TABLE, IDLE_COLUMNS);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO dbo." + PEER_MARKER_TABLE + " (id, v) VALUES (1, 1)");
        }
    }

    public static void createLatencyTable(Connection c) throws SQLException {
        create(c, 1, 1, i -> LATENCY_TABLE, LATENCY_COLUMNS);
    }

    /**
     * One batch for all the tables: a CREATE TABLE and an sp_cdc_enable_table each. A round trip
     * per statement made a thousand tables cost two thousand of them.
     */
    private static List<String> create(Connection c, int first, int last, java.util.function.IntFunction<String> name,
                                       String columns) throws SQLException {
        List<String> tables = new ArrayList<>();
        StringBuilder batch = new StringBuilder();
        for (int i = first; i <= last; i++) {
            String table = name.apply(i);
            batch.append("CREATE TABLE dbo.").append(table).append(' ').append(columns).append(";\n")
                    .append(String.format(ENABLE_TABLE, table)).append(";\n");
            tables.add(table);
        }
        try (Statement s = c.createStatement()) {
            enableDatabase(s);
            if (!tables.isEmpty()) {
                // Walk every result of the batch: the driver raises an error of a later statement only when reaching it.
                boolean resultSet = s.execute(batch.toString());
                while (resultSet || s.getUpdateCount() != -1) {
                    resultSet = s.getMoreResults();
                }
            }
        }
        return tables;
    }

    private static void enableDatabase(Statement s) throws SQLException {
        try (var rs = s.executeQuery("SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()")) {
            if (rs.next() && rs.getBoolean(1)) {
                return;
            }
        }
        s.execute(ENABLE_DB);
    }
}
