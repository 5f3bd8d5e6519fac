package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * H2's metadata as the catalog views need it, read with one query per kind (tables, columns, keys,
 * indexes) rather than one per table: H2 computes its INFORMATION_SCHEMA views over all tables
 * on every query, so per-table lookups cost O(tables²). A snapshot is shared by every query until
 * the schema changes ({@link #isCurrent}), so catalog queries between DDL statements (a CDC reader
 * asks for its capture instances on every poll) do not read H2's metadata again.
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
            + "WHERE TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PUBLIC', 'sys') "
            // a session's table variables (H2 local temporary tables) are no catalog objects
            + "AND TABLE_TYPE <> 'LOCAL TEMPORARY' ORDER BY TABLE_SCHEMA, TABLE_NAME";

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

    private final H2Database db;
    private final long h2MetaVersion;
    private final long declaredVersion;
    private List<TableRef> tables;
    private Map<String, List<ColumnInfo>> columns;
    private Map<String, List<Index>> indexes;

    /**
     * @param h2MetaVersion   H2's metadata version ({@link #h2MetaVersion}) read before any metadata
     * @param declaredVersion the engine's version of declared types read before any metadata
     */
    CatalogSnapshot(H2Database db, long h2MetaVersion, long declaredVersion) {
        this.db = db;
        this.h2MetaVersion = h2MetaVersion;
        this.declaredVersion = declaredVersion;
    }

    /**
     * H2's counter of schema changes of the database behind {@code c}: every CREATE, ALTER and DROP
     * moves it, whoever runs it (an extension's own connection included).
     */
    static long h2MetaVersion(Connection c) throws SQLException {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getModificationMetaId();
    }

    /** Whether nothing this snapshot shows can have changed since it was started. */
    boolean isCurrent(long h2Meta, long declared) {
        return h2Meta == h2MetaVersion && declared == declaredVersion;
    }

    /** The tables and views; {@code connection} reads them if this snapshot has not yet. */
    synchronized List<TableRef> tables(Connection connection) throws SQLException {
        if (tables == null) {
            List<TableRef> read = new ArrayList<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
                while (rs.next()) {
                    read.add(new TableRef(rs.getString(1), rs.getString(2), "VIEW".equals(rs.getString(3))));
                }
            }
            tables = List.copyOf(read);
        }
        return tables;
    }

    synchronized List<ColumnInfo> columns(Connection connection, TableRef table) throws SQLException {
        if (columns == null) {
            Map<String, List<ColumnInfo>> read = new LinkedHashMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(COLUMNS)) {
                while (rs.next()) {
                    read.computeIfAbsent(key(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(column(rs, db, rs.getString(1), rs.getString(2), 3));
                }
            }
            columns = read;
        }
        return columns.getOrDefault(key(table.schema(), table.name()), List.of());
    }

    /** Keys first (primary key, then unique constraints), then plain indexes. */
    synchronized List<Index> indexes(Connection connection, TableRef table) throws SQLException {
        if (indexes == null) {
            Map<String, List<Index>> read = new LinkedHashMap<>();
            Map<String, Index> byName = new LinkedHashMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(KEYS)) {
                while (rs.next()) {
                    String tableKey = key(rs.getString(1), rs.getString(2));
                    String name = rs.getString(3);
                    Index.Kind kind = "PRIMARY KEY".equals(rs.getString(4)) ? Index.Kind.PRIMARY_KEY : Index.Kind.UNIQUE_CONSTRAINT;
                    Index index = byName.computeIfAbsent(tableKey + "\u0001" + name,
                            k -> add(read, tableKey, new Index(name, kind, true, new ArrayList<>())));
                    index.columns().add(rs.getString(5));
                }
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(INDEXES)) {
                while (rs.next()) {
                    String tableKey = key(rs.getString(1), rs.getString(2));
                    String name = rs.getString(3);
                    boolean unique = rs.getString(4).contains("UNIQUE");
                    Index index = byName.computeIfAbsent(tableKey + "\u0002" + name,
                            k -> add(read, tableKey, new Index(name, Index.Kind.INDEX, unique, new ArrayList<>())));
                    index.columns().add(rs.getString(5));
                }
            }
            indexes = read;
        }
        return indexes.getOrDefault(key(table.schema(), table.name()), List.of());
    }

    private static Index add(Map<String, List<Index>> indexes, String tableKey, Index index) {
        indexes.computeIfAbsent(tableKey, k -> new ArrayList<>()).add(index);
        return index;
    }

    /** H2 keeps schema names as created but resolves table names in any case (CASE_INSENSITIVE_IDENTIFIERS). */
    private static String key(String schema, String table) {
        return schema + "\u0000" + table.toLowerCase(Locale.ROOT);
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
