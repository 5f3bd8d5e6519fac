package io.dstream.mssql.ingester.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The test's own SQL client: the real mssql-jdbc driver, as a user's application would write. */
public final class Db {

    private final String jdbcUrl;
    /** On an external server: what the tests create, to drop it after them; null on the embedded emulator. */
    private final OwnedObjects owned;

    public Db(String jdbcUrl) {
        this(jdbcUrl, null);
    }

    Db(String jdbcUrl, OwnedObjects owned) {
        this.jdbcUrl = jdbcUrl;
        this.owned = owned;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** Runs each statement in its own (auto-committed) transaction. */
    public void exec(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                run(s, sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs the statements in one transaction: one commit LSN shared by every table they touch. */
    public void tx(String... statements) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    run(s, sql);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs the statements in one transaction and rolls it back: CDC must show nothing of it. */
    public void rolledBack(String... statements) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    run(s, sql);
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** One prepared statement with these parameters, auto-committed. */
    public void update(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " [in: " + sql + "]", e);
        }
    }

    /** A table the provider will create ({@code schema.table}): dropped with the tests' own on an external server. */
    void own(String table) {
        if (owned != null) {
            owned.recordTable(this, table);
        }
    }

    /** On an external server, drops every table and schema the tests created (and lists them no more). */
    void dropOwned() {
        if (owned != null) {
            owned.dropAll(this);
        }
    }

    private void run(Statement s, String sql) throws SQLException {
        try {
            if (owned != null) {
                owned.beforeStatement(s, sql);
            }
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " [in: " + sql + "]", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** {@code CREATE TABLE} then {@code sys.sp_cdc_enable_table} with the default capture instance. */
    public void createTracked(String schema, String table, String columns) {
        exec("CREATE TABLE " + quote(schema) + "." + quote(table) + " (" + columns + ")");
        enableCdc(schema, table);
    }

    public void enableCdc(String schema, String table) {
        exec("EXEC sys.sp_cdc_enable_table @source_schema = " + nstring(schema) + ", @source_name = " + nstring(table)
                + ", @role_name = NULL");
    }

    public void enableCdc(String schema, String table, String captureInstance) {
        exec("EXEC sys.sp_cdc_enable_table @source_schema = " + nstring(schema) + ", @source_name = " + nstring(table)
                + ", @role_name = NULL, @capture_instance = " + nstring(captureInstance));
    }

    public void disableCdc(String schema, String table, String captureInstance) {
        exec("EXEC sys.sp_cdc_disable_table @source_schema = " + nstring(schema) + ", @source_name = "
                + nstring(table) + ", @capture_instance = " + nstring(captureInstance));
    }

    /** {@code sys.fn_cdc_get_max_lsn()}: the highest commit LSN captured so far. */
    public byte[] maxLsn() {
        return (byte[]) value("SELECT sys.fn_cdc_get_max_lsn()");
    }

    public Object value(String sql, Object... params) {
        return row(sql, params).map(r -> r.values().iterator().next()).orElse(null);
    }

    /** The first row of a query (column label → value), if any. */
    public Optional<Map<String, Object>> row(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ResultSetMetaData md = rs.getMetaData();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " [in: " + sql + "]", e);
        }
    }

    /** The checkpoint row of a table ({@code schema.table}) in {@code dbo.cdc_offsets}, if any. */
    public Optional<Map<String, Object>> checkpoint(String table) {
        return row("SELECT * FROM dbo.cdc_offsets WHERE table_name = ?", table);
    }

    /**
     * An LSN column as 20 lowercase hex digits, whether stored as binary(10) or as text (with or without
     * colons, with or without {@code 0x}); {@code ""} for NULL, so that it sorts below every LSN.
     */
    public static String lsnHex(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return value.toString().toLowerCase().replace("0x", "").replace(":", "");
    }

    /** {@code [name]} with {@code ]} doubled, as SQL Server quotes identifiers. */
    public static String quote(String name) {
        return "[" + name.replace("]", "]]") + "]";
    }

    /** {@code N'text'} with {@code '} doubled. */
    public static String nstring(String text) {
        return "N'" + text.replace("'", "''") + "'";
    }
}
