package io.dstream.mssql.bench.workload;

import io.dstream.mssql.ingester.cdc.ChangeReader;
import io.dstream.mssql.ingester.cdc.Operation;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Lsn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A diagnostic between the bare read and the provider: the change rows read with the provider's own
 * change query ({@link ChangeReader#changesSql}, {@link ChangeReader#bind}) — pages of {@value #PAGE}
 * rows in stream order, each resuming strictly after the last row of the one before, with the commit
 * time joined in — but with nothing done with them. The bare read ÷ this read is what the query shape
 * costs on this server; this read ÷ the provider is what the provider itself costs (conversion, JSON,
 * stdout, checkpoints, catalog polling).
 */
public final class PagedReader {

    /** The provider's default max_rows_per_query. */
    static final int PAGE = 5000;

    private PagedReader() {
    }

    /** Reads every change row of the tables ({@code dbo} tables by name) page by page; returns the number of rows. */
    public static long readAll(Connection c, List<String> tables) throws SQLException {
        Map<String, List<CaptureInstance>> catalog = Catalog.captureInstances(c);
        long rows = 0;
        for (String table : tables) {
            CaptureInstance ci = catalog.get(Catalog.key(new TableName("dbo", table))).get(0);
            rows += readTable(c, ci.withColumns(Catalog.capturedColumns(c, ci.objectId())));
        }
        return rows;
    }

    private static long readTable(Connection c, CaptureInstance ci) throws SQLException {
        long rows = 0;
        Position after = Position.afterCommit(Lsn.ZERO);
        int read;
        do {
            read = 0;
            try (PreparedStatement ps = c.prepareStatement(ChangeReader.changesSql(ci))) {
                ChangeReader.bind(ps, after, Lsn.MAX, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                        after = new Position(Lsn.of(rs.getBytes(1)), rs.getInt(2), Lsn.of(rs.getBytes(3)), Operation.of(rs.getInt(4)));
                        read++;
                    }
                }
            }
            rows += read;
        } while (read == PAGE);
        return rows;
    }
}
