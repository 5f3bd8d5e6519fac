package io.dstream.mssql.emulator.cdc;

import static io.dstream.mssql.emulator.cdc.Names.CDC;
import static io.dstream.mssql.emulator.cdc.Names.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.h2.value.Value;
import java.util.Locale;
import org.h2.api.ErrorCode;

/**
 * The {@code sys.fn_cdc_*} functions, as H2 aliases ({@code CREATE ALIAS sys.fn_cdc_get_max_lsn FOR
 * 'io.dstream.mssql.emulator.cdc.SystemFunctions.getMaxLsn'}); H2 injects the caller's connection.
 */
public final class SystemFunctions {

    /** Alias name → method name, created in schema {@code sys} of every database. */
    static final List<String[]> ALIASES = List.of(
            new String[] {"fn_cdc_get_min_lsn", "getMinLsn"},
            new String[] {"fn_cdc_get_max_lsn", "getMaxLsn"},
            new String[] {"fn_cdc_increment_lsn", "incrementLsn"},
            new String[] {"fn_cdc_decrement_lsn", "decrementLsn"},
            new String[] {"fn_cdc_map_lsn_to_time", "mapLsnToTime"},
            new String[] {"fn_cdc_map_time_to_lsn", "mapTimeToLsn"},
            new String[] {"fn_cdc_is_bit_set", "isBitSet"},
            new String[] {"fn_cdc_get_column_ordinal", "getColumnOrdinal"},
            new String[] {"fn_cdc_has_column_changed", "hasColumnChanged"});

    private static final String MIN_LSN = "SELECT \"start_lsn\" FROM " + q(CDC, Metadata.CHANGE_TABLES)
            + " WHERE \"capture_instance\" = ?";
    private static final String MAX_LSN = "SELECT MAX(\"start_lsn\") FROM " + q(CDC, Metadata.LSN_TIME_MAPPING);
    private static final String LSN_TO_TIME = "SELECT \"tran_end_time\" FROM " + q(CDC, Metadata.LSN_TIME_MAPPING)
            + " WHERE \"start_lsn\" = ?";
    private static final String COLUMN_ORDINAL = "SELECT cc.\"column_ordinal\" FROM "
            + q(CDC, Metadata.CAPTURED_COLUMNS) + " cc JOIN " + q(CDC, Metadata.CHANGE_TABLES)
            + " ct ON ct.\"object_id\" = cc.\"object_id\" WHERE ct.\"capture_instance\" = ? AND cc.\"column_name\" = ?";
    private static final String MAPPING = q(CDC, Metadata.LSN_TIME_MAPPING);

    private SystemFunctions() {
    }

    /**
     * The instance's {@code start_lsn}; all zeros when the instance does not exist (or, on SQL Server,
     * the caller may not read it), including a NULL name and a database without CDC.
     */
    public static byte[] getMinLsn(Connection connection, String captureInstance) throws SQLException {
        if (captureInstance == null) {
            return Lsn.ZERO.toBytes();
        }
        try {
            try (PreparedStatement ps = connection.prepareStatement(MIN_LSN)) {
                ps.setString(1, Names.rtrim(captureInstance));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : Lsn.ZERO.toBytes();
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1
                    || e.getErrorCode() == ErrorCode.SCHEMA_NOT_FOUND_1) {
                return Lsn.ZERO.toBytes();
            }
            throw e;
        }
    }

    /** The highest commit LSN captured; NULL before the first capture; error 208 when CDC is off. */
    public static byte[] getMaxLsn(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(MAX_LSN);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1
                    || e.getErrorCode() == ErrorCode.SCHEMA_NOT_FOUND_1) {
                throw CdcErrors.invalidObject("cdc.lsn_time_mapping");
            }
            throw e;
        }
    }

    public static byte[] incrementLsn(Value lsnArgument) {
        byte[] lsn = BinaryArgument.of(lsnArgument, "binary");
        return lsn == null ? null : Lsn.fromBytes(lsn).increment().toBytes();
    }

    public static byte[] decrementLsn(Value lsnArgument) {
        byte[] lsn = BinaryArgument.of(lsnArgument, "binary");
        return lsn == null ? null : Lsn.fromBytes(lsn).decrement().toBytes();
    }

    /** {@code tran_end_time} of the mapping row with that commit LSN; NULL when there is none (unconfirmed on SQL Server). */
    public static Timestamp mapLsnToTime(Connection connection, Value lsnArgument) throws SQLException {
        byte[] lsn = BinaryArgument.of(lsnArgument, "binary");
        if (lsn == null) {
            return null;
        }
        try (PreparedStatement ps = connection.prepareStatement(LSN_TO_TIME)) {
            ps.setBytes(1, Lsn.fromBytes(lsn).toBytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }

    /**
     * The four documented operators; ties on {@code tran_end_time} give the smallest LSN for the
     * "smallest ..." operators and the largest for the "largest ..." ones. NULL when nothing
     * qualifies, and (unconfirmed on SQL Server) for an unknown operator.
     */
    public static byte[] mapTimeToLsn(Connection connection, String operator, Timestamp time) throws SQLException {
        if (operator == null || time == null) {
            return null;
        }
        String sql = switch (operator.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")) {
            case "largest less than" -> "SELECT MAX(\"start_lsn\") FROM " + MAPPING + " WHERE \"tran_end_time\" < ?";
            case "largest less than or equal" ->
                    "SELECT MAX(\"start_lsn\") FROM " + MAPPING + " WHERE \"tran_end_time\" <= ?";
            case "smallest greater than" ->
                    "SELECT MIN(\"start_lsn\") FROM " + MAPPING + " WHERE \"tran_end_time\" > ?";
            case "smallest greater than or equal" ->
                    "SELECT MIN(\"start_lsn\") FROM " + MAPPING + " WHERE \"tran_end_time\" >= ?";
            default -> null;
        };
        if (sql == null) {
            return null;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.valueOf(SqlDateTime.round(time.toLocalDateTime())));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    public static Boolean isBitSet(Integer position, byte[] updateMask) {
        if (position == null || updateMask == null) {
            return null;
        }
        return UpdateMask.isSet(updateMask, position);
    }

    /** The column's ordinal in the update mask; NULL for a column the instance does not capture. */
    public static Integer getColumnOrdinal(Connection connection, String captureInstance, String column)
            throws SQLException {
        if (captureInstance == null || column == null) {
            return null;
        }
        try (PreparedStatement ps = connection.prepareStatement(COLUMN_ORDINAL)) {
            ps.setString(1, Names.rtrim(captureInstance));
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    public static Boolean hasColumnChanged(Connection connection, String captureInstance, String column,
                                           byte[] updateMask) throws SQLException {
        Integer ordinal = getColumnOrdinal(connection, captureInstance, column);
        if (ordinal == null || updateMask == null) {
            return null;
        }
        return UpdateMask.isSet(updateMask, ordinal);
    }
}
