package io.dstream.mssql.emulator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.tools.SimpleResultSet;

/**
 * SQL Server's catalog views ({@code sys.tables}, {@code sys.columns}, …, and the
 * {@code INFORMATION_SCHEMA} views with SQL Server's type names), computed on each query from H2's
 * own metadata plus the declared types, object ids and CDC flags the engine keeps. Each view is an
 * H2 view over a Java table function, so it is always in step with DDL.
 */
public final class Catalog {

    /** The sys views, in creation order. */
    static final List<String> VIEWS = List.of("databases", "schemas", "tables", "views", "columns", "types", "objects",
            "indexes", "index_columns", "__information_schema_tables", "__information_schema_columns");

    static final Set<String> INFORMATION_SCHEMA_VIEWS = Set.of("TABLES", "COLUMNS");

    /** H2 schemas that are not SQL Server objects. */
    private static final Set<String> HIDDEN_SCHEMAS = Set.of("INFORMATION_SCHEMA", "PUBLIC");

    private static final String H2_TABLES = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PUBLIC', 'sys') ORDER BY TABLE_SCHEMA, TABLE_NAME";

    private static final String H2_COLUMNS = "SELECT COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, DATA_TYPE, "
            + "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_IDENTITY, "
            + "COLUMN_DEFAULT, IS_GENERATED FROM INFORMATION_SCHEMA.COLUMNS "
            + "WHERE TABLE_SCHEMA = ? AND LOWER(TABLE_NAME) = LOWER(?) ORDER BY ORDINAL_POSITION";

    /** Primary keys and unique constraints with their columns in key order. */
    private static final String H2_KEYS = "SELECT tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME "
            + "FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k "
            + "ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
            + "WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') "
            + "ORDER BY CASE tc.CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 0 ELSE 1 END, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION";

    /** Plain (non-constraint) indexes with their columns. */
    private static final String H2_INDEXES = "SELECT i.INDEX_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME, c.ORDERING_SPECIFICATION "
            + "FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c "
            + "ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME "
            + "WHERE i.TABLE_SCHEMA = ? AND i.TABLE_NAME = ? AND i.IS_GENERATED = FALSE ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION";

    private Catalog() {
    }

