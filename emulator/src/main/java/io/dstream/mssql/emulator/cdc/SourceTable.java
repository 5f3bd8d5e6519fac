package io.dstream.mssql.emulator.cdc;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.DatabaseContext;
import io.dstream.mssql.emulator.engine.SqlType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A table as CDC sees it: columns with declared types, its primary key and unique indexes. */
record SourceTable(String schema, String name, List<SourceColumn> columns, Optional<UniqueIndex> primaryKey,
                   List<UniqueIndex> uniqueIndexes, List<String> otherIndexes) {

    record SourceColumn(String name, int columnId, SqlType type, boolean nullable, boolean computed) {
    }

    record UniqueIndex(String name, List<String> columns) {
    }

    private static final String FIND = "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE LOWER(TABLE_SCHEMA) = LOWER(?) AND LOWER(TABLE_NAME) = LOWER(?) AND TABLE_TYPE = 'BASE TABLE'";
    private static final String COLUMNS = "SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, "
            + "NUMERIC_PRECISION, COALESCE(NUMERIC_SCALE, DATETIME_PRECISION, 0), IS_NULLABLE, IS_GENERATED "
            + "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    private static final String CONSTRAINTS = "SELECT c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME "
            + "FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k "
            + "ON k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME "
            + "WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') "
            + "ORDER BY c.CONSTRAINT_NAME, k.ORDINAL_POSITION";
    private static final String INDEXES = "SELECT i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME "
            + "FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c "
            + "ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME "
            + "WHERE i.TABLE_SCHEMA = ? AND i.TABLE_NAME = ? ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION";

    /** Finds a table by name, case-insensitively as SQL Server's default collation does. */
    static Optional<SourceTable> find(Connection connection, DatabaseContext database, String schema, String table)
            throws SQLException {
        String s;
        String t;
        try (PreparedStatement ps = connection.prepareStatement(FIND)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                s = rs.getString(1);
                t = rs.getString(2);
            }
        }
        List<Column> declared = database.declaredColumns(s, t);
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setString(1, s);
            ps.setString(2, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    SqlType type = declared.stream().filter(c -> Names.same(c.name(), name)).findFirst()
                            .map(Column::type)
                            .orElseGet(() -> fallbackType(rs));
                    columns.add(new SourceColumn(name, rs.getInt(2), type, "YES".equals(rs.getString(7)),
                            "ALWAYS".equals(rs.getString(8))));
                }
            }
        }
        Optional<UniqueIndex> pk = Optional.empty();
        List<UniqueIndex> unique = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (KeyGroup key : keyGroups(connection, CONSTRAINTS, s, t)) {
            if ("PRIMARY KEY".equals(key.type())) {
                pk = Optional.of(key.index());
            } else {
                unique.add(key.index());
            }
        }
        for (KeyGroup index : keyGroups(connection, INDEXES, s, t)) {
            if ("UNIQUE INDEX".equals(index.type())) {
                unique.add(index.index());
            } else if (!"PRIMARY KEY".equals(index.type())) {
                other.add(index.index().name());
            }
        }
        return Optional.of(new SourceTable(s, t, columns, pk, unique, other));
    }

    /** A constraint or index with its type and columns, from rows of (name, type, column) ordered by name. */
    private record KeyGroup(String type, UniqueIndex index) {
    }

    private static List<KeyGroup> keyGroups(Connection connection, String sql, String schema, String table)
            throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.putIfAbsent(rs.getString(1), rs.getString(2));
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        List<KeyGroup> groups = new ArrayList<>();
        columns.forEach((name, cols) -> groups.add(new KeyGroup(types.get(name), new UniqueIndex(name, List.copyOf(cols)))));
        return groups;
    }

    private static SqlType fallbackType(ResultSet rs) {
        try {
            return H2Types.toSqlType(rs.getString(3), rs.getLong(4), rs.getInt(5), rs.getInt(6));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<SourceColumn> column(String name) {
        return columns.stream().filter(c -> Names.same(c.name(), name)).findFirst();
    }
}
