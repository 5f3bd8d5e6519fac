package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Retention cleanup (reference §6.2): the instance's {@code start_lsn} (its minimum LSN) moves up to
 * the low water mark, never down; change rows below it are deleted.
 */
final class Cleanup {

    private static final String START_LSN = "SELECT \"start_lsn\" FROM " + q(CDC, Metadata.CHANGE_TABLES)
            + " WHERE \"capture_instance\" = ?";
    private static final String MOVE = "UPDATE " + q(CDC, Metadata.CHANGE_TABLES) + " SET \"start_lsn\" = ? "
            + "WHERE \"capture_instance\" = ? AND (\"start_lsn\" IS NULL OR \"start_lsn\" < ?)";
    /** A low water mark must be a commit LSN of the mapping table; ties on commit time resolve to the smallest. */
    private static final String MAPPED = "SELECT MIN(m2.\"start_lsn\") FROM " + q(CDC, Metadata.LSN_TIME_MAPPING)
            + " m1 JOIN " + q(CDC, Metadata.LSN_TIME_MAPPING) + " m2 ON m2.\"tran_end_time\" = m1.\"tran_end_time\" "
            + "WHERE m1.\"start_lsn\" = ?";
    private static final String MAX = "SELECT MAX(\"start_lsn\") FROM " + q(CDC, Metadata.LSN_TIME_MAPPING);

    private Cleanup() {
    }

    /** {@code sp_cdc_cleanup_change_table}'s checks: the mark must be a mapped commit LSN (22964). */
    static Lsn resolveMark(Connection connection, Lsn mark) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(MAPPED)) {
            ps.setBytes(1, mark.toBytes());
            try (ResultSet rs = ps.executeQuery()) {
                byte[] b = rs.next() ? rs.getBytes(1) : null;
                if (b == null) {
                    throw CdcErrors.lowWaterMarkNotInMapping(mark);
                }
                return Lsn.fromBytes(b);
            }
        }
    }

    static Lsn maxLsn(Connection connection) throws SQLException {
        byte[] b = ChangeFunctions.bytes(connection, MAX, null);
        return b == null ? null : Lsn.fromBytes(b);
    }

    /** Moves the instance's start_lsn up to {@code mark} (if higher) and deletes rows below the result. */
    static void apply(Connection connection, CaptureInstance ci, Lsn mark) throws SQLException {
        if (mark != null) {
            try (PreparedStatement ps = connection.prepareStatement(MOVE)) {
                ps.setBytes(1, mark.toBytes());
                ps.setString(2, ci.name());
                ps.setBytes(3, mark.toBytes());
                ps.executeUpdate();
            }
        }
        byte[] start = ChangeFunctions.bytes(connection, START_LSN, ci.name());
        if (start == null) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + q(CDC, Names.changeTable(ci.name()))
                + " WHERE \"__$start_lsn\" < ?")) {
            ps.setBytes(1, start);
            ps.executeUpdate();
        }
    }

    /**
     * Removes mapping rows below every instance's start_lsn, keeping the newest row so that
     * {@code fn_cdc_get_max_lsn} never goes back (the cleanup job's last step).
     */
    static void pruneMapping(Connection connection) throws SQLException {
        String sql = "DELETE FROM " + q(CDC, Metadata.LSN_TIME_MAPPING) + " WHERE \"start_lsn\" < (SELECT MIN(\"start_lsn\") FROM "
                + q(CDC, Metadata.CHANGE_TABLES) + ") AND \"start_lsn\" < (SELECT MAX(\"start_lsn\") FROM "
                + q(CDC, Metadata.LSN_TIME_MAPPING) + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
