package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * H2's metadata for one catalog-view query, read with one query per kind (tables, columns, keys,
 * indexes) rather than one per table: H2 computes its INFORMATION_SCHEMA views over all tables
 * on every query, so per-table lookups cost O(tables²).
 */
final class CatalogSnapshot {

    /** A table or view as H2 names it. */
    record TableRef(String schema, String name, boolean view) {
    }

    /** One column of a table, as the catalog describes it. */
    record ColumnInfo(Column column, int ordinal, boolean identity, boolean computed, String defaultValue) {
    }

    /** An index: a primary key, a unique constraint, or a plain CREATE [UNIQUE] INDEX. */
    record Index(String name, Kind kind, boolean unique, List<String> columns) {
        enum Kind { PRIMARY_KEY, UNIQUE_CONSTRAINT, INDEX }
    }

    private static final String TABLES = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PUBLIC', 'sys') ORDER BY TABLE_SCHEMA, TABLE_NAME";

    private static final String COLUMNS = "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, "
            + "DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_IDENTITY, "
            + "COLUMN_DEFAULT, IS_GENERATED FROM INFORMATION_SCHEMA.COLUMNS "
            + "WHERE TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PUBLIC', 'sys') "
            + "ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION";

    /** Primary keys first (SQL Server gives the clustered primary key index_id 1), then unique constraints. */
    private static final String KEYS = "SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, "
            + "k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k "
            + "ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
            + "WHERE tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') "
            + "ORDER BY tc.TABLE_SCHEMA, tc.TABLE_NAME, CASE tc.CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 0 ELSE 1 END, "
            + "tc.CONSTRAINT_NAME, k.ORDINAL_POSITION";

    /** Indexes made by CREATE INDEX (H2 marks the ones backing constraints as generated). */
    private static final String INDEXES = "SELECT i.TABLE_SCHEMA, i.TABLE_NAME, i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME "
            + "FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c "
            + "ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME "
            + "WHERE i.IS_GENERATED = FALSE ORDER BY i.TABLE_SCHEMA, i.TABLE_NAME, i.INDEX_NAME, c.ORDINAL_POSITION";

    private final Connection connection;
    private final H2Database db;
    private List<TableRef> tables;
    private Map<String, List<ColumnInfo>> columns;
    private Map<String, List<Index>> indexes;

    CatalogSnapshot(Connection connection, H2Database db) {
        this.connection = connection;
        this.db = db;
    }

    List<TableRef> tables() throws SQLException {
        if (tables == null) {
            tables = new ArrayList<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
                while (rs.next()) {
                    tables.add(new TableRef(rs.getString(1), rs.getString(2), "VIEW".equals(rs.getString(3))));
                }
            }
        }
        return tables;
    }

    List<ColumnInfo> columns(TableRef table) throws SQLException {
        if (columns == null) {
            columns = new LinkedHashMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(COLUMNS)) {
                while (rs.next()) {
                    columns.computeIfAbsent(key(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(column(rs, db, rs.getString(1), rs.getString(2), 3));
                }
            }
        }
        return columns.getOrDefault(key(table.schema(), table.name()), List.of());
    }

    /** Keys first (primary key, then unique constraints), then plain indexes. */
    List<Index> indexes(TableRef table) throws SQLException {
        if (indexes == null) {
            indexes = new LinkedHashMap<>();
            Map<String, Index> byName = new LinkedHashMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(KEYS)) {
                while (rs.next()) {
                    String tableKey = key(rs.getString(1), rs.getString(2));
                    String name = rs.getString(3);
                    Index.Kind kind = "PRIMARY KEY".equals(rs.getString(4)) ? Index.Kind.PRIMARY_KEY : Index.Kind.UNIQUE_CONSTRAINT;
                    Index index = byName.computeIfAbsent(tableKey + "\u0001" + name,
                            k -> add(tableKey, new Index(name, kind, true, new ArrayList<>())));
                    index.columns().add(rs.getString(5));
                }
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(INDEXES)) {
                while (rs.next()) {
                    String tableKey = key(rs.getString(1), rs.getString(2));
                    String name = rs.getString(3);
                    boolean unique = rs.getString(4).contains("UNIQUE");
                    Index index = byName.computeIfAbsent(tableKey + "\u0002" + name,
                            k -> add(tableKey, new Index(name, Index.Kind.INDEX, unique, new ArrayList<>())));
                    index.columns().add(rs.getString(5));
                }
            }
        }
        return indexes.getOrDefault(key(table.schema(), table.name()), List.of());
    }

    private Index add(String tableKey, Index index) {
        indexes.computeIfAbsent(tableKey, k -> new ArrayList<>()).add(index);
        return index;
    }

    private static String key(String schema, String table) {
        return schema + "\u0000" + table;
    }

    /** A column from an INFORMATION_SCHEMA.COLUMNS row whose COLUMN_NAME is at {@code first}. */
    static ColumnInfo column(ResultSet rs, H2Database db, String schema, String table, int first) throws SQLException {
        String name = rs.getString(first);
        SqlType declared = db.declaredType(schema, table, name);
        if (declared == null) {
            String h2Type = rs.getString(first + 3);
            long length = rs.getLong(first + 4);
            long precision = rs.wasNull() ? rs.getLong(first + 5) : length;
            int scale = h2Type.startsWith("TIME") ? rs.getInt(first + 7) : rs.getInt(first + 6);
            declared = SqlTypes.fromH2(h2Type, precision, scale);
        }
        return new ColumnInfo(new Column(name, declared, "YES".equals(rs.getString(first + 2))), rs.getInt(first + 1),
                "YES".equals(rs.getString(first + 8)), !"NEVER".equals(rs.getString(first + 10)), rs.getString(first + 9));
    }
}
