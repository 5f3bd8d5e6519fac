package io.dstream.mssql.bench.workload;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The baseline the drain is compared with: the least a JDBC client must do to get the same
 * change rows out of the same server — one ordered query per change table, every column of every
 * row materialised with {@code getObject} — and nothing else (no JSON, no checkpoints, no paging).
 */
public final class BareReader {

    /** The provider's order too; an index-ordered scan on SQL Server (the change table's clustered key). */
    static final String READ_CHANGE_TABLE = "SELECT * FROM cdc.[%s_CT] ORDER BY __$start_lsn, __$seqval, __$operation";

    private BareReader() {
    }

    /** Reads every change row of the tables' capture instances; returns the number of rows. */
    public static long readAll(Connection c, List<String> tables) throws SQLException {
        long rows = 0;
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery(String.format(READ_CHANGE_TABLE, BenchSchema.captureInstance(table)))) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                        rows++;
                    }
                }
            }
        }
        return rows;
    }
}