    /** Creates schemas dbo and sys, the function aliases and the catalog views in a new database. */
    static void install(Connection c, int databaseId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"dbo\"");
            s.execute("CREATE SCHEMA IF NOT EXISTS \"sys\"");
            s.execute("CREATE SCHEMA IF NOT EXISTS \"guest\"");
            // sysname is nvarchar(128) NOT NULL in SQL Server; H2 needs it as a domain for CAST/CREATE TABLE
            for (String[] alias : Functions.ALIASES) {
                s.execute("CREATE ALIAS \"sys\".\"" + alias[0] + "\" FOR '" + Functions.class.getName() + "." + alias[1] + "'");
            }
            s.execute("CREATE ALIAS \"sys\".\"__catalog\" FOR '" + Catalog.class.getName() + ".view'");
            for (String view : VIEWS) {
                s.execute(viewDefinition(databaseId, view));
            }
        }
    }

    /**
     * The view over the table function. Text columns compare case-insensitively, as they do under
     * SQL Server's default collation ({@code WHERE name = 'Orders'} finds {@code orders}).
     */
    private static String viewDefinition(int databaseId, String view) throws SQLException {
        ResultSet columns = rows(null, databaseId, view, true).result;
        java.sql.ResultSetMetaData md = columns.getMetaData();
        List<String> select = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = Translator.quote(md.getColumnName(i));
            select.add(md.getColumnType(i) == Types.VARCHAR ? "CAST(" + name + " AS VARCHAR_IGNORECASE(128)) AS " + name : name);
        }
        return "CREATE VIEW \"sys\".\"" + view + "\" AS SELECT " + String.join(", ", select)
                + " FROM \"sys\".\"__catalog\"(" + databaseId + ", '" + view + "')";
    }

    /** The table function behind every catalog view. */
    public static ResultSet view(Connection c, int databaseId, String view) throws SQLException {
        return rows(c, databaseId, view, c.getMetaData().getURL().startsWith("jdbc:columnlist")).result;
    }

    private static Rows rows(Connection c, int databaseId, String view, boolean columnsOnly) throws SQLException {
        return switch (view) {
            case "databases" -> databases(columnsOnly);
            case "schemas" -> schemas(databaseId, columnsOnly);
            case "tables" -> tables(c, databaseId, columnsOnly, "BASE TABLE");
            case "views" -> tables(c, databaseId, columnsOnly, "VIEW");
            case "objects" -> objects(c, databaseId, columnsOnly);
            case "columns" -> columns(c, databaseId, columnsOnly);
            case "types" -> types();
            case "indexes" -> indexes(c, databaseId, columnsOnly, false);
            case "index_columns" -> indexes(c, databaseId, columnsOnly, true);
            case "__information_schema_tables" -> infoTables(c, databaseId, columnsOnly);
            case "__information_schema_columns" -> infoColumns(c, databaseId, columnsOnly);
            default -> throw new SQLException("unknown catalog view " + view);
        };
    }

    // ---------------------------------------------------------------- views

    private static Rows databases(boolean columnsOnly) {
        Rows r = new Rows().text("name").integer("database_id").integer("source_database_id").time("create_date")
                .integer("compatibility_level").text("collation_name").integer("user_access").text("user_access_desc")
                .bit("is_read_only").integer("state").text("state_desc").integer("recovery_model")
                .text("recovery_model_desc").integer("snapshot_isolation_state").bit("is_read_committed_snapshot_on")
                .bit("is_cdc_enabled").bit("is_broker_enabled");
        if (!columnsOnly) {
            for (H2Database db : H2Engine.allDatabases()) {
                r.add(db.name(), db.databaseId(), null, Timestamp.valueOf(db.createDate()), 160,
                        "SQL_Latin1_General_CP1_CI_AS", 0, "MULTI_USER", false, 0, "ONLINE", 1, "FULL", 0, false,
                        db.cdcFlags().databaseEnabled(), false);
            }
        }
        return r;
    }

    private static Rows schemas(int databaseId, boolean columnsOnly) {
        Rows r = new Rows().text("name").integer("schema_id").integer("principal_id");
        if (!columnsOnly) {
            H2Database db = H2Database.byId(databaseId);
            for (String schema : db.schemaNames()) {
                if (!HIDDEN_SCHEMAS.contains(schema)) {
                    r.add(schema, db.schemaIdOf(schema), 1);
                }
            }
            r.add("INFORMATION_SCHEMA", 3, 3);
        }
        return r;
    }

    private record TableRef(String schema, String name, boolean view) {
    }

    private static List<TableRef> h2Tables(Connection c) throws SQLException {
        List<TableRef> result = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(H2_TABLES)) {
            while (rs.next()) {
                result.add(new TableRef(rs.getString(1), rs.getString(2), "VIEW".equals(rs.getString(3))));
            }
        }
        return result;
    }

    private static Rows tables(Connection c, int databaseId, boolean columnsOnly, String type) throws SQLException {
        Rows r = new Rows().text("name").integer("object_id").integer("principal_id").integer("schema_id")
                .integer("parent_object_id").text("type").text("type_desc").time("create_date").time("modify_date")
                .bit("is_ms_shipped").bit("is_published").bit("is_schema_published");
        boolean tables = type.equals("BASE TABLE");
        if (tables) {
            r.integer("lob_data_space_id").integer("max_column_id_used").bit("uses_ansi_nulls").bit("is_replicated")
                    .bit("is_tracked_by_cdc").integer("temporal_type").bit("is_memory_optimized").bit("is_external");
        }
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        for (TableRef t : h2Tables(c)) {
            if (t.view() == tables) {
                continue;
            }
            int objectId = db.idFor(t.schema(), t.name());
            Timestamp created = Timestamp.valueOf(db.objectCreateDate(objectId));
            boolean shipped = t.schema().equals("cdc");
            List<Object> values = new ArrayList<>(List.of(t.name(), objectId));
            values.add(null);
            values.addAll(List.of(db.schemaIdOf(t.schema()), 0, tables ? "U" : "V", tables ? "USER_TABLE" : "VIEW",
                    created, created, shipped, false, false));
            if (tables) {
                values.addAll(List.of(0, columns(c, db, t.schema(), t.name()).size(), true, false,
                        db.cdcFlags().tableTracked(t.schema(), t.name()), 0, false, false));
            }
            r.add(values.toArray());
        }
        return r;
    }

    private static Rows objects(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().text("name").integer("object_id").integer("principal_id").integer("schema_id")
                .integer("parent_object_id").text("type").text("type_desc").time("create_date").time("modify_date")
                .bit("is_ms_shipped").bit("is_published").bit("is_schema_published");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        for (TableRef t : h2Tables(c)) {
            int objectId = db.idFor(t.schema(), t.name());
            Timestamp created = Timestamp.valueOf(db.objectCreateDate(objectId));
            r.add(t.name(), objectId, null, db.schemaIdOf(t.schema()), 0, t.view() ? "V" : "U",
                    t.view() ? "VIEW" : "USER_TABLE", created, created, t.schema().equals("cdc"), false, false);
            if (!t.view()) {
                for (Key k : keys(c, t.schema(), t.name())) {
                    int keyId = db.idFor(t.schema(), k.name());
                    r.add(k.name(), keyId, null, db.schemaIdOf(t.schema()), objectId, k.primary() ? "PK" : "UQ",
                            k.primary() ? "PRIMARY_KEY_CONSTRAINT" : "UNIQUE_CONSTRAINT", created, created,
                            t.schema().equals("cdc"), false, false);
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.ROUTINES "
                        + "WHERE ROUTINE_SCHEMA NOT IN ('sys', 'INFORMATION_SCHEMA', 'PUBLIC')")) {
            while (rs.next()) {
                int objectId = db.idFor(rs.getString(1), rs.getString(2));
                boolean tableValued = "RESULT SET".equalsIgnoreCase(rs.getString(3)) || rs.getString(3) == null;
                Timestamp created = Timestamp.valueOf(db.objectCreateDate(objectId));
                r.add(rs.getString(2), objectId, null, db.schemaIdOf(rs.getString(1)), 0, tableValued ? "IF" : "FN",
                        tableValued ? "SQL_INLINE_TABLE_VALUED_FUNCTION" : "SQL_SCALAR_FUNCTION", created, created,
                        rs.getString(1).equals("cdc"), false, false);
            }
        }
        return r;
    }

    /** One column of a table, as the catalog describes it. */
    record ColumnInfo(Column column, int ordinal, boolean identity, boolean computed, String defaultValue) {
    }

    static List<ColumnInfo> columns(Connection c, H2Database db, String schema, String table) throws SQLException {
        List<ColumnInfo> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(H2_COLUMNS)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    SqlType declared = db.declaredType(schema, table, name);
                    if (declared == null) {
                        String h2Type = rs.getString(4);
                        long length = rs.getLong(5);
                        long precision = rs.wasNull() ? rs.getLong(6) : length;
                        int scale = h2Type.startsWith("TIME") ? rs.getInt(8) : rs.getInt(7);
                        declared = SqlTypes.fromH2(h2Type, precision, scale);
                    }
                    result.add(new ColumnInfo(new Column(name, declared, "YES".equals(rs.getString(3))), rs.getInt(2),
                            "YES".equals(rs.getString(9)), !"NEVER".equals(rs.getString(11)), rs.getString(10)));
                }
            }
        }
        return result;
    }

    private static Rows columns(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().integer("object_id").text("name").integer("column_id").integer("system_type_id")
                .integer("user_type_id").integer("max_length").integer("precision").integer("scale")
                .text("collation_name").bit("is_nullable").bit("is_ansi_padded").bit("is_rowguidcol")
                .bit("is_identity").bit("is_computed").bit("is_filestream").bit("is_replicated").bit("is_sparse")
                .bit("is_column_set").integer("default_object_id").integer("rule_object_id");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        for (TableRef t : h2Tables(c)) {
            int objectId = db.idFor(t.schema(), t.name());
            for (ColumnInfo col : columns(c, db, t.schema(), t.name())) {
                SqlType type = col.column().type();
                int typeId = SqlTypes.systemTypeId(type);
                r.add(objectId, col.column().name(), col.ordinal(), typeId, typeId, SqlTypes.maxLength(type),
                        SqlTypes.precision(type), SqlTypes.scale(type), isText(type) ? "SQL_Latin1_General_CP1_CI_AS" : null,
                        col.column().nullable(), true, false, col.identity(), col.computed(), false, false, false,
                        false, 0, 0);
            }
        }
        return r;
    }

    private static boolean isText(SqlType t) {
        return switch (t.kind()) {
            case CHAR, VARCHAR, NCHAR, NVARCHAR -> true;
            default -> false;
        };
    }

    private static Rows types() {
        Rows r = new Rows().text("name").integer("system_type_id").integer("user_type_id").integer("schema_id")
                .integer("principal_id").integer("max_length").integer("precision").integer("scale")
                .text("collation_name").bit("is_nullable").bit("is_user_defined").bit("is_assembly_type")
                .integer("default_object_id").integer("rule_object_id").bit("is_table_type");
        for (SqlType.Kind kind : SqlType.Kind.values()) {
            SqlType t = switch (kind) {
                case CHAR, VARCHAR, BINARY, VARBINARY -> SqlType.sized(kind, 8000);
                case NCHAR, NVARCHAR -> SqlType.sized(kind, 4000);
                case DECIMAL, NUMERIC -> new SqlType(kind, 0, 38, 38);
                default -> SqlType.of(kind);
            };
            int id = SqlTypes.systemTypeId(t);
            r.add(SqlTypes.baseName(t), id, id, 4, null, SqlTypes.maxLength(t), SqlTypes.precision(t),
                    kind == SqlType.Kind.DECIMAL || kind == SqlType.Kind.NUMERIC ? 38 : SqlTypes.scale(t),
                    isText(t) ? "SQL_Latin1_General_CP1_CI_AS" : null, true, false, false, 0, 0, false);
        }
        // sysname: a system alias of nvarchar(128) NOT NULL, user_type_id 256
        r.add("sysname", 231, 256, 4, null, 256, 0, 0, "SQL_Latin1_General_CP1_CI_AS", false, false, false, 0, 0, false);
        return r;
    }

    private record Key(String name, boolean primary, List<String> columns) {
    }

    private static List<Key> keys(Connection c, String schema, String table) throws SQLException {
        Map<String, Key> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(H2_KEYS)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), n -> {
                        try {
                            return new Key(n, "PRIMARY KEY".equals(rs.getString(2)), new ArrayList<>());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }).columns().add(rs.getString(3));
                }
            }
        }
        return new ArrayList<>(keys.values());
    }

    /** sys.indexes (one row per index; a heap row when there is no primary key) or sys.index_columns. */
    private static Rows indexes(Connection c, int databaseId, boolean columnsOnly, boolean columnsView) throws SQLException {
        Rows r = columnsView
                ? new Rows().integer("object_id").integer("index_id").integer("index_column_id").integer("column_id")
                        .integer("key_ordinal").integer("partition_ordinal").bit("is_descending_key").bit("is_included_column")
                : new Rows().integer("object_id").text("name").integer("index_id").integer("type").text("type_desc")
                        .bit("is_unique").integer("data_space_id").bit("ignore_dup_key").bit("is_primary_key")
                        .bit("is_unique_constraint").integer("fill_factor").bit("is_padded").bit("is_disabled")
                        .bit("is_hypothetical").bit("allow_row_locks").bit("allow_page_locks").bit("has_filter")
                        .text("filter_definition");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        for (TableRef t : h2Tables(c)) {
            if (t.view()) {
                continue;
            }
            int objectId = db.idFor(t.schema(), t.name());
            List<ColumnInfo> cols = columns(c, db, t.schema(), t.name());
            List<Key> keys = new ArrayList<>(keys(c, t.schema(), t.name()));
            boolean hasPk = keys.stream().anyMatch(Key::primary);
            if (!hasPk && !columnsView) {
                r.add(objectId, null, 0, 0, "HEAP", false, 1, false, false, false, 0, false, false, false, true, true, false, null);
            }
            try (PreparedStatement ps = c.prepareStatement(H2_INDEXES)) {
                ps.setString(1, t.schema());
                ps.setString(2, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, Key> plain = new LinkedHashMap<>();
                    while (rs.next()) {
                        String n = rs.getString(1);
                        boolean unique = rs.getString(2).contains("UNIQUE");
                        plain.computeIfAbsent(n, k -> new Key(k, unique, new ArrayList<>())).columns().add(rs.getString(3));
                    }
                    for (Key k : plain.values()) {
                        keys.add(new Key(k.name(), false, k.columns()));
                    }
                }
            }
            // SQL Server makes the primary key the clustered index (id 1) unless told otherwise
            int indexId = hasPk ? 1 : 2;
            for (Key k : keys) {
                int thisId = k.primary() ? 1 : (indexId = Math.max(indexId, 2)) ;
                if (!k.primary()) {
                    indexId++;
                }
                if (columnsView) {
                    int ordinal = 1;
                    for (String col : k.columns()) {
                        int columnId = cols.stream().filter(ci -> ci.column().name().equalsIgnoreCase(col))
                                .mapToInt(ColumnInfo::ordinal).findFirst().orElse(0);
                        r.add(objectId, thisId, ordinal, columnId, ordinal, 0, false, false);
                        ordinal++;
                    }
                } else {
                    boolean constraint = k.primary() || isConstraint(c, t.schema(), k.name());
                    r.add(objectId, k.name(), thisId, k.primary() ? 1 : 2, k.primary() ? "CLUSTERED" : "NONCLUSTERED",
                            k.primary() || constraint || uniqueIndex(c, t.schema(), k.name()), 1, false, k.primary(),
                            !k.primary() && constraint, 0, false, false, false, true, true, false, null);
                }
            }
        }
        return r;
    }

    private static boolean isConstraint(Connection c, String schema, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean uniqueIndex(Connection c, String schema, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_TYPE_NAME FROM INFORMATION_SCHEMA.INDEXES "
                + "WHERE INDEX_SCHEMA = ? AND INDEX_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).contains("UNIQUE");
            }
        }
    }

    private static Rows infoTables(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().text("TABLE_CATALOG").text("TABLE_SCHEMA").text("TABLE_NAME").text("TABLE_TYPE");
        if (!columnsOnly) {
            H2Database db = H2Database.byId(databaseId);
            for (TableRef t : h2Tables(c)) {
                r.add(db.name(), t.schema(), t.name(), t.view() ? "VIEW" : "BASE TABLE");
            }
        }
        return r;
    }

    private static Rows infoColumns(Connection c, int databaseId, boolean columnsOnly) throws SQLException {
        Rows r = new Rows().text("TABLE_CATALOG").text("TABLE_SCHEMA").text("TABLE_NAME").text("COLUMN_NAME")
                .integer("ORDINAL_POSITION").text("COLUMN_DEFAULT").text("IS_NULLABLE").text("DATA_TYPE")
                .integer("CHARACTER_MAXIMUM_LENGTH").integer("CHARACTER_OCTET_LENGTH").integer("NUMERIC_PRECISION")
                .integer("NUMERIC_PRECISION_RADIX").integer("NUMERIC_SCALE").integer("DATETIME_PRECISION")
                .text("CHARACTER_SET_NAME").text("COLLATION_NAME");
        if (columnsOnly) {
            return r;
        }
        H2Database db = H2Database.byId(databaseId);
        for (TableRef t : h2Tables(c)) {
            for (ColumnInfo col : columns(c, db, t.schema(), t.name())) {
                SqlType type = col.column().type();
                Integer charLength = SqlTypes.characterMaximumLength(type);
                Integer octets = charLength == null ? null : charLength == -1 ? -1
                        : type.kind() == SqlType.Kind.NCHAR || type.kind() == SqlType.Kind.NVARCHAR ? charLength * 2 : charLength;
                boolean numeric = SqlTypes.precision(type) > 0 && !isTemporal(type);
                r.add(db.name(), t.schema(), t.name(), col.column().name(), col.ordinal(), col.defaultValue(),
                        col.column().nullable() ? "YES" : "NO", SqlTypes.baseName(type), charLength, octets,
                        numeric ? SqlTypes.precision(type) : null,
                        numeric ? (type.kind() == SqlType.Kind.FLOAT || type.kind() == SqlType.Kind.REAL ? 2 : 10) : null,
                        numeric ? SqlTypes.scale(type) : null, isTemporal(type) ? SqlTypes.scale(type) : null,
                        isText(type) ? (type.kind().name().startsWith("N") ? "UNICODE" : "iso_1") : null,
                        isText(type) ? "SQL_Latin1_General_CP1_CI_AS" : null);
            }
        }
        return r;
    }

    private static boolean isTemporal(SqlType t) {
        return switch (t.kind()) {
            case DATE, TIME, DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET -> true;
            default -> false;
        };
    }

    /** A result set under construction, with columns typed the SQL Server way. */
    private static final class Rows {
        final SimpleResultSet result = new SimpleResultSet();

        Rows text(String name) {
            result.addColumn(name, Types.VARCHAR, 128, 0);
            return this;
        }

        Rows integer(String name) {
            result.addColumn(name, Types.INTEGER, 10, 0);
            return this;
        }

        Rows bit(String name) {
            result.addColumn(name, Types.BOOLEAN, 1, 0);
            return this;
        }

        Rows time(String name) {
            result.addColumn(name, Types.TIMESTAMP, 23, 3);
            return this;
        }

        void add(Object... values) {
            result.addRow(values);
        }
    }
}
