package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.SqlType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDC of a database opened again from the data directory: what {@link CdcDatabase} kept in memory
 * is rebuilt from the {@code cdc} tables, which H2 kept — the enabled flag, the capture instances
 * with their functions and capture triggers, and the log position, so that every new LSN is above
 * every LSN a client may have seen before the restart.
 */
final class CdcRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(CdcRecovery.class);

    private static final String CDC_ENABLED = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_SCHEMA = '" + CDC + "' AND TABLE_NAME = '" + Metadata.CHANGE_TABLES + "'";
    private static final String INSTANCES = "SELECT \"object_id\", \"source_object_id\", \"capture_instance\", "
            + "\"start_lsn\", \"supports_net_changes\", \"role_name\", \"index_name\", \"filegroup_name\", \"create_date\" "
            + "FROM " + q(CDC, Metadata.CHANGE_TABLES) + " ORDER BY \"create_date\", \"object_id\"";
    private static final String CAPTURED_COLUMNS = "SELECT \"column_name\", \"column_id\", \"column_ordinal\", "
            + "\"is_computed\" FROM " + q(CDC, Metadata.CAPTURED_COLUMNS) + " WHERE \"object_id\" = ? "
            + "ORDER BY \"column_ordinal\"";
    private static final String INDEX_COLUMNS = "SELECT \"column_name\" FROM " + q(CDC, Metadata.INDEX_COLUMNS)
            + " WHERE \"object_id\" = ? ORDER BY \"index_ordinal\"";
    /** Every LSN the metadata holds; change rows hold their own (below their commit's, unless cleaned up). */
    private static final List<String> SAVED_LSNS = List.of(
            "SELECT MAX(\"start_lsn\") FROM " + q(CDC, Metadata.LSN_TIME_MAPPING),
            "SELECT MAX(\"start_lsn\") FROM " + q(CDC, Metadata.CHANGE_TABLES),
            "SELECT MAX(\"ddl_lsn\") FROM " + q(CDC, Metadata.DDL_HISTORY));
    /** Capture triggers name this run's journals: the saved ones are replaced (found by class, whatever their name). */
    private static final String CAPTURE_TRIGGERS = "SELECT TRIGGER_SCHEMA, TRIGGER_NAME FROM INFORMATION_SCHEMA.TRIGGERS "
            + "WHERE JAVA_CLASS = '" + CaptureTrigger.class.getName() + "'";
    /**
     * Row images of transactions that committed but were not captured when the emulator stopped
     * without closing (a kill): their commit LSNs were never saved, so they cannot be captured.
     */
    private static final String STAGED = "SELECT COUNT(*) FROM " + q(CDC, Metadata.STAGING);
    private static final String DELETE_STAGED = "DELETE FROM " + q(CDC, Metadata.STAGING);

    private CdcRecovery() {
    }

    /** Rebuilds the CDC state of {@code db} from its tables; nothing to do when CDC was never enabled. */
    static void recover(CdcDatabase db) throws SQLException {
        try (Connection c = db.context.newConnection()) {
            if (!enabled(c)) {
                return;
            }
            db.setEnabled(true);
            discardUncaptured(c, db);
            List<CaptureInstance> instances = instances(c, db);
            Lsn last = lastSavedLsn(c, instances);
            db.log.resumeAfter(last);
            dropCaptureTriggers(c);
            Set<List<String>> tracked = new LinkedHashSet<>();
            for (CaptureInstance ci : instances) {
                db.dropInstanceFunctions(c, ci);
                db.createInstanceFunctions(c, ci);
                db.declare(ci);
                db.added(ci);
                tracked.add(List.of(ci.sourceSchema(), ci.sourceTable()));
            }
            for (List<String> table : tracked) {
                db.ensureTrigger(c, table.get(0), table.get(1));
            }
            if (!instances.isEmpty()) {
                db.jobs.createIfMissing();
            }
            LOG.info("CDC of database {} recovered from the data directory: {} capture instance(s), last LSN {}",
                    db.name(), instances.size(), last);
        }
    }

    private static boolean enabled(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CDC_ENABLED)) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    private static void discardUncaptured(Connection c, CdcDatabase db) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(STAGED)) {
            long staged = rs.next() ? rs.getLong(1) : 0;
            if (staged > 0) {
                LOG.warn("database {}: {} row change(s) committed before the emulator was killed were not captured "
                        + "and are not in the change tables; stop the emulator with SIGTERM (or close()) to capture "
                        + "everything first", db.name(), staged);
                s.executeUpdate(DELETE_STAGED);
            }
        }
    }

    private static List<CaptureInstance> instances(Connection c, CdcDatabase db) throws SQLException {
        List<CaptureInstance> instances = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(INSTANCES)) {
            while (rs.next()) {
                int objectId = rs.getInt(1);
                int sourceObjectId = rs.getInt(2);
                String name = rs.getString(3);
                String[] source = db.context.objectName(sourceObjectId);
                if (source == null) {
                    LOG.error("database {}: capture instance {} not recovered: its source table (object id {}) is "
                            + "unknown; disable and enable CDC for the table again", db.name(), name, sourceObjectId);
                    continue;
                }
                instances.add(new CaptureInstance(name, source[0], source[1], objectId, sourceObjectId,
                        columns(c, db, objectId, name), indexColumns(c, objectId), rs.getString(7), rs.getString(6),
                        rs.getString(8), rs.getBoolean(5), Lsn.fromBytes(rs.getBytes(4)),
                        rs.getTimestamp(9).toLocalDateTime()));
            }
        }
        return instances;
    }

    /** The captured columns, typed as the change table declares them (captured_columns keeps only the type name). */
    private static List<CapturedColumn> columns(Connection c, CdcDatabase db, int objectId, String instance)
            throws SQLException {
        List<Column> declared = db.context.declaredColumns(CDC, Names.changeTable(instance));
        List<CapturedColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CAPTURED_COLUMNS)) {
            ps.setInt(1, objectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    SqlType type = declared.stream().filter(d -> d.name().equalsIgnoreCase(name)).map(Column::type)
                            .findFirst().orElseThrow(() -> new SQLException("change table of capture instance "
                                    + instance + " has no column " + name));
                    columns.add(new CapturedColumn(name, rs.getInt(2), rs.getInt(3), type, rs.getBoolean(4)));
                }
            }
        }
        return columns;
    }

    private static List<String> indexColumns(Connection c, int objectId) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INDEX_COLUMNS)) {
            ps.setInt(1, objectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    /** The highest LSN in the metadata and the change tables (their __$seqval rows included). */
    private static Lsn lastSavedLsn(Connection c, List<CaptureInstance> instances) throws SQLException {
        List<String> queries = new ArrayList<>(SAVED_LSNS);
        for (CaptureInstance ci : instances) {
            String table = q(CDC, Names.changeTable(ci.name()));
            queries.add("SELECT MAX(\"__$start_lsn\") FROM " + table);
            queries.add("SELECT MAX(\"__$seqval\") FROM " + table);
        }
        Lsn last = Lsn.ZERO;
        try (Statement s = c.createStatement()) {
            for (String sql : queries) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    byte[] lsn = rs.next() ? rs.getBytes(1) : null;
                    if (lsn != null && Lsn.fromBytes(lsn).compareTo(last) > 0) {
                        last = Lsn.fromBytes(lsn);
                    }
                }
            }
        }
        return last;
    }

    private static void dropCaptureTriggers(Connection c) throws SQLException {
        List<String> drops = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CAPTURE_TRIGGERS)) {
            while (rs.next()) {
                drops.add("DROP TRIGGER IF EXISTS " + q(rs.getString(1), rs.getString(2)));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String drop : drops) {
                s.execute(drop);
            }
        }
    }
}
