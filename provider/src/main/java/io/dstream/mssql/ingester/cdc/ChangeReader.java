package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reads one page of a capture instance's change table, strictly after a position and up to an upper bound. */
public final class ChangeReader {

    /**
     * The change table is read directly, not through {@code cdc.fn_cdc_get_all_changes_<ci>}: only the
     * table has {@code __$command_id}, which orders a deferred update's delete before its insert
     * (KB3030352) and lets a page end anywhere inside a transaction.
     * <ul>
     * <li>{@code TOP (?)} with the ORDER BY of the clustered key {@code (__$start_lsn, __$command_id,
     * __$seqval, __$operation)}: pages in stream order, an update's op 3 right before its op 4.</li>
     * <li>{@code __$start_lsn <= ?}: the upper bound is {@code sys.fn_cdc_get_max_lsn()} read before
     * this query (or the LSN before a newer capture instance starts); everything below it is
     * committed by the capture process. No NOLOCK: a dirty read could see a half-written capture batch.</li>
     * <li>The nested OR is "strictly after the position" in the same tuple order as the ORDER BY.</li>
     * <li>{@code __$start_lsn >= ?} (the position's commit LSN) is implied by that OR, but stated on its
     * own it is a plain range on the clustered key's leading column, so an engine that does not derive
     * it from the OR (H2 behind the emulator) seeks to the position instead of scanning the change table
     * from its start on every page (page cost then grew along the table; 3.5x slower reads). SQL Server
     * derives the seek itself; the explicit bound costs it nothing.</li>
     * <li>LEFT JOIN {@code cdc.lsn_time_mapping}: the commit time; a missing mapping row must not hide a change.</li>
     * </ul>
     * The two {@code %s} are the bracket-quoted captured columns and the change table.
     */
    static final String CHANGES = "SELECT TOP (?) ct.[__$start_lsn], ct.[__$command_id], ct.[__$seqval], ct.[__$operation], "
            + "ct.[__$update_mask], m.[tran_end_time]%s "
            + "FROM %s AS ct LEFT JOIN [cdc].[lsn_time_mapping] AS m ON m.[start_lsn] = ct.[__$start_lsn] "
            + "WHERE ct.[__$start_lsn] <= ? AND ct.[__$start_lsn] >= ? AND (ct.[__$start_lsn] > ? OR (ct.[__$start_lsn] = ? AND "
            + "(ct.[__$command_id] > ? OR (ct.[__$command_id] = ? AND (ct.[__$seqval] > ? OR "
            + "(ct.[__$seqval] = ? AND ct.[__$operation] > ?)))))) "
            + "ORDER BY ct.[__$start_lsn], ct.[__$command_id], ct.[__$seqval], ct.[__$operation]";

    /** Columns before the captured ones in {@link #CHANGES}. */
    private static final int METADATA_COLUMNS = 6;

    /** Seconds a change query may run before the driver cancels it (and the table retries with backoff). */
    static final int QUERY_TIMEOUT_SECONDS = 60;

    private final ZoneOffset serverOffset;

    public ChangeReader(ZoneOffset serverOffset) {
        this.serverOffset = serverOffset;
    }

    public static String changesSql(CaptureInstance ci) {
        String columns = ci.columnNames().stream().map(n -> ", ct." + TableName.quote(n)).collect(Collectors.joining());
        return String.format(CHANGES, columns, ci.changeTable());
    }

    /** Binds the parameters of {@link #changesSql}: at most {@code limit} rows strictly after {@code after}, up to {@code upTo}. */
    public static void bind(PreparedStatement ps, Position after, Lsn upTo, int limit) throws SQLException {
        int p = 1;
        ps.setInt(p++, limit);
        ps.setBytes(p++, upTo.bytes());
        ps.setBytes(p++, after.commitLsn().bytes());
        ps.setBytes(p++, after.commitLsn().bytes());
        ps.setBytes(p++, after.commitLsn().bytes());
        ps.setInt(p++, after.commandId());
        ps.setInt(p++, after.commandId());
        ps.setBytes(p++, after.seqval().bytes());
        ps.setBytes(p++, after.seqval().bytes());
        ps.setInt(p, after.operation().code());
    }

    public Page read(Connection c, CaptureInstance ci, Position after, Lsn upTo, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(changesSql(ci))) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            bind(ps, after, upTo, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return Page.of(rows(rs, columns(rs.getMetaData(), ci)), limit, ci.source().toString());
            }
        }
    }

    /** The captured columns with the types the driver reports for them in this result. */
    private static Columns columns(ResultSetMetaData md, CaptureInstance ci) throws SQLException {
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < ci.columns().size(); i++) {
            int index = METADATA_COLUMNS + 1 + i;
            types.add(new ColumnType(md.getColumnTypeName(index), md.getPrecision(index), md.getScale(index)));
        }
        return new Columns(ci.columns(), types);
    }

    private List<ChangeRow> rows(ResultSet rs, Columns columns) throws SQLException {
        List<ChangeRow> rows = new ArrayList<>();
        while (rs.next()) {
            Position position = new Position(Lsn.of(rs.getBytes(1)), rs.getInt(2), Lsn.of(rs.getBytes(3)),
                    Operation.of(rs.getInt(4)));
            UpdateMask mask = UpdateMask.of(rs.getBytes(5));
            LocalDateTime commitLocal = rs.getObject(6, LocalDateTime.class);
            Instant commitTime = commitLocal == null ? null : commitLocal.toInstant(serverOffset);
            RowImage image = RowImage.wrap(columns, columns.read(rs, METADATA_COLUMNS + 1));
            rows.add(new ChangeRow(position, mask, commitTime, image));
        }
        return rows;
    }
}
