package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.h2.api.Trigger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * The emulator's stand-in for the log records CDC reads: an H2 row trigger on a tracked table that
 * stages each row image inside the writing transaction, so that a rollback (of the transaction or
 * of a failed statement) leaves nothing, exactly as SQL Server's capture only sees committed log.
 * The capture process turns staged rows into change rows after the commit.
 */
public final class CaptureTrigger implements Trigger {

    private static final Map<String, Journal> JOURNALS = new ConcurrentHashMap<>();
    private static final AtomicLong NAMES = new AtomicLong();
    private static final String NAME_PREFIX = "cdc_capture_";

    static final String INSERT_STAGED = "INSERT INTO " + q(CDC, Metadata.STAGING)
            + " (\"session_id\", \"seq\", \"source_schema\", \"source_table\", \"operation\", \"key_changed\", "
            + "\"before_image\", \"after_image\", \"seqval\", \"seqval2\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** H2 rebuilds a table for most ALTER TABLEs as {@code <table>_COPY_<n>_<m>}, its triggers prefixed alike. */
    private static final Pattern COPY = Pattern.compile("_COPY_\\d+_\\d+$");
    private static final String PRIMARY_KEY = "SELECT k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c "
            + "JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA "
            + "AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME WHERE c.CONSTRAINT_TYPE = 'PRIMARY KEY' "
            + "AND c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?";

    /**
     * A staged row change: its position among staged rows, and its log record(s) — two for a
     * key-changing update, which SQL Server logs as a delete and an insert.
     */
    record Staged(long seq, Lsn record, Lsn secondRecord) {
    }

    /** Where a database's triggers report: sequence numbers, log records and per-session bookkeeping. */
    interface Journal {
        /** Writes {@code records} log records for a change of the session's open transaction. */
        Staged stage(int h2SessionId, int records);

        /**
         * The table's {@link TableShape} when a trigger is (re)initialised; H2 re-creates triggers when
         * ALTER TABLE rebuilds a table, which is how the emulator notices most DDL on tracked tables.
         */
        void shape(String schema, String table, List<String> columns);

        /** H2 initialised the trigger on a rebuilt copy of the table (ALTER TABLE in progress). */
        void rebuilding(String schema, String table);

        /** H2 removed the trigger: the table was dropped, rebuilt, or CDC dropped the trigger. */
        void removed(String schema, String table);
    }

    private Journal journal;
    private String schema;
    private String table;
    private volatile List<String> columns = List.of();
    private volatile List<Integer> keyPositions = List.of();

    /** Registers a journal and returns the trigger name that binds to it. */
    static String register(Journal journal) {
        String name = NAME_PREFIX + NAMES.incrementAndGet();
        JOURNALS.put(name, journal);
        return name;
    }

    static void unregister(String triggerName) {
        JOURNALS.remove(triggerName);
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        journal = JOURNALS.get(triggerName);
        String physicalTable = tableName;
        if (journal == null) {
            // Initialised on H2's rebuilt copy during ALTER TABLE: bind by the original names.
            journal = JOURNALS.entrySet().stream().filter(e -> triggerName.endsWith("_" + e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            tableName = COPY.matcher(tableName).replaceFirst("");
        }
        if (journal == null) {
            throw new SQLException("CDC capture trigger " + triggerName + " is not bound to a database; "
                    + "disable and re-enable change data capture for " + schemaName + "." + tableName);
        }
        schema = schemaName;
        table = tableName;
        if (!physicalTable.equals(tableName)) {
            journal.rebuilding(schema, table);
        }
        journal.shape(schema, table, readShape(conn, physicalTable));
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        Object[] any = newRow != null ? newRow : oldRow;
        if (any.length != columns.size()) {
            readShape(conn, table); // the table was altered (ADD/DROP COLUMN) since the trigger was initialised
        }
        String op = oldRow == null ? "I" : newRow == null ? "D" : "U";
        boolean keyChanged = "U".equals(op) && keyChanged(oldRow, newRow);
        int session = sessionId(conn);
        // A key-changing update is logged as a delete and an insert: two log records.
        Staged staged = journal.stage(session, keyChanged ? 2 : 1);
        try (PreparedStatement ps = conn.prepareStatement(INSERT_STAGED)) {
            ps.setInt(1, session);
            ps.setLong(2, staged.seq());
            ps.setString(3, schema);
            ps.setString(4, table);
            ps.setString(5, op);
            ps.setBoolean(6, keyChanged);
            ps.setBytes(7, image(oldRow));
            ps.setBytes(8, image(newRow));
            ps.setBytes(9, staged.record().toBytes());
            ps.setBytes(10, staged.secondRecord() == null ? null : staged.secondRecord().toBytes());
            ps.executeUpdate();
        }
    }

    @Override
    public void remove() {
        if (journal != null) {
            journal.removed(schema, table);
        }
    }

    private boolean keyChanged(Object[] oldRow, Object[] newRow) {
        for (int i : keyPositions) {
            if (!Objects.deepEquals(oldRow[i], newRow[i])) {
                return true;
            }
        }
        return false;
    }

    private byte[] image(Object[] row) throws SQLException {
        if (row == null) {
            return null;
        }
        Object[] values = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            values[i] = value(row[i]);
        }
        try {
            return RowImage.encode(columns, values);
        } catch (IOException e) {
            throw new SQLException("cannot stage a row image of " + schema + "." + table + ": " + e.getMessage(), e);
        }
    }

    /** LOB handles are only valid during the statement: the image keeps their content. */
    private static Object value(Object v) throws SQLException {
        if (v instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (v instanceof java.sql.Blob blob) {
            return blob.getBytes(1, (int) blob.length());
        }
        return v;
    }

    /** Reads the column names and the primary key of {@code physicalTable}; returns its shape. */
    private List<String> readShape(Connection conn, String physicalTable) throws SQLException {
        List<String> shape = TableShape.read(conn, schema, physicalTable);
        List<String> names = TableShape.names(shape);
        List<Integer> keys = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(PRIMARY_KEY)) {
            ps.setString(1, schema);
            ps.setString(2, physicalTable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(names.indexOf(rs.getString(1)));
                }
            }
        }
        columns = List.copyOf(names);
        keyPositions = List.copyOf(keys);
        return shape;
    }

    /** The H2 session id, which the engine's commit notifications carry. */
    static int sessionId(Connection conn) throws SQLException {
        if (conn instanceof JdbcConnection jdbc && jdbc.getSession() instanceof SessionLocal local) {
            return local.getId();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT SESSION_ID()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
