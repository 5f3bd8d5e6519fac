package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Lsn;

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
 *
 * <p>The same query also tells whether the capture-instance catalog the streamer holds is still
 * current, so that the catalog query need not run every cycle: each instance's
 * {@code sys.fn_cdc_get_min_lsn} (moved by cleanup, different for an instance disabled and re-created
 * under the same name) and the number of rows of {@code cdc.change_tables} (a new instance, e.g. for
 * a schema change, or a removed one). A dropped change table (CDC disabled, table dropped) makes the
 * whole query fail with error 208.
 */
public final class Probe {

    /**
     * One branch per change table; {@code %d} is the instance's index in the list, the first {@code %s}
     * its name as an N'' literal, the second its change table.
     */
    static final String BRANCH = "SELECT %d AS idx, MAX([__$start_lsn]) AS max_lsn, sys.fn_cdc_get_min_lsn(%s) AS min_lsn, "
            + "0 AS instances FROM %s";
    /** The last branch: how many capture instances the database has; idx -1 marks it. */
    static final String INSTANCE_COUNT = "SELECT -1 AS idx, NULL AS max_lsn, NULL AS min_lsn, COUNT(*) AS instances "
            + "FROM [cdc].[change_tables]";

    /**
     * What one probe saw.
     *
     * @param newest    capture instance name → its newest commit LSN; absent when its change table is empty
     * @param minLsn    capture instance name → {@code sys.fn_cdc_get_min_lsn} (null or zero: not established)
     * @param instances rows of {@code cdc.change_tables}
     */
    public record Result(Map<String, Lsn> newest, Map<String, Lsn> minLsn, int instances) {

        /**
         * True when the catalog the probed instances came from may be out of date: an instance's
         * validity interval moved, or the database gained or lost an instance.
         *
         * @param probed         the probed instances, as the catalog described them
         * @param catalogEntries rows of {@code cdc.change_tables} the catalog had
         */
        public boolean contradicts(List<CaptureInstance> probed, int catalogEntries) {
            if (instances != catalogEntries) {
                return true;
            }
            for (CaptureInstance ci : probed) {
                Lsn seen = minLsn.get(ci.name());
                boolean established = Instances.established(seen);
                if (established != Instances.established(ci.startLsn()) || established && !seen.equals(ci.startLsn())) {
                    return true;
                }
            }
            return false;
        }
    }

    private Probe() {
    }

    public static String sql(List<CaptureInstance> instances) {
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            String name = "N'" + instances.get(i).name().replace("'", "''") + "'";
            branches.add(String.format(BRANCH, i, name, instances.get(i).changeTable()));
        }
        branches.add(INSTANCE_COUNT);
        return String.join(" UNION ALL ", branches);
    }

    /** Capture instance name → its newest commit LSN; absent when its change table is empty. */
    public static Map<String, Lsn> run(Connection c, List<CaptureInstance> instances) throws SQLException {
        if (instances.isEmpty()) {
            return new HashMap<>();
        }
        return probe(c, instances).newest();
    }

    /** Runs the probe for {@code instances} (may be empty: then it only counts instances). */
    public static Result probe(Connection c, List<CaptureInstance> instances) throws SQLException {
        Map<String, Lsn> newest = new HashMap<>();
        Map<String, Lsn> minLsn = new HashMap<>();
        int count = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql(instances))) {
            while (rs.next()) {
                int idx = rs.getInt(1);
                if (idx < 0) {
                    count = rs.getInt(4);
                    continue;
                }
                String name = instances.get(idx).name();
                Lsn lsn = Lsn.ofNullable(rs.getBytes(2));
                if (lsn != null) {
                    newest.put(name, lsn);
                }
                Lsn min = Lsn.ofNullable(rs.getBytes(3));
                if (min != null) {
                    minLsn.put(name, min);
                }
            }
        }
        return new Result(newest, minLsn, count);
    }
}
