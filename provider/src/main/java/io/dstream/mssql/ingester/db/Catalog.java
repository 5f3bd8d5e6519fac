package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Catalog and CDC metadata queries: what exists, what is captured, where the log stands. */
public final class Catalog {

    /**
     * Whether CDC is enabled for the database we are connected to. Without it every {@code cdc.*}
     * object is missing and the other queries would fail with 208.
     */
    static final String DATABASE_CDC_ENABLED = "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()";

    /**
     * The tables of the configured schemas, to tell a table that does not exist from one CDC does not
     * track. Only run when a configured table has no capture instance; {@code %s} is one {@code ?} per
     * schema. Schema names are compared as the catalog stores them (case-insensitively under the
     * default collations).
     */
    static final String TABLES_IN_SCHEMAS = "SELECT s.name, t.name FROM sys.tables AS t "
            + "JOIN sys.schemas AS s ON s.schema_id = t.schema_id WHERE s.name IN (%s)";

    /**
     * Every capture instance with its source table and its captured columns, one row per column: the
     * whole catalog the provider needs in one statement, whatever the number of tables. The source is
     * named from {@code source_object_id}, which follows table renames, instead of guessing
     * {@code schema_table} names; by {@code OBJECT_SCHEMA_NAME}/{@code OBJECT_NAME} rather than a join with
     * {@code sys.tables} and {@code sys.schemas}, which the emulator can only scan once per instance. Both
     * are NULL for a source the login cannot see. {@code start_lsn} is what {@code sys.fn_cdc_get_min_lsn}
     * returns. The LEFT JOIN keeps an instance whose columns are not visible. Not filtered by the
     * configured tables: the probe compares the number of rows of {@code cdc.change_tables} with this
     * catalog's, so both count the same set.
     */
    static final String CAPTURE_INSTANCES = "SELECT OBJECT_SCHEMA_NAME(ct.source_object_id), OBJECT_NAME(ct.source_object_id), "
            + "ct.capture_instance, ct.object_id, ct.start_lsn, ct.create_date, cc.column_name, cc.column_ordinal "
            + "FROM cdc.change_tables AS ct "
            + "LEFT JOIN cdc.captured_columns AS cc ON cc.object_id = ct.object_id";

    /** Captured columns of one instance by change-table object id, in ordinal (= update-mask bit) order. */
    static final String CAPTURED_COLUMNS = "SELECT column_name, column_ordinal FROM cdc.captured_columns "
            + "WHERE object_id = ? ORDER BY column_ordinal";

    /**
     * The database-wide high-water mark of captured commits. Read before each change query and used as
     * its upper bound: everything at or below it has been committed to the change tables by the capture
     * process, so rows cannot appear below it later. NULL until the capture process recorded anything.
     */
    static final String MAX_LSN = "SELECT sys.fn_cdc_get_max_lsn()";

    /**
     * The server's current offset from UTC: {@code cdc.lsn_time_mapping.tran_end_time} is a zone-less
     * datetime in server local time.
     */
    static final String SERVER_TIME = "SELECT SYSDATETIMEOFFSET()";

    /**
     * Which database this is, beyond its name: {@code database_guid} is new when a database is created
     * or restored as a new one, {@code recovery_fork_guid} when a restore starts a new recovery fork
     * (a point-in-time restore). A least-privilege login may see no row (it needs VIEW ANY DATABASE or
     * to own the database): the identity is then unknown, and only the LSN checks apply.
     */
    static final String IDENTITY = "SELECT CONVERT(nvarchar(36), database_guid) + N'/' + CONVERT(nvarchar(36), recovery_fork_guid) "
            + "FROM sys.database_recovery_status WHERE database_id = DB_ID()";

    private Catalog() {
    }

