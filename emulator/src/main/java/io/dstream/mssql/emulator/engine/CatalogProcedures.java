package io.dstream.mssql.emulator.engine;

import io.dstream.mssql.emulator.engine.CatalogSnapshot.ColumnInfo;
import io.dstream.mssql.emulator.engine.CatalogSnapshot.Index;
import io.dstream.mssql.emulator.engine.CatalogSnapshot.TableRef;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ODBC catalog procedures that JDBC and ODBC drivers call for their metadata API: mssql-jdbc's
 * {@code DatabaseMetaData.getTables} calls {@code sp_tables}, {@code getColumns} {@code sp_columns_100}
 * (older drivers and ODBC {@code sp_columns}, the same without the SQL Server 2008 columns)
 * (inside {@code INSERT INTO @table EXEC}), {@code getPrimaryKeys} {@code sp_pkeys} and
 * {@code getIndexInfo} {@code sp_statistics_100}. Each answers with the result set Microsoft documents
 * for it: the same column names, order and types, rows in the documented order, ODBC 3 type codes.
 */
final class CatalogProcedures {

    private static final SqlType SYSNAME = SqlType.sized(Kind.NVARCHAR, 128);
    private static final SqlType SMALLINT = SqlType.of(Kind.SMALLINT);
    private static final SqlType INT = SqlType.of(Kind.INT);
    private static final SqlType TINYINT = SqlType.of(Kind.TINYINT);

    /** sp_tables: ordered by TABLE_TYPE, TABLE_QUALIFIER, TABLE_OWNER, TABLE_NAME. */
    private static final List<Column> TABLES = List.of(col("TABLE_QUALIFIER", SYSNAME), col("TABLE_OWNER", SYSNAME),
            col("TABLE_NAME", SYSNAME), col("TABLE_TYPE", SqlType.sized(Kind.VARCHAR, 32)),
            col("REMARKS", SqlType.sized(Kind.VARCHAR, 254)));

    /** sp_columns_100: sp_columns' columns, then the SS_ columns SQL Server 2008 added, SS_DATA_TYPE last. */
    private static final List<Column> COLUMNS = List.of(col("TABLE_QUALIFIER", SYSNAME), col("TABLE_OWNER", SYSNAME),
            col("TABLE_NAME", SYSNAME), col("COLUMN_NAME", SYSNAME), col("DATA_TYPE", SMALLINT),
            col("TYPE_NAME", SYSNAME), col("PRECISION", INT), col("LENGTH", INT), col("SCALE", SMALLINT),
            col("RADIX", SMALLINT), col("NULLABLE", SMALLINT), col("REMARKS", SqlType.sized(Kind.VARCHAR, 254)),
            col("COLUMN_DEF", SqlType.sized(Kind.NVARCHAR, 4000)), col("SQL_DATA_TYPE", SMALLINT),
            col("SQL_DATETIME_SUB", SMALLINT), col("CHAR_OCTET_LENGTH", INT), col("ORDINAL_POSITION", INT),
            col("IS_NULLABLE", SqlType.sized(Kind.VARCHAR, 254)), col("SS_IS_SPARSE", SMALLINT),
            col("SS_IS_COLUMN_SET", SMALLINT), col("SS_IS_COMPUTED", SMALLINT), col("SS_IS_IDENTITY", SMALLINT),
            col("SS_UDT_CATALOG_NAME", SYSNAME), col("SS_UDT_SCHEMA_NAME", SYSNAME),
            col("SS_UDT_ASSEMBLY_TYPE_NAME", SqlType.sized(Kind.NVARCHAR, SqlType.MAX)),
            col("SS_XML_SCHEMACOLLECTION_CATALOG_NAME", SYSNAME), col("SS_XML_SCHEMACOLLECTION_SCHEMA_NAME", SYSNAME),
            col("SS_XML_SCHEMACOLLECTION_NAME", SYSNAME), col("SS_DATA_TYPE", TINYINT));

    /** sp_columns: the same without the SS_ columns SQL Server 2008 added, SS_DATA_TYPE last. */
    private static final List<Column> COLUMNS_ODBC = java.util.stream.Stream.concat(COLUMNS.subList(0, 18).stream(),
            java.util.stream.Stream.of(COLUMNS.get(COLUMNS.size() - 1))).toList();

