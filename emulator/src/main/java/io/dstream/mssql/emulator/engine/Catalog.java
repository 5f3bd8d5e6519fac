package io.dstream.mssql.emulator.engine;

import java.nio.ByteBuffer;
import java.util.UUID;

import io.dstream.mssql.emulator.engine.CatalogSnapshot.ColumnInfo;
import io.dstream.mssql.emulator.engine.CatalogSnapshot.Index;
import io.dstream.mssql.emulator.engine.CatalogSnapshot.TableRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.tools.SimpleResultSet;

/**
 * SQL Server's catalog views ({@code sys.tables}, {@code sys.columns}, …, and the
 * {@code INFORMATION_SCHEMA} views with SQL Server's type names), computed on each query from H2's
 * own metadata plus the declared types, object ids and CDC flags the engine keeps. Each view is an
 * H2 view over a Java table function, so it is always in step with DDL.
 */
public final class Catalog {

    /** The sys views, in creation order. */
    static final List<String> VIEWS = List.of("databases", "schemas", "tables", "views", "columns", "types", "objects",
            "indexes", "index_columns", "__information_schema_tables", "__information_schema_columns",
            "database_recovery_status", "dm_server_services", "partitions");

    static final Set<String> INFORMATION_SCHEMA_VIEWS = Set.of("TABLES", "COLUMNS");

    /** H2 schemas that are not SQL Server objects. */
    private static final Set<String> HIDDEN_SCHEMAS = Set.of("INFORMATION_SCHEMA", "PUBLIC");

    private static final String H2_ROUTINES = "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.ROUTINES "
            + "WHERE ROUTINE_SCHEMA NOT IN ('sys', 'INFORMATION_SCHEMA', 'PUBLIC')";

    private Catalog() {
    }