    public static boolean databaseCdcEnabled(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DATABASE_CDC_ENABLED)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Which of {@code tables} exist (keyed by {@link #key}), in one query over their schemas. A login
     * that cannot see a table does not find it either.
     */
    public static Set<String> existingTables(Connection c, Collection<TableName> tables) throws SQLException {
        List<String> schemas = tables.stream().map(TableName::schema).distinct().toList();
        Set<String> existing = new HashSet<>();
        if (schemas.isEmpty()) {
            return existing;
        }
        String placeholders = String.join(", ", Collections.nCopies(schemas.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(String.format(TABLES_IN_SCHEMAS, placeholders))) {
            for (int i = 0; i < schemas.size(); i++) {
                ps.setString(i + 1, schemas.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.add(key(new TableName(rs.getString(1), rs.getString(2))));
                }
            }
        }
        return existing;
    }

    /**
     * What {@link #CAPTURE_INSTANCES} read.
     *
     * @param byTable   capture instances per source table ({@link #key}), oldest first, with their columns
     * @param instances rows of {@code cdc.change_tables} seen, including those whose source the login cannot
     *                  see: what the probe's count of instances is compared with
     */
    public record CaptureInstances(Map<String, List<CaptureInstance>> byTable, int instances) {

        /** The instances of a table, oldest first; empty when it has none. */
        public List<CaptureInstance> of(TableName table) {
            return byTable.getOrDefault(key(table), List.of());
        }
    }

    /** {@link #captureCatalog}'s instances per source table ({@link #key}), oldest first, with their columns. */
    public static Map<String, List<CaptureInstance>> captureInstances(Connection c) throws SQLException {
        return captureCatalog(c).byTable();
    }

    /**
     * Every capture instance with its columns, read in one query. Source names are matched
     * case-insensitively, as SQL Server's default collations do.
     */
    public static CaptureInstances captureCatalog(Connection c) throws SQLException {
        List<InstanceRow> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CAPTURE_INSTANCES)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String table = rs.getString(2);
                TableName source = schema == null || table == null ? null : new TableName(schema, table);
                CaptureInstance ci = new CaptureInstance(rs.getString(3), source, rs.getInt(4),
                        Lsn.ofNullable(rs.getBytes(5)), rs.getObject(6, LocalDateTime.class), List.of());
                String column = rs.getString(7);
                int ordinal = rs.getInt(8);
                rows.add(new InstanceRow(ci, column == null ? null : new CapturedColumn(column, ordinal)));
            }
        }
        return group(rows);
    }

    /**
     * One row of {@link #CAPTURE_INSTANCES}: an instance (without columns) and one of its captured
     * columns, or null when the instance showed none.
     */
    record InstanceRow(CaptureInstance instance, CapturedColumn column) {
    }

    /**
     * Groups the rows into instances per source table ({@link #key}): each instance once, with its
     * columns in ordinal (= update-mask bit) order, and the instances of a table oldest first (by
     * {@code create_date}, then start LSN; unknown last). An instance whose source is null (not
     * visible) is counted but not listed.
     */
    static CaptureInstances group(List<InstanceRow> rows) {
        Map<Integer, CaptureInstance> instances = new LinkedHashMap<>();
        Map<Integer, List<CapturedColumn>> columns = new HashMap<>();
        for (InstanceRow row : rows) {
            int id = row.instance().objectId();
            instances.putIfAbsent(id, row.instance());
            List<CapturedColumn> list = columns.computeIfAbsent(id, k -> new ArrayList<>());
            if (row.column() != null) {
                list.add(row.column());
            }
        }
        Map<String, List<CaptureInstance>> byTable = new HashMap<>();
        instances.forEach((id, ci) -> {
            if (ci.source() != null) {
                List<CapturedColumn> sorted = columns.get(id).stream()
                        .sorted(Comparator.comparingInt(CapturedColumn::ordinal)).toList();
                byTable.computeIfAbsent(key(ci.source()), k -> new ArrayList<>()).add(ci.withColumns(sorted));
            }
        });
        byTable.values().forEach(list -> list.sort(Comparator
                .comparing(CaptureInstance::createDate, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(CaptureInstance::startLsn, Comparator.nullsLast(Comparator.naturalOrder()))));
        return new CaptureInstances(byTable, instances.size());
    }

    /** The key of {@link #captureInstances} and {@link #existingTables} for a table. */
    public static String key(TableName table) {
        return table.toString().toLowerCase(Locale.ROOT);
    }

    public static List<CapturedColumn> capturedColumns(Connection c, int changeTableObjectId) throws SQLException {
        List<CapturedColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CAPTURED_COLUMNS)) {
            ps.setInt(1, changeTableObjectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new CapturedColumn(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        return columns;
    }

    /** The current maximum LSN; empty when nothing has been captured yet ({@code sys.fn_cdc_get_max_lsn()} is NULL). */
    public static Optional<Lsn> maxLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MAX_LSN)) {
            return Optional.ofNullable(rs.next() ? Lsn.ofNullable(rs.getBytes(1)) : null);
        }
    }

    /** {@code database_guid/recovery_fork_guid}, or null when the login cannot see them. */
    public static String identity(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(IDENTITY)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlAdvice.PERMISSION_DENIED || e.getErrorCode() == SqlAdvice.INVALID_OBJECT) {
                return null;
            }
            throw e;
        }
    }

    public static ZoneOffset serverOffset(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SERVER_TIME)) {
            if (!rs.next()) {
                return ZoneOffset.UTC;
            }
            OffsetDateTime now = rs.getObject(1, OffsetDateTime.class);
            return now == null ? ZoneOffset.UTC : now.getOffset();
        }
    }
}
