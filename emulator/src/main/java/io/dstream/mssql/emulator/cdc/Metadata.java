package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.DatabaseContext;
import io.dstream.mssql.emulator.engine.SqlType;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables {@code sys.sp_cdc_enable_db} creates in schema {@code cdc}, with SQL Server's column order,
 * plus the emulator's staging table (row images written by the capture trigger inside the writing
 * transaction, read by the capture process after commit).
 */
final class Metadata {

    static final String CHANGE_TABLES = "change_tables";
    static final String CAPTURED_COLUMNS = "captured_columns";
    static final String INDEX_COLUMNS = "index_columns";
    static final String DDL_HISTORY = "ddl_history";
    static final String LSN_TIME_MAPPING = "lsn_time_mapping";
    /** Not a SQL Server object: the emulator's stand-in for the transaction log records CDC reads. */
    static final String STAGING = "emulator_log_records";

    static final SqlType SYSNAME = SqlType.sized(Kind.NVARCHAR, 128);
    static final SqlType BINARY10 = SqlType.sized(Kind.BINARY, 10);
    static final SqlType INT = SqlType.of(Kind.INT);
    static final SqlType BIT = SqlType.of(Kind.BIT);
    static final SqlType DATETIME = SqlType.of(Kind.DATETIME);

    // VARCHAR_IGNORECASE: names compare case-insensitively, as under SQL Server's default collation.
    private static final List<String> CREATE = List.of(
            "CREATE SCHEMA " + q(CDC),
            "CREATE TABLE " + q(CDC, CHANGE_TABLES) + " (\"object_id\" INT NOT NULL, \"version\" INT, "
                    + "\"source_object_id\" INT, \"capture_instance\" VARCHAR_IGNORECASE(128) NOT NULL, "
                    + "\"start_lsn\" BINARY(10), \"end_lsn\" BINARY(10), \"supports_net_changes\" BOOLEAN, "
                    + "\"has_drop_pending\" BOOLEAN, \"role_name\" VARCHAR_IGNORECASE(128), "
                    + "\"index_name\" VARCHAR_IGNORECASE(128), \"filegroup_name\" VARCHAR_IGNORECASE(128), "
                    + "\"create_date\" TIMESTAMP(3), \"partition_switch\" BOOLEAN NOT NULL)",
            "CREATE TABLE " + q(CDC, CAPTURED_COLUMNS) + " (\"object_id\" INT NOT NULL, "
                    + "\"column_name\" VARCHAR_IGNORECASE(128) NOT NULL, \"column_id\" INT, "
                    + "\"column_type\" VARCHAR_IGNORECASE(128) NOT NULL, \"column_ordinal\" INT NOT NULL, "
                    + "\"is_computed\" BOOLEAN)",
            "CREATE TABLE " + q(CDC, INDEX_COLUMNS) + " (\"object_id\" INT NOT NULL, "
                    + "\"column_name\" VARCHAR_IGNORECASE(128) NOT NULL, \"index_ordinal\" TINYINT NOT NULL, "
                    + "\"column_id\" INT NOT NULL)",
            "CREATE TABLE " + q(CDC, DDL_HISTORY) + " (\"source_object_id\" INT, \"object_id\" INT NOT NULL, "
                    + "\"required_column_update\" BOOLEAN, \"ddl_command\" VARCHAR, \"ddl_lsn\" BINARY(10) NOT NULL, "
                    + "\"ddl_time\" TIMESTAMP(3))",
            "CREATE TABLE " + q(CDC, LSN_TIME_MAPPING) + " (\"start_lsn\" BINARY(10) NOT NULL, "
                    + "\"tran_begin_time\" TIMESTAMP(3), \"tran_end_time\" TIMESTAMP(3), \"tran_id\" VARBINARY(10), "
                    + "\"tran_begin_lsn\" BINARY(10))",
            "CREATE TABLE " + q(CDC, STAGING) + " (\"session_id\" INT NOT NULL, \"seq\" BIGINT NOT NULL, "
                    + "\"source_schema\" VARCHAR NOT NULL, \"source_table\" VARCHAR NOT NULL, "
                    + "\"operation\" CHAR(1) NOT NULL, \"key_changed\" BOOLEAN NOT NULL, "
                    + "\"before_image\" VARBINARY, \"after_image\" VARBINARY, \"seqval\" BINARY(10) NOT NULL, "
                    + "\"seqval2\" BINARY(10))",
            // Indexes, not constraints: SQL Server's catalog shows no constraint objects for these tables.
            "CREATE UNIQUE INDEX " + q(CDC, "lsn_time_mapping_clustered_idx") + " ON " + q(CDC, LSN_TIME_MAPPING)
                    + " (\"start_lsn\")",
            "CREATE UNIQUE INDEX " + q(CDC, STAGING + "_idx") + " ON " + q(CDC, STAGING)
                    + " (\"session_id\", \"seq\")",
            // SQL Server's clustered keys of these two: the per-instance lookups, and the join of every
            // instance with its columns, are then seeks instead of one scan per instance (O(instances²))
            "CREATE INDEX " + q(CDC, "change_tables_clustered_idx") + " ON " + q(CDC, CHANGE_TABLES) + " (\"object_id\")",
            "CREATE INDEX " + q(CDC, "captured_columns_clustered_idx") + " ON " + q(CDC, CAPTURED_COLUMNS)
                    + " (\"object_id\", \"column_ordinal\")");

