package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a table's rows in chunks of its key order ({@link TableKey}): each chunk is one keyset query
 * strictly after the previous chunk's last key, so no chunk holds a lock or a transaction open beyond
 * its own statement, and a chunk costs an index range read however far the snapshot got.
 */
public final class SnapshotReader {

    /**
     * {@code %1$s} the bracket-quoted columns the capture instance captures (so that snapshot rows have the
     * shape of its changes), {@code %2$s} the table, {@code %3$s} the keyset predicate (or {@code 1 = 1} for
     * the first chunk), {@code %4$s} the key columns. READ COMMITTED, as every query of the provider: a
     * chunk sees only committed rows; what changes while it is read is sorted out by the watermarks.
     */
    static final String CHUNK = "SELECT TOP (?) %1$s FROM %2$s WHERE %3$s ORDER BY %4$s";

    /**
     * The row with the largest key when the snapshot starts: chunks stop there. A row with a larger key
     * was inserted (or got its key) after the stream's position, so the stream brings it; without the
     * bound, a table that keeps growing at the end of its key would keep the snapshot chasing its tail.
     */
    static final String LAST_ROW = "SELECT TOP (1) %1$s FROM %2$s ORDER BY %3$s";

    /** Rows of the table as SQL Server estimates them (no scan): for progress, not for correctness. */
    static final String ESTIMATED_ROWS = "SELECT SUM(p.rows) FROM sys.partitions AS p "
            + "WHERE p.object_id = OBJECT_ID(?) AND p.index_id IN (0, 1)";

    /** One chunk: the rows in key order, and the key of the last (null when the chunk is empty). */
    public record Chunk(List<RowImage> rows, TableKey.Value lastKey) {
    }

    private SnapshotReader() {
    }

    /**
     * "Strictly after {@code (k1, k2, ..)}" for a composite key, in the ORDER BY's tuple order:
     * {@code k1 > ? OR (k1 = ? AND (k2 > ? OR (k2 = ? AND k3 > ?)))}, with a leading {@code k1 >= ?} an
     * engine can seek by without deriving it from the OR (as in {@link ChangeReader#CHANGES}).
     */
    static String keysetPredicate(List<String> keyColumns) {
        String tuple = compare(keyColumns, 0, ">", ">");
        return TableName.quote(keyColumns.get(0)) + " >= ? AND (" + tuple + ")";
    }

    /** "At or before {@code (k1, k2, ..)}": {@code k1 <= ? AND (k1 < ? OR (k1 = ? AND (k2 < ? OR (k2 = ? AND k3 <= ?))))}. */
    static String upToPredicate(List<String> keyColumns) {
        return TableName.quote(keyColumns.get(0)) + " <= ? AND (" + compare(keyColumns, 0, "<", "<=") + ")";
    }

    private static String compare(List<String> keys, int i, String strict, String last) {
        String k = TableName.quote(keys.get(i));
        if (i == keys.size() - 1) {
            return k + " " + last + " ?";
        }
        return k + " " + strict + " ? OR (" + k + " = ? AND (" + compare(keys, i + 1, strict, last) + "))";
    }

    /** The chunk query; {@code first}: the first chunk, which has no key to start after. */
    public static String chunkSql(TableName table, CaptureInstance ci, TableKey key, boolean first) {
        String where = (first ? "" : keysetPredicate(key.columns()) + " AND ") + upToPredicate(key.columns());
        return String.format(CHUNK, columns(ci), table.quoted(), where, order(key, ""));
    }

    private static String columns(CaptureInstance ci) {
        return ci.columnNames().stream().map(TableName::quote).collect(Collectors.joining(", "));
    }

    private static String order(TableKey key, String direction) {
        return key.columns().stream().map(k -> TableName.quote(k) + direction).collect(Collectors.joining(", "));
    }

    /** The largest key the table holds now; null when it is empty. */
    public static TableKey.Value lastKey(Connection c, TableName table, CaptureInstance ci, TableKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(LAST_ROW, columns(ci), table.quoted(), order(key, " DESC")))) {
            ps.setQueryTimeout(ChangeReader.QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                Columns columns = columns(rs.getMetaData(), ci);
                return rs.next() ? key.valueOf(RowImage.wrap(columns, columns.read(rs, 1))) : null;
            }
        }
    }

    /**
     * At most {@code limit} rows strictly after {@code after} (from the start when null) and at or before
     * {@code upTo}, with the columns {@code ci} captures.
     */
    public static Chunk read(Connection c, TableName table, CaptureInstance ci, TableKey key, TableKey.Value after,
                             TableKey.Value upTo, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(chunkSql(table, ci, key, after == null))) {
            ps.setQueryTimeout(ChangeReader.QUERY_TIMEOUT_SECONDS);
            int p = 1;
            ps.setInt(p++, limit);
            if (after != null) {
                TableKey.bind(ps, p++, after, 0);
                for (int i = 0; i < key.columns().size(); i++) {
                    TableKey.bind(ps, p++, after, i);
                    if (i < key.columns().size() - 1) {
                        TableKey.bind(ps, p++, after, i);
                    }
                }
            }
            TableKey.bind(ps, p++, upTo, 0);
            for (int i = 0; i < key.columns().size(); i++) {
                TableKey.bind(ps, p++, upTo, i);
                if (i < key.columns().size() - 1) {
                    TableKey.bind(ps, p++, upTo, i);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                Columns columns = columns(rs.getMetaData(), ci);
                List<RowImage> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(RowImage.wrap(columns, columns.read(rs, 1)));
                }
                TableKey.Value last = rows.isEmpty() ? null : key.valueOf(rows.get(rows.size() - 1));
                return new Chunk(rows, last);
            }
        }
    }

    /** The columns of a chunk with the types the driver reports, as {@link ChangeReader} reads them. */
    private static Columns columns(ResultSetMetaData md, CaptureInstance ci) throws SQLException {
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < ci.columns().size(); i++) {
            types.add(new ColumnType(md.getColumnTypeName(i + 1), md.getPrecision(i + 1), md.getScale(i + 1)));
        }
        return new Columns(ci.columns(), types);
    }

    /** The types of a chunk's columns, from a query that reads no row (to decode a saved key before the first chunk). */
    public static Columns columns(Connection c, TableName table, CaptureInstance ci, TableKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(String.format(CHUNK, columns(ci), table.quoted(), "1 = 0", order(key, "")))) {
            ps.setInt(1, 0);
            try (ResultSet rs = ps.executeQuery()) {
                return columns(rs.getMetaData(), ci);
            }
        }
    }

    /** The table's rows as SQL Server estimates them, or -1 when it cannot say. */
    public static long estimatedRows(Connection c, TableName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ESTIMATED_ROWS)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long n = rs.getLong(1);
                    return rs.wasNull() ? -1 : n;
                }
                return -1;
            }
        }
    }
}