    /** sp_pkeys: ordered by TABLE_QUALIFIER, TABLE_OWNER, TABLE_NAME, KEY_SEQ. */
    private static final List<Column> PKEYS = List.of(col("TABLE_QUALIFIER", SYSNAME), col("TABLE_OWNER", SYSNAME),
            col("TABLE_NAME", SYSNAME), col("COLUMN_NAME", SYSNAME), col("KEY_SEQ", SMALLINT), col("PK_NAME", SYSNAME));

    /** sp_statistics_100: ordered by NON_UNIQUE, TYPE, INDEX_NAME, SEQ_IN_INDEX (the table's own row first). */
    private static final List<Column> STATISTICS = List.of(col("TABLE_QUALIFIER", SYSNAME), col("TABLE_OWNER", SYSNAME),
            col("TABLE_NAME", SYSNAME), col("NON_UNIQUE", SMALLINT), col("INDEX_QUALIFIER", SYSNAME),
            col("INDEX_NAME", SYSNAME), col("TYPE", SMALLINT), col("SEQ_IN_INDEX", SMALLINT), col("COLUMN_NAME", SYSNAME),
            col("COLLATION", SqlType.sized(Kind.CHAR, 1)), col("CARDINALITY", INT), col("PAGES", INT),
            col("FILTER_CONDITION", SqlType.sized(Kind.VARCHAR, 128)));

    // sp_statistics TYPE values
    private static final short TABLE_STATISTIC = 0;
    private static final short CLUSTERED = 1;
    private static final short OTHER_INDEX = 3;

    private static final Pattern QUOTED_TABLE_TYPE = Pattern.compile("'+([A-Za-z ]+)'+");

    private final H2Database db;

    private CatalogProcedures(H2Database db) {
        this.db = db;
    }

    static void register(H2Database db) {
        CatalogProcedures p = new CatalogProcedures(db);
        db.registerProcedure("sys.sp_tables", p::tables);
        db.registerProcedure("sys.sp_columns_100", call -> p.columns(call, true));
        db.registerProcedure("sys.sp_columns", call -> p.columns(call, false));
        db.registerProcedure("sys.sp_pkeys", p::primaryKeys);
        db.registerProcedure("sys.sp_statistics_100", p::statistics);
        db.registerProcedure("sys.sp_statistics", p::statistics);
        db.registerProcedure("sys.sp_rename", new RenameProcedure(db));
    }

    private static Column col(String name, SqlType type) {
        return new Column(name, type, true);
    }

    // ---------------------------------------------------------------- sp_tables

    /** {@code sp_tables [@table_name], [@table_owner], [@table_qualifier], [@table_type]}: patterns in name and owner. */
    private int tables(ProcedureCall call) {
        String name = text(call, "table_name", 0);
        String owner = text(call, "table_owner", 1);
        checkQualifier(call, text(call, "table_qualifier", 2));
        Set<String> types = tableTypes(text(call, "table_type", 3));
        List<Object[]> rows = new ArrayList<>();
        for (TableRef t : snapshotTables(call.connection())) {
            String type = t.view() ? "VIEW" : isShipped(t.schema()) ? "SYSTEM TABLE" : "TABLE";
            if (matches(name, t.name()) && matches(owner, t.schema()) && (types == null || types.contains(type))) {
                rows.add(new Object[] {db.name(), t.schema(), t.name(), type, null});
            }
        }
        rows.sort(Comparator.comparing((Object[] r) -> (String) r[3]).thenComparing(r -> (String) r[1])
                .thenComparing(r -> (String) r[2]));
        return send(call.sink(), TABLES, rows);
    }

    /**
     * The types of {@code @table_type}: a list of quoted names ({@code '''TABLE'',''VIEW'''} in T-SQL,
     * or the doubled quotes mssql-jdbc sends); null (every type) when the parameter is absent.
     */
    private static Set<String> tableTypes(String parameter) {
        if (parameter == null) {
            return null;
        }
        Set<String> types = new TreeSet<>();
        Matcher m = QUOTED_TABLE_TYPE.matcher(parameter);
        while (m.find()) {
            types.add(m.group(1).trim().toUpperCase(Locale.ROOT));
        }
        return types;
    }