    private Metadata() {
    }

    static void create(Connection connection, DatabaseContext database) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
        }
        database.declareTable(CDC, CHANGE_TABLES, List.of(
                new Column("object_id", INT, false), new Column("version", INT, true),
                new Column("source_object_id", INT, true), new Column("capture_instance", SYSNAME, false),
                new Column("start_lsn", BINARY10, true), new Column("end_lsn", BINARY10, true),
                new Column("supports_net_changes", BIT, true), new Column("has_drop_pending", BIT, true),
                new Column("role_name", SYSNAME, true), new Column("index_name", SYSNAME, true),
                new Column("filegroup_name", SYSNAME, true), new Column("create_date", DATETIME, true),
                new Column("partition_switch", BIT, false)));
        database.declareTable(CDC, CAPTURED_COLUMNS, List.of(
                new Column("object_id", INT, false), new Column("column_name", SYSNAME, false),
                new Column("column_id", INT, true), new Column("column_type", SYSNAME, false),
                new Column("column_ordinal", INT, false), new Column("is_computed", BIT, true)));
        database.declareTable(CDC, INDEX_COLUMNS, List.of(
                new Column("object_id", INT, false), new Column("column_name", SYSNAME, false),
                new Column("index_ordinal", SqlType.of(Kind.TINYINT), false), new Column("column_id", INT, false)));
        database.declareTable(CDC, DDL_HISTORY, List.of(
                new Column("source_object_id", INT, true), new Column("object_id", INT, false),
                new Column("required_column_update", BIT, true),
                new Column("ddl_command", SqlType.sized(Kind.NVARCHAR, SqlType.MAX), true),
                new Column("ddl_lsn", BINARY10, false), new Column("ddl_time", DATETIME, true)));
        database.declareTable(CDC, LSN_TIME_MAPPING, List.of(
                new Column("start_lsn", BINARY10, false), new Column("tran_begin_time", DATETIME, true),
                new Column("tran_end_time", DATETIME, true),
                new Column("tran_id", SqlType.sized(Kind.VARBINARY, 10), true),
                new Column("tran_begin_lsn", BINARY10, true)));
    }

    static void drop(Connection connection, DatabaseContext database) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + q(CDC) + " CASCADE");
        }
        for (String t : List.of(CHANGE_TABLES, CAPTURED_COLUMNS, INDEX_COLUMNS, DDL_HISTORY, LSN_TIME_MAPPING)) {
            database.forget(CDC, t);
        }
    }
}
