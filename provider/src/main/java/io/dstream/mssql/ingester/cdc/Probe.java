package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CaptureInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cheap query per poll cycle telling which change tables hold anything after a table's position:
 * the newest {@code __$start_lsn} of every change table, so that idle tables cost no change query and
 * the idle cost does not grow with the number of tables. {@code MAX} of the leading column of the
 * clustered index is a single index seek per change table.
 */
public final class Probe {

    /** One branch per change table; {@code %d} is the instance's index in the list, {@code %s} the change table. */
    static final String BRANCH = "SELECT %d AS idx, MAX([__$start_lsn]) AS max_lsn FROM %s";

    private Probe() {
    }

    public static String sql(List<CaptureInstance> instances) {
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            branches.add(String.format(BRANCH, i, instances.get(i).changeTable()));
        }
        return String.join(" UNION ALL ", branches);
    }

    /** Capture instance name → its newest commit LSN; absent when its change table is empty. */
    public static Map<String, Lsn> run(Connection c, List<CaptureInstance> instances) throws SQLException {
        Map<String, Lsn> newest = new HashMap<>();
        if (instances.isEmpty()) {
            return newest;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql(instances))) {
            while (rs.next()) {
                Lsn lsn = Lsn.ofNullable(rs.getBytes(2));
                if (lsn != null) {
                    newest.put(instances.get(rs.getInt(1)).name(), lsn);
                }
            }
        }
        return newest;
    }
}
