package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.h2.tools.SimpleResultSet;

/**
 * {@code cdc.fn_cdc_get_all_changes_<ci>} and {@code cdc.fn_cdc_get_net_changes_<ci>}, reading the
 * metadata tables through the caller's connection. Public because each capture instance's copy of
 * {@link BoundChangeFunctions} lives in its own class loader.
 */
public final class ChangeFunctions {

    private static final String INSTANCE = "SELECT \"start_lsn\" FROM " + q(CDC, Metadata.CHANGE_TABLES)
            + " WHERE \"capture_instance\" = ?";
    private static final String CAPTURED = "SELECT cc.\"column_name\" FROM " + q(CDC, Metadata.CAPTURED_COLUMNS)
            + " cc JOIN " + q(CDC, Metadata.CHANGE_TABLES) + " ct ON ct.\"object_id\" = cc.\"object_id\" "
            + "WHERE ct.\"capture_instance\" = ? ORDER BY cc.\"column_ordinal\"";
    private static final String INDEX = "SELECT ic.\"column_name\" FROM " + q(CDC, Metadata.INDEX_COLUMNS)
            + " ic JOIN " + q(CDC, Metadata.CHANGE_TABLES) + " ct ON ct.\"object_id\" = ic.\"object_id\" "
            + "WHERE ct.\"capture_instance\" = ? ORDER BY ic.\"index_ordinal\"";
    private static final String MAX_LSN = "SELECT MAX(\"start_lsn\") FROM " + q(CDC, Metadata.LSN_TIME_MAPPING);
    private static final String COLUMN_LIST_URL = "jdbc:columnlist:";

    private ChangeFunctions() {
    }

    public static ResultSet allChanges(Connection connection, String captureInstance, byte[] fromLsn, byte[] toLsn,
                                       String rowFilterOption) throws SQLException {
        List<String> captured = strings(connection, CAPTURED, captureInstance);
        boolean columnsOnly = isColumnListCall(connection);
        String option = normalise(rowFilterOption);
        if (!columnsOnly) {
            validate(connection, captureInstance, fromLsn, toLsn, false);
            if (!option.equals("all") && !option.equals("all update old")) {
                throw CdcErrors.invalidRange(false);
            }
        }
        StringBuilder sql = new StringBuilder("SELECT \"__$start_lsn\", \"__$seqval\", \"__$operation\", "
                + "\"__$update_mask\"");
        for (String c : captured) {
            sql.append(", ").append(q(c));
        }
        sql.append(" FROM ").append(q(CDC, Names.changeTable(captureInstance)));
        if (columnsOnly) {
            sql.append(" WHERE 1 = 0");
            return connection.createStatement().executeQuery(sql.toString());
        }
        // Inclusive on both ends, on the commit LSN only; 'all' shows an update as its after-image.
        sql.append(" WHERE \"__$start_lsn\" >= ? AND \"__$start_lsn\" <= ?");
        if (option.equals("all")) {
            sql.append(" AND \"__$operation\" <> 3");
        }
        sql.append(" ORDER BY \"__$start_lsn\", \"__$seqval\", \"__$operation\"");
        PreparedStatement ps = connection.prepareStatement(sql.toString());
        ps.setBytes(1, Lsn.fromBytes(fromLsn).toBytes());
        ps.setBytes(2, Lsn.fromBytes(toLsn).toBytes());
        return ps.executeQuery();
    }

    /**
     * The net changes algorithm of the generated function (reference §3.4): per row identifier, the
     * last change in the window, its operation derived from the first and last operations.
     */
    public static ResultSet netChanges(Connection connection, String captureInstance, byte[] fromLsn, byte[] toLsn,
                                       String rowFilterOption) throws SQLException {
        List<String> captured = strings(connection, CAPTURED, captureInstance);
        List<String> key = strings(connection, INDEX, captureInstance);
        boolean columnsOnly = isColumnListCall(connection);
        String option = normalise(rowFilterOption);
        if (!columnsOnly) {
            validate(connection, captureInstance, fromLsn, toLsn, true);
            if (!option.equals("all") && !option.equals("all with mask") && !option.equals("all with merge")) {
                throw CdcErrors.invalidRange(true);
            }
        }
        StringBuilder sql = new StringBuilder("SELECT \"__$start_lsn\", \"__$seqval\", \"__$operation\", "
                + "\"__$update_mask\"");
        for (String c : captured) {
            sql.append(", ").append(q(c));
        }
        sql.append(" FROM ").append(q(CDC, Names.changeTable(captureInstance)))
                .append(" WHERE \"__$start_lsn\" >= ? AND \"__$start_lsn\" <= ?")
                .append(" ORDER BY \"__$start_lsn\", \"__$seqval\", \"__$operation\"");
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            ps.setBytes(1, columnsOnly ? Lsn.ZERO.toBytes() : Lsn.fromBytes(fromLsn).toBytes());
            ps.setBytes(2, columnsOnly ? Lsn.ZERO.toBytes() : Lsn.fromBytes(toLsn).toBytes());
            try (ResultSet rs = ps.executeQuery()) {
                SimpleResultSet out = netColumns(rs.getMetaData());
                if (!columnsOnly) {
                    NetChanges.compute(rs, captured, key, option).forEach(out::addRow);
                }
                return out;
            }
        }
    }

    private static SimpleResultSet netColumns(ResultSetMetaData meta) throws SQLException {
        SimpleResultSet out = new SimpleResultSet();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (i == 2) {
                continue; // the net function has no __$seqval
            }
            out.addColumn(meta.getColumnLabel(i), meta.getColumnType(i), meta.getColumnTypeName(i),
                    meta.getPrecision(i), meta.getScale(i));
        }
        return out;
    }

    /**
     * The checks of {@code sys.fn_cdc_check_parameters}; every failure is the same error 313.
     */
    private static void validate(Connection connection, String captureInstance, byte[] fromLsn, byte[] toLsn,
                                 boolean net) throws SQLException {
        if (fromLsn == null || toLsn == null) {
            throw CdcErrors.invalidRange(net);
        }
        byte[] min = bytes(connection, INSTANCE, captureInstance);
        byte[] max = bytes(connection, MAX_LSN, null);
        if (min == null || max == null) {
            throw CdcErrors.invalidRange(net);
        }
        Lsn from = Lsn.fromBytes(fromLsn);
        Lsn to = Lsn.fromBytes(toLsn);
        if (from.compareTo(Lsn.fromBytes(min)) < 0 || to.compareTo(Lsn.fromBytes(max)) > 0 || from.compareTo(to) > 0) {
            throw CdcErrors.invalidRange(net);
        }
    }

    /** H2 first calls a table function with a special connection only to learn its columns. */
    private static boolean isColumnListCall(Connection connection) throws SQLException {
        return connection.getMetaData().getURL().startsWith(COLUMN_LIST_URL);
    }

    /** The generated functions normalise the option with {@code lower(rtrim(ltrim(...)))}. */
    private static String normalise(String option) {
        return option == null ? "" : option.trim().toLowerCase(Locale.ROOT);
    }

    static List<String> strings(Connection connection, String sql, String parameter) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static byte[] bytes(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
