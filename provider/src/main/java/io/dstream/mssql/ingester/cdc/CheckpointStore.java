package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.db.SqlAdvice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints in the monitored database, one row per source table, keyed by {@code schema.table} so
 * that tables of the same name in two schemas do not collide. The seed's columns keep their meaning:
 * {@code last_lsn} = commit LSN, {@code last_seq} = seqval of the last change written; the added ones
 * complete the position ({@code last_command_id}, {@code last_operation}) and record where it was read
 * ({@code capture_instance}, {@code upper_bound_lsn}).
 */
public final class CheckpointStore {

    /**
     * Whether the checkpoint table exists; by schema AND name (the Go provider's check ignored the schema):
     * the bracket-quoted two-part name. {@code OBJECT_ID} is a lookup by name, where a join of
     * {@code sys.tables} with {@code sys.schemas} reads the catalog of every table (0.6 s on the emulator
     * with 2,000 tables). NULL when it does not exist or the login cannot see it.
     */
    static final String TABLE_EXISTS = "SELECT OBJECT_ID(?, N'U')";

    /**
     * The snapshot's progress ({@link SnapshotProgress}), added by this version: a table created by an
     * older one (or by the Go provider) gets them through {@link #ADD_SNAPSHOT_COLUMNS}.
     */
    static final String SNAPSHOT_COLUMNS_DDL = "snapshot_state nvarchar(16) NULL, snapshot_key nvarchar(max) NULL, "
            + "snapshot_rows bigint NULL, snapshot_chunks int NULL, snapshot_started_at datetime2 NULL, "
            + "snapshot_requested_at datetime2 NULL";

    /** No row when the table lacks the snapshot columns (created by an older version). */
    static final String HAS_SNAPSHOT_COLUMNS = "SELECT 1 FROM sys.columns WHERE object_id = OBJECT_ID(?) AND name = N'snapshot_requested_at'";

    static final String ADD_SNAPSHOT_COLUMNS = "ALTER TABLE %s ADD " + SNAPSHOT_COLUMNS_DDL;

    /** Created on first use; plain types a least-privilege reader with CREATE TABLE can create. */
    static final String CREATE = "CREATE TABLE %s ("
            + "table_name nvarchar(300) NOT NULL PRIMARY KEY, "
            + "last_lsn binary(10) NULL, "
            + "last_seq binary(10) NULL, "
            + "updated_at datetime2 NOT NULL, "
            + "last_command_id int NULL, "
            + "last_operation int NULL, "
            + "capture_instance nvarchar(128) NULL, "
            + "upper_bound_lsn binary(10) NULL, "
            + SNAPSHOT_COLUMNS_DDL + ")";


    static final String LOAD = "SELECT last_lsn, last_command_id, last_seq, last_operation, capture_instance, "
            + "snapshot_state, snapshot_key, snapshot_rows, snapshot_chunks, snapshot_started_at, snapshot_requested_at "
            + "FROM %s WHERE table_name = ?";

    /**
     * Every row, for {@link #loadAll}: one statement however many tables start. The table holds one row
     * per source table streamed through it, so reading it whole is cheaper than a parameter per table
     * (SQL Server allows 2,100) and needs no table-valued parameter type in the database.
     */
    static final String LOAD_ALL = "SELECT last_lsn, last_command_id, last_seq, last_operation, capture_instance, "
            + "snapshot_state, snapshot_key, snapshot_rows, snapshot_chunks, snapshot_started_at, snapshot_requested_at, "
            + "table_name FROM %s";

    /**
     * Monotonic: the row changes only when the new position is after the stored one, in the stream's
     * tuple order. The guard is in the statement itself so that no writer (a second instance with a
     * stale view, a retry) can move a checkpoint backwards. A row written by the Go provider has no
     * command_id: it counts as older than any position of its commit LSN. At the same position, a save
     * with more snapshot chunks finished is newer (a chunk written where the stream already stood).
     */
    static final String ADVANCE = "UPDATE %s SET last_lsn = ?, last_command_id = ?, last_seq = ?, last_operation = ?, "
            + "capture_instance = ?, upper_bound_lsn = ?, updated_at = ?, "
            + "snapshot_state = ?, snapshot_key = ?, snapshot_rows = ?, snapshot_chunks = ?, snapshot_started_at = ? "
            + "WHERE table_name = ? AND (last_lsn IS NULL OR last_lsn < ? OR (last_lsn = ? AND (last_command_id IS NULL "
            + "OR last_command_id < ? OR (last_command_id = ? AND (last_seq < ? OR (last_seq = ? AND (last_operation < ? "
            + "OR (last_operation = ? AND COALESCE(snapshot_chunks, 0) < ?))))))))";

