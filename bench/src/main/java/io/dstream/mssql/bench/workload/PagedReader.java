package io.dstream.mssql.bench.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A diagnostic between the bare read and the provider: the change rows read the way the provider
 * reads them — pages of {@value #PAGE} rows in stream order, each resuming strictly after the last
 * row of the one before, with the commit time joined in — but with nothing done with them. The
 * bare read ÷ this read is what the query shape costs on this server; this read ÷ the provider is
 * what the provider itself costs (conversion, JSON, stdout, checkpoints, catalog polling).
 */
public final class PagedReader {

    /** The provider's default max_rows_per_query. */
    static final int PAGE = 5000;

    /**
     * The same statement as the provider's change query (ChangeReader.CHANGES), kept in step by
     * hand: TOP + ORDER BY of the clustered key, upper bound, "strictly after the position" in the
     * tuple order, LEFT JOIN for the commit time. %s is the change table.
     */
    static final String PAGE_QUERY = "SELECT TOP (?) ct.*, m.[tran_end_time] "
            + "FROM cdc.[%s_CT] AS ct LEFT JOIN [cdc].[lsn_time_mapping] AS m ON m.[start_lsn] = ct.[__$start_lsn] "
            + "WHERE ct.[__$start_lsn] <= ? AND (ct.[__$start_lsn] > ? OR (ct.[__$start_lsn] = ? AND "
            + "(ct.[__$command_id] > ? OR (ct.[__$command_id] = ? AND (ct.[__$seqval] > ? OR "
            + "(ct.[__$seqval] = ? AND ct.[__$operation] > ?)))))) "
            + "ORDER BY ct.[__$start_lsn], ct.[__$command_id], ct.[__$seqval], ct.[__$operation]";

    private static final byte[] MAX_LSN = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

    private PagedReader() {
    }

    /** Reads every change row of the tables page by page; returns the number of rows. */
    public static long readAll(Connection c, List<String> tables) throws SQLException {
        long rows = 0;
        for (String table : tables) {
            rows += readTable(c, String.format(PAGE_QUERY, BenchSchema.captureInstance(table)));
        }
        return rows;
    }

    private static long readTable(Connection c, String sql) throws SQLException {
        long rows = 0;
        byte[] lsn = new byte[10];
        int commandId = 0;
        byte[] seqval = new byte[10];
        int operation = 0;
        int read;
        do {
            read = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, PAGE);
                ps.setBytes(2, MAX_LSN);
                ps.setBytes(3, lsn);
                ps.setBytes(4, lsn);
                ps.setInt(5, commandId);
                ps.setInt(6, commandId);
                ps.setBytes(7, seqval);
                ps.setBytes(8, seqval);
                ps.setInt(9, operation);
                try (ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                        lsn = rs.getBytes("__$start_lsn");
                        commandId = rs.getInt("__$command_id");
                        seqval = rs.getBytes("__$seqval");
                        operation = rs.getInt("__$operation");
                        read++;
                    }
                }
            }
            rows += read;
        } while (read == PAGE);
        return rows;
    }
}
