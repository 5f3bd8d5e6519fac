package io.dstream.mssql.emulator.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's columns as H2 stores them, one {@code "name\0type\0length\0precision\0scale"} entry per
 * column in order, compared to notice DDL on tracked tables.
 */
final class TableShape {

    private static final String COLUMNS = "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, "
            + "NUMERIC_PRECISION, COALESCE(NUMERIC_SCALE, DATETIME_PRECISION) FROM INFORMATION_SCHEMA.COLUMNS "
            + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

    private TableShape() {
    }

    static List<String> read(Connection conn, String schema, String table) throws SQLException {
        List<String> shape = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(COLUMNS)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shape.add(String.join("\0", rs.getString(1), rs.getString(2), String.valueOf(rs.getLong(3)),
                            String.valueOf(rs.getInt(4)), String.valueOf(rs.getInt(5))));
                }
            }
        }
        return shape;
    }

    static List<String> names(List<String> shape) {
        return shape.stream().map(s -> s.substring(0, s.indexOf('\0'))).toList();
    }
}