    /**
     * Creates schemas dbo and sys, the function aliases and the catalog views in a new database;
     * in a database opened again from disk, replaces the views, which name this run's database number.
     */
    static void install(Connection c, int databaseId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"dbo\"");
            s.execute("CREATE SCHEMA IF NOT EXISTS \"sys\"");
            s.execute("CREATE SCHEMA IF NOT EXISTS \"guest\"");
            // rowversion values: database-wide, increasing; SQL Server's first values are around 2000
            s.execute("CREATE SEQUENCE IF NOT EXISTS \"sys\".\"__rowversion\" START WITH 2001");
            for (String[] alias : Functions.ALIASES) {
                s.execute("CREATE ALIAS IF NOT EXISTS \"sys\".\"" + alias[0] + "\" FOR '" + Functions.class.getName() + "." + alias[1] + "'");
            }
            s.execute("CREATE ALIAS IF NOT EXISTS \"sys\".\"__catalog\" FOR '" + Catalog.class.getName() + ".view'");
            for (String view : VIEWS) {
                s.execute(viewDefinition(databaseId, view));
            }
        }
    }

    /**
     * The view over the table function. Text columns compare case-insensitively, as they do under
     * SQL Server's default collation ({@code WHERE name = 'Orders'} finds {@code orders}).
     */
    private static String viewDefinition(int databaseId, String view) throws SQLException {
        ResultSet columns = rows(null, databaseId, view, true).resultSet();
        java.sql.ResultSetMetaData md = columns.getMetaData();
        List<String> select = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = Translator.quote(md.getColumnName(i));
            select.add(switch (md.getColumnType(i)) {
                case Types.VARCHAR -> "CAST(" + name + " AS VARCHAR_IGNORECASE(128)) AS " + name;
                case Types.BINARY -> "CAST(" + name + " AS UUID) AS " + name; // a table function cannot return UUIDs
                default -> name;
            });
        }
        return "CREATE OR REPLACE VIEW \"sys\".\"" + view + "\" AS SELECT " + String.join(", ", select)
                + " FROM \"sys\".\"__catalog\"(" + databaseId + ", '" + view + "')";
    }

    /**
     * Views already materialised by the H2 statement running on this thread, while the engine runs
     * one (see {@link #statement()}). H2 evaluates a view's table function again for every row of the
     * table it is joined from ({@code cdc.change_tables JOIN sys.tables}: once per capture instance),
     * so without this a join with a catalog view costs O(tables²).
     */
    private static final ThreadLocal<Map<String, Rows>> STATEMENT_VIEWS = new ThreadLocal<>();

    /** How many times a view's rows were computed (test hook: a join must not recompute them per row). */
    private static final AtomicLong MATERIALIZED = new AtomicLong();

    /**
     * Opens the scope of one H2 statement: each catalog view it reads is materialised once. Scoped
     * to one statement, so the next statement sees DDL made in between; nested scopes share the outer one.
     */
    static StatementScope statement() {
        if (STATEMENT_VIEWS.get() != null) {
            return () -> { };
        }
        STATEMENT_VIEWS.set(new HashMap<>());
        return STATEMENT_VIEWS::remove;
    }

    /** The scope {@link #statement()} opened; closing it forgets the views it materialised. */
    @FunctionalInterface
    interface StatementScope extends AutoCloseable {
        @Override
        void close();
    }

    /** The table function behind every catalog view. */
    public static ResultSet view(Connection c, int databaseId, String view) throws SQLException {
        if (c.getMetaData().getURL().startsWith("jdbc:columnlist")) {
            return rows(c, databaseId, view, true).resultSet();
        }
        Map<String, Rows> memo = STATEMENT_VIEWS.get();
        String key = databaseId + "." + view;
        Rows rows = memo == null ? null : memo.get(key);
        if (rows == null) {
            MATERIALIZED.incrementAndGet();
            rows = rows(c, databaseId, view, false);
            if (memo != null) {
                memo.put(key, rows);
            }
        }
        return rows.resultSet();
    }

    static long materialized() {
        return MATERIALIZED.get();
    }

    private static Rows rows(Connection c, int databaseId, String view, boolean columnsOnly) throws SQLException {
        return switch (view) {
            case "databases" -> databases(databaseId, columnsOnly);
            case "schemas" -> schemas(databaseId, columnsOnly);
            case "tables" -> tables(c, databaseId, columnsOnly, "BASE TABLE");
            case "views" -> tables(c, databaseId, columnsOnly, "VIEW");
            case "objects" -> objects(c, databaseId, columnsOnly);
            case "columns" -> columns(c, databaseId, columnsOnly);
            case "types" -> types();
            case "indexes" -> indexes(c, databaseId, columnsOnly, false);
            case "index_columns" -> indexes(c, databaseId, columnsOnly, true);
            case "__information_schema_tables" -> infoTables(c, databaseId, columnsOnly);
            case "__information_schema_columns" -> infoColumns(c, databaseId, columnsOnly);
            case "database_recovery_status" -> recoveryStatus(databaseId, columnsOnly);
            case "dm_server_services" -> serverServices(columnsOnly);
            case "partitions" -> partitions(c, databaseId, columnsOnly);
            default -> throw new SQLException("unknown catalog view " + view);
        };
    }

    // ---------------------------------------------------------------- views

    private static Rows databases(int databaseId, boolean columnsOnly) {
        Rows r = new Rows().text("name").integer("database_id").integer("source_database_id").time("create_date")
                .integer("compatibility_level").text("collation_name").integer("user_access").text("user_access_desc")
                .bit("is_read_only").integer("state").text("state_desc").integer("recovery_model")
                .text("recovery_model_desc").integer("snapshot_isolation_state").bit("is_read_committed_snapshot_on")
                .bit("is_cdc_enabled").bit("is_broker_enabled");
        if (!columnsOnly) {
            for (H2Database db : H2Database.byId(databaseId).engine().sortedDatabases()) {
                r.add(db.name(), db.databaseId(), null, db.createDate(), 160,
                        "SQL_Latin1_General_CP1_CI_AS", 0, "MULTI_USER", false, 0, "ONLINE", 1, "FULL", 0, false,
                        db.cdcFlags().databaseEnabled(), false);
            }
        }
        return r;
    }

    /**
     * One row per database (as for a login that may see them all): {@code database_guid} is new for
     * each database created, so a re-created database is told apart from the one it replaced; a
     * database is never restored here, so its recovery fork is the first one.
     */
    private static Rows recoveryStatus(int databaseId, boolean columnsOnly) {
        Rows r = new Rows().integer("database_id").uuid("database_guid").uuid("family_guid").uuid("recovery_fork_guid")
                .uuid("first_recovery_fork_guid");
        if (!columnsOnly) {
            for (H2Database db : H2Database.byId(databaseId).engine().sortedDatabases()) {
                r.add(db.databaseId(), db.databaseGuid(), db.databaseGuid(), db.databaseGuid(), db.databaseGuid());
            }
        }
        return r;
    }

    /** When the emulator's classes were loaded: the services' last start. */
    private static final java.time.OffsetDateTime STARTED = java.time.OffsetDateTime.now();

    /**
     * The database engine and SQL Server Agent, both running with automatic start: CDC's capture and
     * cleanup jobs are Agent jobs, so readers (Debezium) check the Agent's row before they stream.
     */
    private static Rows serverServices(boolean columnsOnly) {
        Rows r = new Rows().text("servicename").integer("startup_type").text("startup_type_desc").integer("status")
                .text("status_desc").integer("process_id").offsetTime("last_startup_time").text("service_account")
                .text("filename").text("is_clustered").text("cluster_nodename").text("instant_file_initialization_enabled");
        if (!columnsOnly) {
            long pid = ProcessHandle.current().pid();
            r.add("SQL Server (MSSQLSERVER)", 2, "Automatic", 4, "Running", (int) pid, STARTED, "NT Service\\MSSQLSERVER",
                    "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
                    "N", "", "Y");
            r.add("SQL Server Agent (MSSQLSERVER)", 2, "Automatic", 4, "Running", (int) pid, STARTED,
                    "NT Service\\SQLSERVERAGENT",
                    "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE\" -i MSSQLSERVER",
                    "N", "", "N");
        }
        return r;
    }

    private static Rows schemas(int databaseId, boolean columnsOnly) {
        Rows r = new Rows().text("name").integer("schema_id").integer("principal_id");
        if (!columnsOnly) {
            H2Database db = H2Database.byId(databaseId);
            for (String schema : db.schemaNames()) {
                if (!HIDDEN_SCHEMAS.contains(schema)) {
                    r.add(schema, db.schemaIdOf(schema), 1);
                }
            }
            r.add("INFORMATION_SCHEMA", 3, 3);
        }
        return r;
    }

    private static Rows tables(Connection c, int databaseId, boolean columnsOnly, String type) throws SQLException {
        Rows r = new Rows().text("name").integer("object_id").integer("principal_id").integer("schema_id")
                .integer("parent_object_id").text("type").text("type_desc").time("create_date").time("modify_date")
                .bit("is_ms_shipped").bit("is_published").bit("is_schema_published");
        boolean tables = type.equals("BASE TABLE");
        if (tables) {
            r.integer("lob_data_space_id").integer("max_column_id_used").bit("uses_ansi_nulls").bit("is_replicated")
                    .bit("is_tracked_by_cdc").integer("temporal_type").bit("is_memory_optimized").bit("is_external");
        }
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        CatalogSnapshot snapshot = db.catalogSnapshot(c);
        for (TableRef t : snapshot.tables(c)) {
            if (t.view() == tables) {
                continue;
            }
            int objectId = db.idFor(t.schema(), t.name());
            LocalDateTime created = db.objectCreateDate(objectId);
            List<Object> values = new ArrayList<>(List.of(t.name(), objectId));
            values.add(null);
            values.addAll(List.of(db.schemaIdOf(t.schema()), 0, tables ? "U" : "V", tables ? "USER_TABLE" : "VIEW",
                    created, created, isShipped(t.schema()), false, false));
            if (tables) {
                values.addAll(List.of(0, snapshot.columns(c, t).size(), true, false,
                        db.cdcFlags().tableTracked(t.schema(), t.name()), 0, false, false));
            }
            r.add(values.toArray());
        }
        return r;
    }

    /** SQL Server marks the objects CDC creates (schema cdc) as shipped by Microsoft. */
    private static boolean isShipped(String schema) {
        return schema.equals("cdc");
    }

    private static Rows objects(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().text("name").integer("object_id").integer("principal_id").integer("schema_id")
                .integer("parent_object_id").text("type").text("type_desc").time("create_date").time("modify_date")
                .bit("is_ms_shipped").bit("is_published").bit("is_schema_published");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        CatalogSnapshot snapshot = db.catalogSnapshot(c);
        for (TableRef t : snapshot.tables(c)) {
            int objectId = db.idFor(t.schema(), t.name());
            LocalDateTime created = db.objectCreateDate(objectId);
            r.add(t.name(), objectId, null, db.schemaIdOf(t.schema()), 0, t.view() ? "V" : "U",
                    t.view() ? "VIEW" : "USER_TABLE", created, created, isShipped(t.schema()), false, false);
            for (Index k : t.view() ? List.<Index>of() : snapshot.indexes(c, t)) {
                if (k.kind() != Index.Kind.INDEX) {
                    boolean primary = k.kind() == Index.Kind.PRIMARY_KEY;
                    r.add(k.name(), db.idFor(t.schema(), k.name()), null, db.schemaIdOf(t.schema()), objectId,
                            primary ? "PK" : "UQ", primary ? "PRIMARY_KEY_CONSTRAINT" : "UNIQUE_CONSTRAINT", created,
                            created, isShipped(t.schema()), false, false);
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(H2_ROUTINES)) {
            while (rs.next()) {
                int objectId = db.idFor(rs.getString(1), rs.getString(2));
                boolean tableValued = "RESULT SET".equalsIgnoreCase(rs.getString(3)) || rs.getString(3) == null;
                LocalDateTime created = db.objectCreateDate(objectId);
                r.add(rs.getString(2), objectId, null, db.schemaIdOf(rs.getString(1)), 0, tableValued ? "IF" : "FN",
                        tableValued ? "SQL_INLINE_TABLE_VALUED_FUNCTION" : "SQL_SCALAR_FUNCTION", created, created,
                        isShipped(rs.getString(1)), false, false);
            }
        }
        return r;
    }

    /**
     * The columns of one table, any case of its name (for {@link DatabaseContext#declaredColumns}), from
     * the shared snapshot: a per-table query would make H2 build its INFORMATION_SCHEMA.COLUMNS for all
     * tables each time, as it cannot narrow it by a case-insensitive name.
     */
    static List<ColumnInfo> columns(Connection c, H2Database db, String schema, String table) throws SQLException {
        return db.catalogSnapshot(c).columns(c, new TableRef(schema, table, false));
    }

    private static Rows columns(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().integer("object_id").text("name").integer("column_id").integer("system_type_id")
                .integer("user_type_id").integer("max_length").integer("precision").integer("scale")
                .text("collation_name").bit("is_nullable").bit("is_ansi_padded").bit("is_rowguidcol")
                .bit("is_identity").bit("is_computed").bit("is_filestream").bit("is_replicated").bit("is_sparse")
                .bit("is_column_set").integer("default_object_id").integer("rule_object_id");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        CatalogSnapshot snapshot = db.catalogSnapshot(c);
        for (TableRef t : snapshot.tables(c)) {
            int objectId = db.idFor(t.schema(), t.name());
            for (ColumnInfo col : snapshot.columns(c, t)) {
                SqlType type = col.column().type();
                int typeId = SqlTypes.systemTypeId(type);
                r.add(objectId, col.column().name(), col.ordinal(), typeId, typeId, SqlTypes.maxLength(type),
                        SqlTypes.precision(type), SqlTypes.scale(type), isText(type) ? "SQL_Latin1_General_CP1_CI_AS" : null,
                        col.column().nullable(), true, false, col.identity(), col.computed(), false, false, false,
                        false, 0, 0);
            }
        }
        return r;
    }

    private static boolean isText(SqlType t) {
        return switch (t.kind()) {
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> true;
            default -> false;
        };
    }

    private static Rows types() {
        Rows r = new Rows().text("name").integer("system_type_id").integer("user_type_id").integer("schema_id")
                .integer("principal_id").integer("max_length").integer("precision").integer("scale")
                .text("collation_name").bit("is_nullable").bit("is_user_defined").bit("is_assembly_type")
                .integer("default_object_id").integer("rule_object_id").bit("is_table_type");
        for (SqlType.Kind kind : SqlType.Kind.values()) {
            SqlType t = switch (kind) {
                case CHAR, VARCHAR, BINARY, VARBINARY -> SqlType.sized(kind, 8000);
                case NCHAR, NVARCHAR -> SqlType.sized(kind, 4000);
                case DECIMAL, NUMERIC -> new SqlType(kind, 0, 38, 38);
                default -> SqlType.of(kind);
            };
            int id = SqlTypes.systemTypeId(t);
            r.add(SqlTypes.baseName(t), id, id, 4, null, SqlTypes.maxLength(t), SqlTypes.precision(t),
                    kind == SqlType.Kind.DECIMAL || kind == SqlType.Kind.NUMERIC ? 38 : SqlTypes.scale(t),
                    isText(t) ? "SQL_Latin1_General_CP1_CI_AS" : null, true, false, false, 0, 0, false);
        }
        // sysname: a system alias of nvarchar(128) NOT NULL, user_type_id 256
        r.add("sysname", 231, 256, 4, null, 256, 0, 0, "SQL_Latin1_General_CP1_CI_AS", false, false, false, 0, 0, false);
        return r;
    }

    /**
     * sys.indexes (one row per index; a heap row when there is no primary key) or sys.index_columns.
     * SQL Server makes the primary key the clustered index (index_id 1); others count up from 2.
     */
    private static Rows indexes(Connection c, int databaseId, boolean columnsOnly, boolean columnsView) throws SQLException {
        Rows r = columnsView
                ? new Rows().integer("object_id").integer("index_id").integer("index_column_id").integer("column_id")
                        .integer("key_ordinal").integer("partition_ordinal").bit("is_descending_key").bit("is_included_column")
                : new Rows().integer("object_id").text("name").integer("index_id").integer("type").text("type_desc")
                        .bit("is_unique").integer("data_space_id").bit("ignore_dup_key").bit("is_primary_key")
                        .bit("is_unique_constraint").integer("fill_factor").bit("is_padded").bit("is_disabled")
                        .bit("is_hypothetical").bit("allow_row_locks").bit("allow_page_locks").bit("has_filter")
                        .text("filter_definition");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        CatalogSnapshot snapshot = db.catalogSnapshot(c);
        for (TableRef t : snapshot.tables(c)) {
            if (t.view()) {
                continue;
            }
            int objectId = db.idFor(t.schema(), t.name());
            List<Index> indexes = snapshot.indexes(c, t);
            boolean hasPk = indexes.stream().anyMatch(k -> k.kind() == Index.Kind.PRIMARY_KEY);
            if (!hasPk && !columnsView) {
                r.add(objectId, null, 0, 0, "HEAP", false, 1, false, false, false, 0, false, false, false, true, true, false, null);
            }
            List<Integer> ids = indexIds(indexes);
            for (int i = 0; i < indexes.size(); i++) {
                Index k = indexes.get(i);
                boolean primary = k.kind() == Index.Kind.PRIMARY_KEY;
                int indexId = ids.get(i);
                if (columnsView) {
                    List<ColumnInfo> cols = snapshot.columns(c, t);
                    int ordinal = 1;
                    for (String col : k.columns()) {
                        int columnId = cols.stream().filter(ci -> ci.column().name().equalsIgnoreCase(col))
                                .mapToInt(ColumnInfo::ordinal).findFirst().orElse(0);
                        r.add(objectId, indexId, ordinal, columnId, ordinal, 0, false, false);
                        ordinal++;
                    }
                } else {
                    r.add(objectId, k.name(), indexId, primary ? 1 : 2, primary ? "CLUSTERED" : "NONCLUSTERED",
                            k.unique(), 1, false, primary, k.kind() == Index.Kind.UNIQUE_CONSTRAINT, 0, false, false,
                            false, true, true, false, null);
                }
            }
        }
        return r;
    }

    /** Each index's {@code index_id}, in list order: SQL Server makes the primary key 1 (clustered), the others 2 on. */
    private static List<Integer> indexIds(List<Index> indexes) {
        List<Integer> ids = new ArrayList<>();
        int nextId = 2;
        for (Index k : indexes) {
            ids.add(k.kind() == Index.Kind.PRIMARY_KEY ? 1 : nextId++);
        }
        return ids;
    }

    private static Rows infoTables(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().text("TABLE_CATALOG").text("TABLE_SCHEMA").text("TABLE_NAME").text("TABLE_TYPE");
        if (!columnsOnly) {
            H2Database db = H2Database.byId(databaseId);
            for (TableRef t : db.catalogSnapshot(c).tables(c)) {
                r.add(db.name(), t.schema(), t.name(), t.view() ? "VIEW" : "BASE TABLE");
            }
        }
        return r;
    }

    private static Rows infoColumns(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().text("TABLE_CATALOG").text("TABLE_SCHEMA").text("TABLE_NAME").text("COLUMN_NAME")
                .integer("ORDINAL_POSITION").text("COLUMN_DEFAULT").text("IS_NULLABLE").text("DATA_TYPE")
                .integer("CHARACTER_MAXIMUM_LENGTH").integer("CHARACTER_OCTET_LENGTH").integer("NUMERIC_PRECISION")
                .integer("NUMERIC_PRECISION_RADIX").integer("NUMERIC_SCALE").integer("DATETIME_PRECISION")
                .text("CHARACTER_SET_NAME").text("COLLATION_NAME");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        CatalogSnapshot snapshot = db.catalogSnapshot(c);
        for (TableRef t : snapshot.tables(c)) {
            for (ColumnInfo col : snapshot.columns(c, t)) {
                SqlType type = col.column().type();
                Integer charLength = SqlTypes.characterMaximumLength(type);
                Integer octets = charLength == null ? null : charLength == -1 ? -1
                        : type.kind() == SqlType.Kind.NCHAR || type.kind() == SqlType.Kind.NVARCHAR ? charLength * 2 : charLength;
                boolean numeric = SqlTypes.precision(type) > 0 && !isTemporal(type);
                r.add(db.name(), t.schema(), t.name(), col.column().name(), col.ordinal(), col.defaultValue(),
                        col.column().nullable() ? "YES" : "NO", SqlTypes.baseName(type), charLength, octets,
                        numeric ? SqlTypes.precision(type) : null,
                        numeric ? (type.kind() == SqlType.Kind.FLOAT || type.kind() == SqlType.Kind.REAL ? 2 : 10) : null,
                        numeric ? SqlTypes.scale(type) : null, isTemporal(type) ? SqlTypes.scale(type) : null,
                        isText(type) ? (type.kind().name().startsWith("N") ? "UNICODE" : "iso_1") : null,
                        isText(type) ? "SQL_Latin1_General_CP1_CI_AS" : null);
            }
        }
        return r;
    }

    /** H2's own estimate of each table's rows (no count, as SQL Server's {@code sys.partitions.rows}). */
    private static final String ROW_ESTIMATES = "SELECT TABLE_SCHEMA, TABLE_NAME, ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_TYPE = 'BASE TABLE'";

    /**
     * sys.partitions: one partition per heap or clustered index (index_id 0 or 1) and per nonclustered index
     * (2 on), each with the table's estimated rows, as an unpartitioned SQL Server table has them.
     */
    private static Rows partitions(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().bigint("partition_id").integer("object_id").integer("index_id").integer("partition_number")
                .bigint("hobt_id").bigint("rows").integer("filestream_filegroup_id").integer("data_compression")
                .text("data_compression_desc");
        if (columnsOnly) {
            return r;
        }
        Map<String, Long> estimates = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ROW_ESTIMATES)) {
            while (rs.next()) {
                estimates.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
            }
        }
        H2Database db = H2Database.byId(databaseId);
        CatalogSnapshot snapshot = db.catalogSnapshot(c);
        for (TableRef t : snapshot.tables(c)) {
            if (t.view()) {
                continue;
            }
            int objectId = db.idFor(t.schema(), t.name());
            long rows = estimates.getOrDefault(t.schema() + "." + t.name(), 0L);
            List<Index> indexes = snapshot.indexes(c, t);
            boolean hasPk = indexes.stream().anyMatch(k -> k.kind() == Index.Kind.PRIMARY_KEY);
            List<Integer> indexIds = new ArrayList<>(indexIds(indexes));
            if (!hasPk) {
                indexIds.add(0); // the heap
            }
            for (int indexId : indexIds) {
                long partitionId = ((long) objectId << 16) | indexId; // unique per index, as SQL Server's ids are
                r.add(partitionId, objectId, indexId, 1, partitionId, rows, 0, 0, "NONE");
            }
        }
        return r;
    }

    private static boolean isTemporal(SqlType t) {
        return switch (t.kind()) {
            case DATE, TIME, DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET -> true;
            default -> false;
        };
    }

    /** A view's rows, with columns typed the SQL Server way; read as many times as H2 asks. */
    private static final class Rows {
        private record ColumnDef(String name, int sqlType, int precision, int scale) {
        }

        private final List<ColumnDef> columns = new ArrayList<>();
        private final List<Object[]> rows = new ArrayList<>();

        Rows text(String name) {
            columns.add(new ColumnDef(name, Types.VARCHAR, 128, 0));
            return this;
        }

        Rows integer(String name) {
            columns.add(new ColumnDef(name, Types.INTEGER, 10, 0));
            return this;
        }

        Rows bigint(String name) {
            columns.add(new ColumnDef(name, Types.BIGINT, 19, 0));
            return this;
        }

        /** A uniqueidentifier: add its value as a {@link UUID}; the view casts it back from 16 bytes. */
        Rows uuid(String name) {
            columns.add(new ColumnDef(name, Types.BINARY, 16, 0));
            return this;
        }

        Rows bit(String name) {
            columns.add(new ColumnDef(name, Types.BOOLEAN, 1, 0));
            return this;
        }

        Rows offsetTime(String name) {
            columns.add(new ColumnDef(name, Types.TIMESTAMP_WITH_TIMEZONE, 34, 7));
            return this;
        }

        Rows time(String name) {
            columns.add(new ColumnDef(name, Types.TIMESTAMP, 23, 3));
            return this;
        }

        void add(Object... values) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof UUID u) {
                    values[i] = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
                }
            }
            rows.add(values);
        }

        /** A new result set over the rows (H2 reads and closes each one it is given). */
        ResultSet resultSet() {
            SimpleResultSet result = new SimpleResultSet();
            for (ColumnDef c : columns) {
                result.addColumn(c.name(), c.sqlType(), c.precision(), c.scale());
            }
            for (Object[] row : rows) {
                result.addRow(row);
            }
            return result;
        }
    }
}