    static final String INSERT = "INSERT INTO %s (table_name, last_lsn, last_command_id, last_seq, last_operation, "
            + "capture_instance, upper_bound_lsn, updated_at, snapshot_state, snapshot_key, snapshot_rows, snapshot_chunks, "
            + "snapshot_started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The {@code snapshot} command's request; {@link #ADVANCE} and {@link #INSERT} never touch it. */
    static final String REQUEST_SNAPSHOT = "UPDATE %s SET snapshot_requested_at = ? WHERE table_name = ?";

    /** A request for a table without a checkpoint row yet: a row with no position (a load reads it as no checkpoint). */
    static final String INSERT_REQUEST = "INSERT INTO %s (table_name, updated_at, snapshot_requested_at) VALUES (?, ?, ?)";

    /** The requests not taken yet: one statement per heartbeat for a whole instance, however many tables. */
    static final String SNAPSHOT_REQUESTS = "SELECT table_name, snapshot_requested_at FROM %s WHERE snapshot_requested_at IS NOT NULL";

    /** Takes a request once its snapshot was saved as started; a newer request (another time) stays. */
    static final String TAKE_REQUEST = "UPDATE %s SET snapshot_requested_at = NULL WHERE table_name = ? AND snapshot_requested_at = ?";

    static final String ROW_EXISTS = "SELECT 1 FROM %s WHERE table_name = ?";

    static final String DELETE = "DELETE FROM %s WHERE table_name = ?";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final TableName table;
    /**
     * Rows read for many tables at once by {@link #prefetch}, each handed out once by {@link #load} (an
     * empty value: the table has no checkpoint), until {@link #forgetPrefetched}. Streamer thread only.
     */
    private final Map<TableName, Optional<Checkpoint>> prefetched = new HashMap<>();

    public CheckpointStore(TableName table) {
        this.table = table;
    }

