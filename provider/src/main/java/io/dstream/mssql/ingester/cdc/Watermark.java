package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.db.SqlAdvice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The snapshot's high watermarks: after a chunk is read, a row of this CDC-enabled table is updated
 * with a fresh token. The capture job puts that update into the log's order with every other change,
 * so once it shows in this table's change table, its commit LSN is a point of the change stream after
 * which no change committed before the chunk's SELECT can appear. {@code sys.fn_cdc_get_max_lsn()} read
 * after the SELECT would not be one: capture is asynchronous, and a change committed before the SELECT
 * may not be captured yet (Andreas and Kumar, DBLog, 2020; Debezium's incremental snapshots do the
 * same with their signal table).
 */
public final class Watermark {

    private static final Logger LOG = LoggerFactory.getLogger(Watermark.class);

    static final String TABLE_EXISTS = "SELECT OBJECT_ID(?, N'U')";

    static final String CREATE = "CREATE TABLE %s (table_name nvarchar(300) NOT NULL PRIMARY KEY, "
            + "token nvarchar(36) NOT NULL, written_at datetime2 NOT NULL)";

    /** The newest capture instance of the watermark table; none when CDC is not enabled for it. */
    static final String CAPTURE_INSTANCE = "SELECT TOP (1) capture_instance FROM cdc.change_tables "
            + "WHERE source_object_id = OBJECT_ID(?) ORDER BY create_date DESC";

    static final String ENABLE_CDC = "{call sys.sp_cdc_enable_table(@source_schema = ?, @source_name = ?, @role_name = NULL, "
            + "@supports_net_changes = 0)}";

    static final String UPDATE = "UPDATE %s SET token = ?, written_at = ? WHERE table_name = ?";

    static final String INSERT = "INSERT INTO %s (table_name, token, written_at) VALUES (?, ?, ?)";

    /**
     * The commit LSN of a token's write, and its commit time: an update's after image (op 4), or the
     * insert (op 2) of a source table's first watermark. {@code __$start_lsn > ?} (the chunk's low
     * watermark) keeps it a range read of the clustered key while the change table grows.
     */
    static final String FIND = "SELECT TOP (1) ct.[__$start_lsn], m.[tran_end_time] FROM %s AS ct "
            + "LEFT JOIN [cdc].[lsn_time_mapping] AS m ON m.[start_lsn] = ct.[__$start_lsn] "
            + "WHERE ct.[__$start_lsn] > ? AND ct.[__$operation] IN (2, 4) AND ct.[token] = ? ORDER BY ct.[__$start_lsn]";

    /** Where a token's write was captured. */
    public record Mark(Lsn lsn, Instant commitTime) {
    }

    private final TableName table;
    private final ZoneOffset serverOffset;
    /** {@code [cdc].[<capture instance>_CT]}, once {@link #prepare} found or made it. */
    private volatile String changeTable;

    public Watermark(TableName table, ZoneOffset serverOffset) {
        this.table = table;
        this.serverOffset = serverOffset;
    }

    public TableName table() {
        return table;
    }

    /**
     * Creates the table and enables CDC for it if needed (enabling needs db_owner; a DBA can run the
     * statements the error names instead). Called before the first snapshot chunk.
     */
    public void prepare(Connection c) throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement(TABLE_EXISTS)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next() && rs.getObject(1) != null;
            }
        }
        if (!exists) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate(String.format(CREATE, table.quoted()));
                LOG.info("created the snapshot watermark table {}", table);
            } catch (SQLException e) {
                if (e.getErrorCode() != SqlAdvice.OBJECT_EXISTS) {
                    throw explained(e);
                }
            }
        }
        String ci = captureInstance(c);
        if (ci == null) {
            try (CallableStatement cs = c.prepareCall(ENABLE_CDC)) {
                cs.setString(1, table.schema());
                cs.setString(2, table.table());
                cs.execute();
                LOG.info("enabled CDC for the snapshot watermark table {}", table);
            } catch (SQLException e) {
                ci = captureInstance(c); // another instance enabled it meanwhile
                if (ci == null) {
                    throw explained(e);
                }
            }
            ci = ci == null ? captureInstance(c) : ci;
        }
        if (ci == null) {
            throw new SQLException("CDC for the snapshot watermark table " + table + " has no capture instance after enabling it");
        }
        changeTable = "[cdc]." + TableName.quote(ci + "_CT");
    }

    private String captureInstance(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CAPTURE_INSTANCE)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private SQLException explained(SQLException e) {
        return new SQLException("the snapshot watermark table " + table + " could not be prepared (" + e.getMessage()
                + "). A snapshot needs it once: have a db_owner run CREATE TABLE " + table.quoted()
                + " (table_name nvarchar(300) NOT NULL PRIMARY KEY, token nvarchar(36) NOT NULL, written_at datetime2 NOT NULL); "
                + "EXEC sys.sp_cdc_enable_table @source_schema = N'" + table.schema() + "', @source_name = N'" + table.table()
                + "', @role_name = NULL; and grant this login SELECT, INSERT, UPDATE on it and SELECT on its change table",
                e.getSQLState(), e.getErrorCode(), e);
    }

    /** Writes a new token for {@code source}'s snapshot and returns it (committed when this returns, in auto-commit). */
    public String write(Connection c, TableName source) throws SQLException {
        String token = UUID.randomUUID().toString();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement(String.format(UPDATE, table.quoted()))) {
            ps.setString(1, token);
            ps.setObject(2, now);
            ps.setString(3, source.toString());
            if (ps.executeUpdate() > 0) {
                return token;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(String.format(INSERT, table.quoted()))) {
            ps.setString(1, source.toString());
            ps.setString(2, token);
            ps.setObject(3, now);
            ps.executeUpdate();
            return token;
        }
    }

    /** Where the token's write was captured, after LSN {@code after}; empty while the capture job has not got to it. */
    public Optional<Mark> find(Connection c, String token, Lsn after) throws SQLException {
        if (changeTable == null) {
            prepare(c);
        }
        try (PreparedStatement ps = c.prepareStatement(String.format(FIND, changeTable))) {
            ps.setBytes(1, after.bytes());
            ps.setString(2, token);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Lsn lsn = Lsn.of(rs.getBytes(1));
                LocalDateTime commit = rs.getObject(2, LocalDateTime.class);
                return Optional.of(new Mark(lsn, commit == null ? null : commit.toInstant(serverOffset)));
            }
        }
    }
}