    /** SQL Server marks the tables CDC creates (schema cdc) as shipped by Microsoft; sp_tables calls them system tables. */
    private static boolean isShipped(String schema) {
        return schema.equals("cdc");
    }

    // ---------------------------------------------------------------- sp_columns_100

    /**
     * {@code sp_columns_100 @table_name, [@table_owner], [@table_qualifier], [@column_name], [@NameScope],
     * [@ODBCVer]}: patterns in table, owner and column name; ODBC 3 type codes unless {@code @ODBCVer} is 2.
     */
    private int columns(ProcedureCall call, boolean sqlServer2008Columns) throws SqlError {
        String name = required(call, "table_name", 0, sqlServer2008Columns ? "sp_columns_100" : "sp_columns");
        String owner = text(call, "table_owner", 1);
        checkQualifier(call, text(call, "table_qualifier", 2));
        String column = text(call, "column_name", 3);
        // sp_columns_100 has @NameScope before @ODBCVer
        int odbcVerPosition = sqlServer2008Columns ? 5 : 4;
        boolean odbc3 = call.value("ODBCVer", odbcVerPosition).map(v -> Integer.parseInt(v.toString().trim())).orElse(2) >= 3;
        List<Object[]> rows = new ArrayList<>();
        Connection c = call.connection();
        try {
            CatalogSnapshot snapshot = db.catalogSnapshot(c);
            for (TableRef t : snapshotTables(c)) {
                if (!matches(name, t.name()) || !matches(owner, t.schema())) {
                    continue;
                }
                for (ColumnInfo info : snapshot.columns(c, t)) {
                    if (matches(column, info.column().name())) {
                        Object[] row = columnRow(t, info, odbc3);
                        rows.add(sqlServer2008Columns ? row : odbcColumns(row));
                    }
                }
            }
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "EXEC");
        }
        return send(call.sink(), sqlServer2008Columns ? COLUMNS : COLUMNS_ODBC, rows);
    }

    private static Object[] odbcColumns(Object[] row) {
        Object[] odbc = java.util.Arrays.copyOf(row, COLUMNS_ODBC.size());
        odbc[odbc.length - 1] = row[row.length - 1];
        return odbc;
    }

    private Object[] columnRow(TableRef t, ColumnInfo info, boolean odbc3) {
        SqlType type = info.column().type();
        OdbcType odbc = OdbcType.of(type, odbc3);
        boolean nullable = info.column().nullable();
        return new Object[] {db.name(), t.schema(), t.name(), info.column().name(), odbc.dataType,
                SqlTypes.baseName(type) + (info.identity() ? " identity" : ""), odbc.precision, odbc.length,
                odbc.scale, odbc.radix, (short) (nullable ? 1 : 0), null, columnDefault(info.defaultValue()),
                odbc.sqlDataType, odbc.datetimeSub, odbc.octetLength, info.ordinal(), nullable ? "YES" : "NO",
                (short) 0, (short) 0, (short) (info.computed() ? 1 : 0), (short) (info.identity() ? 1 : 0),
                null, null, null, null, null, null, ssDataType(type, nullable)};
    }

    /**
     * SQL Server keeps a default's text in parentheses, a number in two: {@code DEFAULT 0} is
     * {@code ((0))}, {@code DEFAULT 'x'} is {@code ('x')}.
     */
    private static String columnDefault(String h2Default) {
        if (h2Default == null) {
            return null;
        }
        return h2Default.matches("-?[0-9.]+") ? "((" + h2Default + "))" : "(" + h2Default + ")";
    }

    /**
     * SS_DATA_TYPE: the TDS type code of the types that existed before SQL Server 7 (the nullable
     * variant for a nullable column), 0 for later types (date and time types, uniqueidentifier, xml,
     * bigint's and the Unicode types' codes are their own).
     */
    private static short ssDataType(SqlType t, boolean nullable) {
        int code = switch (t.kind()) {
            case TINYINT -> nullable ? 38 : 48;
            case SMALLINT -> nullable ? 38 : 52;
            case INT -> nullable ? 38 : 56;
            case BIGINT -> nullable ? 38 : 127;
            case BIT -> nullable ? 104 : 50;
            case DECIMAL -> 106;
            case NUMERIC -> 108;
            case MONEY -> nullable ? 110 : 60;
            case SMALLMONEY -> nullable ? 110 : 122;
            case FLOAT -> nullable ? 109 : 62;
            case REAL -> nullable ? 109 : 59;
            case DATETIME -> nullable ? 111 : 61;
            case SMALLDATETIME -> nullable ? 111 : 58;
            case CHAR, NCHAR -> 47;
            case VARCHAR, NVARCHAR -> 39;
            case BINARY -> 45;
            case VARBINARY -> 37;
            default -> 0;
        };
        return (short) code;
    }

    /**
     * The ODBC description of a type (SQLColumns): {@code dataType} the concise type, {@code sqlDataType}
     * the verbose one with {@code datetimeSub}; {@code length} is the transfer size, for dates and times
     * the size of ODBC's C structure. {@code (max)} types have precision and lengths 0, which
     * mssql-jdbc turns into its maximum LOB size.
     */
    private record OdbcType(short dataType, Integer precision, Integer length, Short scale, Short radix,
                            short sqlDataType, Short datetimeSub, Integer octetLength) {

        // ODBC codes (sql.h, sqlext.h, and SQL Server's sqlncli.h for the SQL Server 2008 types)
        private static final short SQL_CHAR = 1, SQL_NUMERIC = 2, SQL_DECIMAL = 3, SQL_INTEGER = 4, SQL_SMALLINT = 5,
                SQL_FLOAT = 6, SQL_REAL = 7, SQL_DATETIME = 9, SQL_VARCHAR = 12, SQL_TYPE_DATE = 91,
                SQL_TYPE_TIMESTAMP = 93, SQL_BIGINT = -5, SQL_TINYINT = -6, SQL_BIT = -7, SQL_WCHAR = -8,
                SQL_WVARCHAR = -9, SQL_BINARY = -2, SQL_VARBINARY = -3, SQL_GUID = -11, SQL_SS_XML = -152,
                SQL_SS_TIME2 = -154, SQL_SS_TIMESTAMPOFFSET = -155, ODBC2_DATE = 9, ODBC2_TIMESTAMP = 11;
        private static final short CODE_DATE = 1, CODE_TIMESTAMP = 3;

        static OdbcType of(SqlType t, boolean odbc3) {
            short timestamp = odbc3 ? SQL_TYPE_TIMESTAMP : ODBC2_TIMESTAMP;
            int chars = t.isMax() ? 0 : t.length();
            short scale = (short) t.scale();
            return switch (t.kind()) {
                case BIT -> exact(SQL_BIT, 1, 1, null, null);
                case TINYINT -> exact(SQL_TINYINT, 3, 1, (short) 0, (short) 10);
                case SMALLINT -> exact(SQL_SMALLINT, 5, 2, (short) 0, (short) 10);
                case INT -> exact(SQL_INTEGER, 10, 4, (short) 0, (short) 10);
                case BIGINT -> exact(SQL_BIGINT, 19, 8, (short) 0, (short) 10);
                case DECIMAL -> exact(SQL_DECIMAL, t.precision(), t.precision() + 2, scale, (short) 10);
                case NUMERIC -> exact(SQL_NUMERIC, t.precision(), t.precision() + 2, scale, (short) 10);
                case MONEY -> exact(SQL_DECIMAL, 19, 21, (short) 4, (short) 10);
                case SMALLMONEY -> exact(SQL_DECIMAL, 10, 12, (short) 4, (short) 10);
                case FLOAT -> exact(SQL_FLOAT, 15, 8, null, (short) 10);
                case REAL -> exact(SQL_REAL, 7, 4, null, (short) 10);
                case DATE -> new OdbcType(odbc3 ? SQL_TYPE_DATE : ODBC2_DATE, 10, 6, null, null, SQL_DATETIME,
                        CODE_DATE, null);
                case TIME -> new OdbcType(SQL_SS_TIME2, fraction(8, t.scale()), 12, scale, null,
                        SQL_SS_TIME2, (short) 0, null);
                case DATETIME -> new OdbcType(timestamp, 23, 16, (short) 3, null, SQL_DATETIME, CODE_TIMESTAMP, null);
                case SMALLDATETIME -> new OdbcType(timestamp, 16, 16, (short) 0, null, SQL_DATETIME, CODE_TIMESTAMP, null);
                case DATETIME2 -> new OdbcType(timestamp, fraction(19, t.scale()), 16, scale, null, SQL_DATETIME,
                        CODE_TIMESTAMP, null);
                case DATETIMEOFFSET -> new OdbcType(SQL_SS_TIMESTAMPOFFSET, fraction(26, t.scale()), 20, scale, null,
                        SQL_SS_TIMESTAMPOFFSET, (short) 0, null);
                case CHAR -> text(SQL_CHAR, chars, chars);
                case VARCHAR -> text(SQL_VARCHAR, chars, chars);
                case NCHAR -> text(SQL_WCHAR, chars, chars * 2);
                case NVARCHAR -> text(SQL_WVARCHAR, chars, chars * 2);
                case BINARY -> text(SQL_BINARY, chars, chars);
                case VARBINARY -> text(SQL_VARBINARY, chars, chars);
                case UNIQUEIDENTIFIER -> new OdbcType(SQL_GUID, 36, 16, null, null, SQL_GUID, null, null);
                case XML -> text(SQL_SS_XML, 0, 0);
            };
        }

        private static OdbcType exact(short type, int precision, int length, Short scale, Short radix) {
            return new OdbcType(type, precision, length, scale, radix, type, null, null);
        }

        private static OdbcType text(short type, int precision, int octets) {
            return new OdbcType(type, precision, octets, null, null, type, null, octets);
        }

        /** Characters of a time value: the whole part, then a point and the fraction's digits when it has any. */
        private static int fraction(int whole, int digits) {
            return digits == 0 ? whole : whole + 1 + digits;
        }
    }

    // ---------------------------------------------------------------- sp_pkeys

    /** {@code sp_pkeys @table_name, [@table_owner], [@table_qualifier]}: names, not patterns. */
    private int primaryKeys(ProcedureCall call) throws SqlError {
        String name = required(call, "table_name", 0, "sp_pkeys");
        String owner = text(call, "table_owner", 1);
        checkQualifier(call, text(call, "table_qualifier", 2));
        List<Object[]> rows = new ArrayList<>();
        Connection c = call.connection();
        try {
            for (TableRef t : named(c, name, owner)) {
                for (Index k : db.catalogSnapshot(c).indexes(c, t)) {
                    if (k.kind() == Index.Kind.PRIMARY_KEY) {
                        for (int i = 0; i < k.columns().size(); i++) {
                            rows.add(new Object[] {db.name(), t.schema(), t.name(), k.columns().get(i), (short) (i + 1),
                                    k.name()});
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "EXEC");
        }
        return send(call.sink(), PKEYS, rows);
    }

    // ---------------------------------------------------------------- sp_statistics_100

    /**
     * {@code sp_statistics_100 @table_name, [@table_owner], [@table_qualifier], [@index_name], [@is_unique],
     * [@accuracy]}: the table's own row (TYPE 0, its row count), then one row per index column. The
     * primary key is the clustered index (SQL Server's default); PAGES is NULL, as H2 keeps no page count.
     */
    private int statistics(ProcedureCall call) throws SqlError {
        String name = required(call, "table_name", 0, "sp_statistics_100");
        String owner = text(call, "table_owner", 1);
        checkQualifier(call, text(call, "table_qualifier", 2));
        String indexName = text(call, "index_name", 3);
        boolean uniqueOnly = "Y".equalsIgnoreCase(text(call, "is_unique", 4));
        List<Object[]> rows = new ArrayList<>();
        Connection c = call.connection();
        try {
            for (TableRef t : named(c, name, owner)) {
                int cardinality = rowCount(c, t);
                rows.add(new Object[] {db.name(), t.schema(), t.name(), null, null, null, TABLE_STATISTIC, null, null,
                        null, cardinality, null, null});
                List<Object[]> indexRows = new ArrayList<>();
                for (Index k : db.catalogSnapshot(c).indexes(c, t)) {
                    if ((uniqueOnly && !k.unique()) || !matches(indexName, k.name())) {
                        continue;
                    }
                    short type = k.kind() == Index.Kind.PRIMARY_KEY ? CLUSTERED : OTHER_INDEX;
                    for (int i = 0; i < k.columns().size(); i++) {
                        indexRows.add(new Object[] {db.name(), t.schema(), t.name(), (short) (k.unique() ? 0 : 1),
                                t.schema(), k.name(), type, (short) (i + 1), k.columns().get(i), "A", cardinality, null,
                                null});
                    }
                }
                indexRows.sort(Comparator.comparing((Object[] r) -> (Short) r[3]).thenComparing(r -> (Short) r[6])
                        .thenComparing(r -> (String) r[5]).thenComparing(r -> (Short) r[7]));
                rows.addAll(indexRows);
            }
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "EXEC");
        }
        return send(call.sink(), STATISTICS, rows);
    }

    private static int rowCount(Connection c, TableRef t) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                + Translator.quote(t.schema()) + "." + Translator.quote(t.name()))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---------------------------------------------------------------- shared

    private List<TableRef> snapshotTables(Connection c) {
        try {
            return db.catalogSnapshot(c).tables(c);
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "EXEC");
        }
    }

    /** The table of that name (any case), in {@code owner} or, without one, in dbo. */
    private List<TableRef> named(Connection c, String name, String owner) {
        String schema = owner == null ? "dbo" : owner;
        return snapshotTables(c).stream()
                .filter(t -> t.name().equalsIgnoreCase(name) && t.schema().equalsIgnoreCase(schema)).toList();
    }

    /** A catalog procedure answers for the current database only (error 15250 otherwise). */
    private void checkQualifier(ProcedureCall call, String qualifier) {
        if (qualifier != null && !qualifier.isEmpty() && !qualifier.equalsIgnoreCase(db.name())) {
            throw new SqlError(15250, 1, 16,
                    "The database name component of the object qualifier must be the name of the current database.");
        }
    }

    private static String text(ProcedureCall call, String name, int position) {
        return call.value(name, position).map(Object::toString).orElse(null);
    }

    private static String required(ProcedureCall call, String name, int position, String procedure) {
        String value = text(call, name, position);
        if (value == null) {
            throw new SqlError(201, 4, 16, "Procedure or function '" + procedure + "' expects parameter '@" + name
                    + "', which was not supplied.");
        }
        return value;
    }

    /**
     * T-SQL LIKE under the default case-insensitive collation: {@code %}, {@code _}, {@code [abc]},
     * {@code [^a]}, and {@code [%]} for a literal (mssql-jdbc escapes wildcards that way); a null
     * pattern matches everything.
     */
    static boolean matches(String pattern, String text) {
        if (pattern == null) {
            return true;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            int close = ch == '[' ? pattern.indexOf(']', i + 2) : -1;
            if (ch == '%') {
                regex.append(".*");
            } else if (ch == '_') {
                regex.append('.');
            } else if (close > 0) {
                regex.append(characterClass(pattern.substring(i + 1, close)));
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
                .matcher(text).matches();
    }

    /** {@code [a-c]}, {@code [^x]}, {@code [%]} of a LIKE pattern as a regex class; a dash between two characters is a range. */
    private static String characterClass(String set) {
        StringBuilder out = new StringBuilder("[");
        int from = 0;
        if (set.startsWith("^")) {
            out.append('^');
            from = 1;
        }
        for (int k = from; k < set.length(); k++) {
            char ch = set.charAt(k);
            boolean range = ch == '-' && k > from && k < set.length() - 1;
            out.append(range || Character.isLetterOrDigit(ch) ? String.valueOf(ch) : "\\" + ch);
        }
        return out.append(']').toString();
    }

    private static int send(ResultSink sink, List<Column> columns, List<Object[]> rows) {
        sink.columns(columns);
        for (Object[] row : rows) {
            sink.row(row);
        }
        sink.done(rows.size());
        return 0;
    }
}
