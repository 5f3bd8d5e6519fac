package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The capture scans on the capture process's connection: each turns the staged row images of
 * committed transactions into change rows (§2.2 of the reference) and {@code cdc.lsn_time_mapping}
 * rows, in commit order, in one transaction, and deletes the staged rows it read.
 */
final class ChangeTableWriter {

    /** A transaction's staged rows: an exact key range of the staging index, whatever else the table holds. */
    static final String SELECT_STAGED = "SELECT \"seq\", \"source_schema\", \"source_table\", \"operation\", "
            + "\"key_changed\", \"before_image\", \"after_image\", \"seqval\", \"seqval2\" FROM " + q(CDC, Metadata.STAGING)
            + " WHERE \"session_id\" = ? AND \"seq\" BETWEEN ? AND ? ORDER BY \"seq\"";
    static final String DELETE_STAGED = "DELETE FROM " + q(CDC, Metadata.STAGING)
            + " WHERE \"session_id\" = ? AND \"seq\" BETWEEN ? AND ?";
    static final String INSERT_MAPPING = "INSERT INTO " + q(CDC, Metadata.LSN_TIME_MAPPING)
            + " (\"start_lsn\", \"tran_begin_time\", \"tran_end_time\", \"tran_id\", \"tran_begin_lsn\") "
            + "VALUES (?, ?, ?, ?, ?)";

    /** Change rows sent to H2 per JDBC batch. */
    private static final int BATCH = 500;

    private enum Operation {
        DELETE(1), INSERT(2), UPDATE_BEFORE(3), UPDATE_AFTER(4);

        final int code;

        Operation(int code) {
            this.code = code;
        }
    }

    private record Staged(String schema, String table, String op, boolean keyChanged,
                          Map<String, Object> before, Map<String, Object> after, Lsn seqval, Lsn seqval2) {
    }

    private final Connection connection;
    /** The capture instances of each source table ("schema\0table") in the current scan. */
    private final Map<String, List<CaptureInstance>> instances = new HashMap<>();
    /** One insert per capture instance, kept across scans; an instance replaced after DDL gets a new one. */
    private final Map<CaptureInstance, PreparedStatement> inserts = new IdentityHashMap<>();
    private PreparedStatement selectStaged;
    private PreparedStatement deleteStaged;
    private PreparedStatement insertMapping;
    private int batched;

    /** @param connection the capture process's own connection, not in autocommit mode */
    ChangeTableWriter(Connection connection) {
        this.connection = connection;
    }

    /**
     * Writes the batch in one transaction. Statements are prepared once for the connection and rows
     * go to H2 in JDBC batches, so that a scan's cost grows with the rows it captures, not with the
     * tracked tables or the transactions. After a failure every statement is closed (with its
     * unsent batch) and the next scan starts afresh.
     */
    void write(List<CommittedTransaction> batch, List<CaptureInstance> current) throws SQLException {
        try {
            prepare(current);
            for (CommittedTransaction t : batch) {
                writeTransaction(t);
            }
            flush();
            insertMapping.executeBatch();
            deleteStaged.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            connection.rollback();
            throw e;
        }
    }