    public TableName table() {
        return table;
    }

    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TABLE_EXISTS)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null;
            }
        }
    }

    /**
     * Creates the table if missing (true when this call created it); a table created by an older version
     * gets the snapshot columns.
     */
    public boolean createIfMissing(Connection c) throws SQLException {
        if (exists(c)) {
            addSnapshotColumnsIfMissing(c);
            return false;
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(String.format(CREATE, table.quoted()));
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlAdvice.OBJECT_EXISTS) {
                return false; // another instance created it between our check and our CREATE
            }
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
    }

    /**
     * Whether the table exists; if it does, with the snapshot columns (added to a table an older version
     * created), so that the commands that read it read this version's columns.
     */
    public boolean existsWithSnapshotColumns(Connection c) throws SQLException {
        if (!exists(c)) {
            return false;
        }
        addSnapshotColumnsIfMissing(c);
        return true;
    }

    private void addSnapshotColumnsIfMissing(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HAS_SNAPSHOT_COLUMNS)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(String.format(ADD_SNAPSHOT_COLUMNS, table.quoted()));
            LOG.info("checkpoint table {}: added the snapshot progress columns ({})", table, SNAPSHOT_COLUMNS_DDL);
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlAdvice.COLUMN_EXISTS) {
                return; // another instance added them between our check and our ALTER
            }
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
    }

    /**
     * The table's checkpoint, if it has one: the row {@link #prefetch} read for it, else read now. A
     * missing checkpoint table is re-created (see {@link #recreatedIfMissing}); the table then has no
     * checkpoint.
     */
    public Optional<Checkpoint> load(Connection c, TableName source) throws SQLException {
        Optional<Checkpoint> read = prefetched.remove(source);
        if (read != null) {
            return read;
        }
        return onCheckpointTable(c, source.toString(), () -> loadRow(c, source));
    }

    /**
     * Reads the rows of {@code sources} in one statement for the {@link #load} calls about to follow (a
     * poll cycle in which many tables start or re-check their position), so that starting 1,000 tables
     * is one statement, not 1,000.
     */
    public void prefetch(Connection c, Collection<TableName> sources) throws SQLException {
        Map<TableName, Checkpoint> rows = loadAll(c, sources);
        sources.forEach(source -> prefetched.put(source, Optional.ofNullable(rows.get(source))));
    }

    /** Drops prefetched rows not used: they are only current for the cycle that read them. */
    public void forgetPrefetched() {
        prefetched.clear();
    }

    private Optional<Checkpoint> loadRow(Connection c, TableName source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(LOAD, table.quoted()))) {
            ps.setString(1, source.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? checkpoint(rs) : Optional.empty();
            }
        }
    }

    /**
     * The checkpoints of {@code sources} (those without one are absent), in one statement. A missing
     * checkpoint table is re-created as in {@link #load}; the tables then have no checkpoint.
     */
    public Map<TableName, Checkpoint> loadAll(Connection c, Collection<TableName> sources) throws SQLException {
        return onCheckpointTable(c, "loading the checkpoints of " + sources.size() + " table(s)", () -> {
            Map<String, Checkpoint> rows = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(String.format(LOAD_ALL, table.quoted()))) {
                while (rs.next()) {
                    String name = rs.getString(12);
                    checkpoint(rs).ifPresent(cp -> rows.put(name, cp));
                }
            }
            return match(sources, rows);
        });
    }

    /**
     * The row of each source, looked up by {@code schema.table} as {@link #LOAD} does: the exact spelling
     * first, else one differing only in case (the default collations compare {@code table_name} so).
     */
    static <T> Map<TableName, T> match(Collection<TableName> sources, Map<String, T> rows) {
        Map<String, T> folded = new HashMap<>();
        rows.forEach((name, cp) -> folded.putIfAbsent(name.toLowerCase(Locale.ROOT), cp));
        Map<TableName, T> found = new LinkedHashMap<>();
        for (TableName source : sources) {
            String name = source.toString();
            T cp = rows.containsKey(name) ? rows.get(name) : folded.get(name.toLowerCase(Locale.ROOT));
            if (cp != null) {
                found.put(source, cp);
            }
        }
        return found;
    }

    /** The checkpoint in the current row of {@link #LOAD} or {@link #LOAD_ALL}; empty when it holds no LSN. */
    private static Optional<Checkpoint> checkpoint(ResultSet rs) throws SQLException {
        Lsn lsn = Lsn.ofNullable(rs.getBytes(1));
        if (lsn == null) {
            return Optional.empty();
        }
        int commandId = rs.getInt(2);
        boolean legacy = rs.wasNull();
        Lsn seq = Lsn.ofNullable(rs.getBytes(3));
        int operation = rs.getInt(4);
        boolean noOperation = rs.wasNull();
        Position position = legacy || seq == null || noOperation
                ? Position.afterCommit(lsn) // the Go provider saved whole transactions; no finer position
                : new Position(lsn, commandId, seq, Operation.of(operation));
        long rows = rs.getLong(8);
        int chunks = rs.getInt(9);
        Instant started = instant(rs.getObject(10, LocalDateTime.class));
        Instant requested = instant(rs.getObject(11, LocalDateTime.class));
        return Optional.of(new Checkpoint(position, rs.getString(5),
                SnapshotProgress.of(rs.getString(6), rs.getString(7), rows, chunks, started), requested));
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Asks for a new snapshot of {@code source}: the instance streaming it takes the request within a
     * heartbeat interval. A table without a checkpoint row gets a row holding only the request.
     */
    public void requestSnapshot(Connection c, TableName source, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(REQUEST_SNAPSHOT, table.quoted()))) {
            ps.setObject(1, utc(at));
            ps.setString(2, source.toString());
            if (ps.executeUpdate() > 0) {
                return;
            }
        } catch (SQLException e) {
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
        try (PreparedStatement ps = c.prepareStatement(String.format(INSERT_REQUEST, table.quoted()))) {
            ps.setString(1, source.toString());
            ps.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
            ps.setObject(3, utc(at));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlAdvice.DUPLICATE_KEY) {
                requestSnapshot(c, source, at); // the table's first checkpoint was saved meanwhile
                return;
            }
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
    }

    /** The snapshot requests not taken yet among {@code sources}. */
    public Map<TableName, Instant> snapshotRequests(Connection c, Collection<TableName> sources) throws SQLException {
        Map<String, Instant> rows = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(String.format(SNAPSHOT_REQUESTS, table.quoted()))) {
            while (rs.next()) {
                rows.put(rs.getString(1), instant(rs.getObject(2, LocalDateTime.class)));
            }
        } catch (SQLException e) {
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
        return match(sources, rows);
    }

    /** Takes the request made at {@code at} (a newer one stays). */
    public void takeSnapshotRequest(Connection c, TableName source, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(TAKE_REQUEST, table.quoted()))) {
            ps.setString(1, source.toString());
            ps.setObject(2, utc(at));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
    }

    /**
     * Saves {@code position} unless the stored one is already at or after it. A missing checkpoint table
     * is re-created (see {@link #recreatedIfMissing}) and the position saved into it.
     *
     * @return true when the row now holds {@code position}
     */
    public boolean save(Connection c, TableName source, Position position, String captureInstance, Lsn upperBound)
            throws SQLException {
        return save(c, source, position, captureInstance, upperBound, SnapshotProgress.NONE);
    }

    /** As {@link #save(Connection, TableName, Position, String, Lsn)}, with the table's snapshot progress. */
    public boolean save(Connection c, TableName source, Position position, String captureInstance, Lsn upperBound,
                        SnapshotProgress snapshot) throws SQLException {
        return onCheckpointTable(c, source.toString(), () -> saveRow(c, source, position, captureInstance, upperBound, snapshot));
    }

    private boolean saveRow(Connection c, TableName source, Position position, String captureInstance, Lsn upperBound,
                            SnapshotProgress snapshot) throws SQLException {
        if (advance(c, source, position, captureInstance, upperBound, snapshot)) {
            return true;
        }
        if (rowExists(c, source)) {
            return false; // already at or past it: someone else advanced it
        }
        try (PreparedStatement ps = c.prepareStatement(String.format(INSERT, table.quoted()))) {
            int p = 1;
            ps.setString(p++, source.toString());
            ps.setBytes(p++, position.commitLsn().bytes());
            ps.setInt(p++, position.commandId());
            ps.setBytes(p++, position.seqval().bytes());
            ps.setInt(p++, position.operation().code());
            ps.setString(p++, captureInstance);
            setLsn(ps, p++, upperBound);
            ps.setObject(p++, LocalDateTime.now(ZoneOffset.UTC));
            setSnapshot(ps, p, snapshot);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlAdvice.DUPLICATE_KEY) {
                return advance(c, source, position, captureInstance, upperBound, snapshot); // lost an insert race
            }
            throw e;
        }
    }

    /** Deletes the table's checkpoint row; true when there was one. */
    public boolean delete(Connection c, TableName source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(DELETE, table.quoted()))) {
            ps.setString(1, source.toString());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlAdvice.INVALID_OBJECT) {
                return false; // no checkpoint table (dropped, or a re-created database): no row to delete
            }
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
    }

    /** Statements on the checkpoint table, as one piece of work. */
    @FunctionalInterface
    private interface Statements<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code statements}; if the checkpoint table is missing (208: dropped while the provider runs),
     * re-creates it and runs them once more. Errors are marked as the checkpoint table's, so that the
     * advice names it rather than the source table.
     *
     * @param subject what the statements are for (a source table, or a read for many), for the log
     */
    private <T> T onCheckpointTable(Connection c, String subject, Statements<T> statements) throws SQLException {
        try {
            return statements.run();
        } catch (SQLException e) {
            if (e.getErrorCode() != SqlAdvice.INVALID_OBJECT) {
                throw SqlAdvice.onCheckpointTable(table.toString(), e);
            }
        }
        try {
            recreatedIfMissing(c, subject);
            return statements.run();
        } catch (SQLException e) {
            throw SqlAdvice.onCheckpointTable(table.toString(), e);
        }
    }

    /**
     * Re-creates the checkpoint table as startup does. Only the first table to find it missing creates
     * it (and says so); the others find it there.
     */
    private void recreatedIfMissing(Connection c, String subject) throws SQLException {
        if (createIfMissing(c)) {
            LOG.warn("{}: the checkpoint table {} was missing (dropped while the provider ran?) and has been re-created; "
                    + "the checkpoints it held are lost: each table's is written again at its next save", subject, table);
        }
    }

    private boolean advance(Connection c, TableName source, Position position, String captureInstance, Lsn upperBound,
                            SnapshotProgress snapshot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(ADVANCE, table.quoted()))) {
            int p = 1;
            ps.setBytes(p++, position.commitLsn().bytes());
            ps.setInt(p++, position.commandId());
            ps.setBytes(p++, position.seqval().bytes());
            ps.setInt(p++, position.operation().code());
            ps.setString(p++, captureInstance);
            setLsn(ps, p++, upperBound);
            ps.setObject(p++, LocalDateTime.now(ZoneOffset.UTC));
            p = setSnapshot(ps, p, snapshot);
            ps.setString(p++, source.toString());
            ps.setBytes(p++, position.commitLsn().bytes());
            ps.setBytes(p++, position.commitLsn().bytes());
            ps.setInt(p++, position.commandId());
            ps.setInt(p++, position.commandId());
            ps.setBytes(p++, position.seqval().bytes());
            ps.setBytes(p++, position.seqval().bytes());
            ps.setInt(p++, position.operation().code());
            ps.setInt(p++, position.operation().code());
            ps.setInt(p, snapshot.chunks());
            return ps.executeUpdate() > 0;
        }
    }

    private boolean rowExists(Connection c, TableName source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(ROW_EXISTS, table.quoted()))) {
            ps.setString(1, source.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Binds the five snapshot columns from {@code index} on; returns the next index. */
    private static int setSnapshot(PreparedStatement ps, int index, SnapshotProgress snapshot) throws SQLException {
        int p = index;
        ps.setString(p++, snapshot.column());
        ps.setString(p++, snapshot.lastKey());
        ps.setLong(p++, snapshot.rows());
        ps.setInt(p++, snapshot.chunks());
        ps.setObject(p++, utc(snapshot.startedAt()));
        return p;
    }

    private static void setLsn(PreparedStatement ps, int index, Lsn lsn) throws SQLException {
        if (lsn == null) {
            ps.setNull(index, Types.BINARY);
        } else {
            ps.setBytes(index, lsn.bytes());
        }
    }
}
