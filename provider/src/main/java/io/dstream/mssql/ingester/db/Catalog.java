package io.dstream.mssql.ingester.db;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Lsn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Catalog and CDC metadata queries: what exists, what is captured, where the log stands. */
public final class Catalog {

    /**
     * Whether CDC is enabled for the database we are connected to. Without it every {@code cdc.*}
     * object is missing and the other queries would fail with 208.
     */
    static final String DATABASE_CDC_ENABLED = "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()";

    /** The source table and whether a capture instance tracks it; schema and name are compared as the catalog stores them. */
    static final String TABLE_TRACKED = "SELECT t.is_tracked_by_cdc FROM sys.tables AS t "
            + "JOIN sys.schemas AS s ON s.schema_id = t.schema_id WHERE s.name = ? AND t.name = ?";

    /**
     * Every capture instance with its source table. Joined on {@code source_object_id}, which follows
     * table renames, instead of guessing {@code schema_table} names. {@code start_lsn} is what
     * {@code sys.fn_cdc_get_min_lsn} returns, read for all instances in one query.
     */
    static final String CAPTURE_INSTANCES = "SELECT s.name, t.name, ct.capture_instance, ct.object_id, ct.start_lsn, ct.create_date "
            + "FROM cdc.change_tables AS ct "
            + "JOIN sys.tables AS t ON t.object_id = ct.source_object_id "
            + "JOIN sys.schemas AS s ON s.schema_id = t.schema_id";

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

    /** Empty when the table does not exist (or the login cannot see it); else whether CDC tracks it. */
    public static Optional<Boolean> tableTracked(Connection c, TableName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TABLE_TRACKED)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /**
     * Capture instances per source table, oldest first (without columns). Source names are matched
     * case-insensitively, as SQL Server's default collations do.
     */
    public static Map<String, List<CaptureInstance>> captureInstances(Connection c) throws SQLException {
        Map<String, List<CaptureInstance>> byTable = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CAPTURE_INSTANCES)) {
            while (rs.next()) {
                TableName source = new TableName(rs.getString(1), rs.getString(2));
                CaptureInstance ci = new CaptureInstance(rs.getString(3), source, rs.getInt(4),
                        Lsn.ofNullable(rs.getBytes(5)), rs.getObject(6, LocalDateTime.class), List.of());
                byTable.computeIfAbsent(key(source), k -> new ArrayList<>()).add(ci);
            }
        }
        byTable.values().forEach(list -> list.sort(Comparator
                .comparing(CaptureInstance::createDate, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(CaptureInstance::startLsn, Comparator.nullsLast(Comparator.naturalOrder()))));
        return byTable;
    }

    /** The key of {@link #captureInstances} for a table. */
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

    /** The current maximum LSN, or null when nothing has been captured yet. */
    public static Lsn maxLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MAX_LSN)) {
            return rs.next() ? Lsn.ofNullable(rs.getBytes(1)) : null;
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