    private void prepare(List<CaptureInstance> current) throws SQLException {
        if (selectStaged == null) {
            selectStaged = connection.prepareStatement(SELECT_STAGED);
            deleteStaged = connection.prepareStatement(DELETE_STAGED);
            insertMapping = connection.prepareStatement(INSERT_MAPPING);
        }
        instances.clear();
        Set<CaptureInstance> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CaptureInstance ci : current) {
            instances.computeIfAbsent(ci.sourceSchema() + '\0' + ci.sourceTable(), k -> new ArrayList<>(2)).add(ci);
            live.add(ci);
        }
        for (var it = inserts.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!live.contains(e.getKey())) {
                e.getValue().close(); // the instance was dropped or replaced
                it.remove();
            }
        }
    }

    /** Closes every statement; the writer prepares them again on its next scan. */
    void close() throws SQLException {
        List<PreparedStatement> all = new ArrayList<>(inserts.values());
        all.addAll(Arrays.asList(selectStaged, deleteStaged, insertMapping));
        inserts.clear();
        selectStaged = null;
        deleteStaged = null;
        insertMapping = null;
        batched = 0;
        for (PreparedStatement ps : all) {
            if (ps != null) {
                ps.close();
            }
        }
    }

    private void writeTransaction(CommittedTransaction t) throws SQLException {
        List<Staged> rows = staged(t);
        Lsn commit = t.commitLsn();
        int command = 0;
        boolean wrote = false;
        for (Staged row : rows) {
            List<CaptureInstance> targets = targets(row, commit);
            command++;
            switch (row.op()) {
                case "I" -> {
                    Lsn seq = row.seqval();
                    for (CaptureInstance ci : targets) {
                        insert(ci, commit, seq, Operation.INSERT, UpdateMask.all(ci.columns().size()), row.after(),
                                null, command);
                    }
                }
                case "D" -> {
                    Lsn seq = row.seqval();
                    for (CaptureInstance ci : targets) {
                        insert(ci, commit, seq, Operation.DELETE, UpdateMask.all(ci.columns().size()), row.before(),
                                null, command);
                    }
                }
                default -> {
                    if (row.keyChanged()) {
                        // SQL Server logs an update of the row key as a delete and an insert ("deferred update").
                        Lsn deleteSeq = row.seqval();
                        Lsn insertSeq = row.seqval2();
                        int insertCommand = ++command;
                        for (CaptureInstance ci : targets) {
                            byte[] all = UpdateMask.all(ci.columns().size());
                            insert(ci, commit, deleteSeq, Operation.DELETE, all, row.before(), null, insertCommand - 1);
                            insert(ci, commit, insertSeq, Operation.INSERT, all, row.after(), null, insertCommand);
                        }
                    } else {
                        Lsn seq = row.seqval();
                        for (CaptureInstance ci : targets) {
                            byte[] mask = changedMask(ci, row.before(), row.after());
                            insert(ci, commit, seq, Operation.UPDATE_BEFORE, mask, row.before(), mask, command);
                            insert(ci, commit, seq, Operation.UPDATE_AFTER, mask, row.after(), null, command);
                        }
                    }
                }
            }
            wrote |= !targets.isEmpty();
        }
        if (wrote) {
            insertMapping.setBytes(1, commit.toBytes());
            insertMapping.setTimestamp(2, Timestamp.valueOf(SqlDateTime.round(t.beginTime())));
            insertMapping.setTimestamp(3, Timestamp.valueOf(SqlDateTime.round(t.endTime())));
            insertMapping.setBytes(4, transactionId(t.ordinal()));
            insertMapping.setBytes(5, t.beginLsn().toBytes());
            insertMapping.addBatch();
        }
        deleteStaged.setInt(1, t.sessionId());
        deleteStaged.setLong(2, t.firstSeq());
        deleteStaged.setLong(3, t.lastSeq());
        deleteStaged.addBatch();
    }

    /** The instances of the row's table that existed when the transaction committed. */
    private List<CaptureInstance> targets(Staged row, Lsn commit) {
        List<CaptureInstance> targets = new ArrayList<>(2);
        for (CaptureInstance ci : instances.getOrDefault(row.schema() + '\0' + row.table(), List.of())) {
            if (ci.createdAt().compareTo(commit) < 0) {
                targets.add(ci);
            }
        }
        return targets;
    }

    private static byte[] changedMask(CaptureInstance ci, Map<String, Object> before, Map<String, Object> after) {
        byte[] mask = UpdateMask.empty(ci.columns().size());
        for (CapturedColumn c : ci.columns()) {
            if (!c.computed() && !Objects.deepEquals(before.get(c.name()), after.get(c.name()))) {
                UpdateMask.set(mask, c.ordinal());
            }
        }
        return mask;
    }

    /**
     * @param beforeImageMask for an op-3 row, the update mask: unchanged (max) LOB columns are NULL in
     *                        a before-image because the log does not carry them
     */
    private void insert(CaptureInstance ci, Lsn commit, Lsn seq, Operation op, byte[] mask,
                        Map<String, Object> image, byte[] beforeImageMask, int command) throws SQLException {
        PreparedStatement ps = inserts.get(ci);
        if (ps == null) {
            ps = connection.prepareStatement(insertSql(ci));
            inserts.put(ci, ps);
        }
        int p = 1;
        ps.setBytes(p++, commit.toBytes());
        ps.setBytes(p++, seq.toBytes());
        ps.setInt(p++, op.code);
        ps.setBytes(p++, mask);
        for (CapturedColumn c : ci.columns()) {
            Object value = c.computed() ? null : image.get(c.name());
            if (beforeImageMask != null && c.isLargeValue() && !UpdateMask.isSet(beforeImageMask, c.ordinal())) {
                value = null;
            }
            ps.setObject(p++, value);
        }
        ps.setInt(p, command);
        ps.addBatch();
        if (++batched >= BATCH) {
            flush();
        }
    }

    private void flush() throws SQLException {
        for (PreparedStatement ps : inserts.values()) {
            ps.executeBatch();
        }
        batched = 0;
    }

    private static String insertSql(CaptureInstance ci) {
        StringBuilder cols = new StringBuilder("\"__$start_lsn\", \"__$seqval\", \"__$operation\", \"__$update_mask\"");
        StringBuilder values = new StringBuilder("?, ?, ?, ?");
        for (CapturedColumn c : ci.columns()) {
            cols.append(", ").append(q(c.name()));
            values.append(", ?");
        }
        cols.append(", \"__$command_id\"");
        values.append(", ?");
        return "INSERT INTO " + q(CDC, Names.changeTable(ci.name())) + " (" + cols + ") VALUES (" + values + ")";
    }

    private List<Staged> staged(CommittedTransaction t) throws SQLException {
        List<Staged> rows = new ArrayList<>();
        selectStaged.setInt(1, t.sessionId());
        selectStaged.setLong(2, t.firstSeq());
        selectStaged.setLong(3, t.lastSeq());
        try (ResultSet rs = selectStaged.executeQuery()) {
            while (rs.next()) {
                rows.add(new Staged(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        image(rs.getBytes(6)), image(rs.getBytes(7)), Lsn.fromBytes(rs.getBytes(8)),
                        rs.getBytes(9) == null ? null : Lsn.fromBytes(rs.getBytes(9))));
            }
        }
        return rows;
    }

    private static Map<String, Object> image(byte[] bytes) throws SQLException {
        if (bytes == null) {
            return null;
        }
        try {
            return RowImage.decode(bytes);
        } catch (IOException e) {
            throw new SQLException("unreadable staged row image: " + e.getMessage(), e);
        }
    }

    /** A 10-byte transaction id, as {@code lsn_time_mapping.tran_id} shows it. */
    private static byte[] transactionId(long ordinal) {
        return ByteBuffer.allocate(10).putShort((short) 0).putLong(ordinal).array();
    }
}
