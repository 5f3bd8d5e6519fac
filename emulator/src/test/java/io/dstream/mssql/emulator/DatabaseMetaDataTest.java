package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mssql-jdbc's {@link DatabaseMetaData} against the emulator: the driver calls the catalog
 * procedures ({@code sp_tables}, {@code sp_columns_100} through {@code INSERT INTO @table EXEC},
 * {@code sp_pkeys}, {@code sp_statistics_100}) and catalog queries; the expected values are what
 * SQL Server's documentation of those procedures and of JDBC's metadata columns gives.
 */
@ExtendWith(EmulatorExtension.class)
class DatabaseMetaDataTest {

    @BeforeAll
    static void schema(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("IF SCHEMA_ID(N'sales') IS NULL EXEC (N'CREATE SCHEMA sales')");
            s.execute("""
                    IF OBJECT_ID(N'sales.order_lines') IS NULL
                    CREATE TABLE sales.order_lines (
                      order_id INT NOT NULL,
                      line_no SMALLINT NOT NULL,
                      sku NVARCHAR(40) NOT NULL,
                      note NVARCHAR(MAX) NULL,
                      price DECIMAL(12,3) NULL,
                      seq BIGINT IDENTITY(1,1) NOT NULL,
                      qty INT NOT NULL DEFAULT 0,
                      CONSTRAINT PK_order_lines PRIMARY KEY (order_id, line_no),
                      CONSTRAINT UQ_order_lines_sku UNIQUE (sku)
                    )""");
            s.execute("IF OBJECT_ID(N'sales.order_lines_by_price') IS NULL "
                    + "CREATE INDEX order_lines_by_price ON sales.order_lines (price, qty)");
            s.execute("DELETE FROM sales.order_lines");
            s.execute("INSERT INTO sales.order_lines (order_id, line_no, sku, price) VALUES (1, 1, N'a', 1.5), (1, 2, N'b', NULL)");
        }
    }

    @Test
    void getTablesListsTablesOfATypeWithPatterns(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            DatabaseMetaData md = c.getMetaData();
            List<List<Object>> rows = rows(md.getTables(null, "sal%", "order[_]lines", new String[] {"TABLE"}),
                    "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
            assertThat(rows).containsExactly(List.of(c.getCatalog(), "sales", "order_lines", "TABLE", "null"));
            assertThat(rows(md.getTables(c.getCatalog(), "sales", "%", new String[] {"VIEW"}), "TABLE_NAME")).isEmpty();
            assertThat(rows(md.getTables(null, null, "ORDER_LINES", null), "TABLE_NAME"))
                    .as("names compare case-insensitively").containsExactly(List.of("order_lines"));
        }
    }

    @Test
    void getColumnsDescribesEachColumnAsSqlServerDoes(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            Map<String, List<Object>> byName = new LinkedHashMap<>();
            try (ResultSet rs = c.getMetaData().getColumns(null, "sales", "order_lines", null)) {
                assertThat(rs.getMetaData().getColumnCount()).isEqualTo(32);
                assertThat(rs.getMetaData().getColumnName(23)).isEqualTo("IS_AUTOINCREMENT");
                while (rs.next()) {
                    assertThat(rs.getString("TABLE_CAT")).isEqualTo(c.getCatalog());
                    assertThat(rs.getString("TABLE_SCHEM")).isEqualTo("sales");
                    byName.put(rs.getString("COLUMN_NAME"), List.of(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                            rs.getInt("COLUMN_SIZE"), String.valueOf(rs.getObject("DECIMAL_DIGITS")), rs.getInt("NULLABLE"),
                            rs.getString("IS_NULLABLE"), rs.getInt("ORDINAL_POSITION"), rs.getString("IS_AUTOINCREMENT"),
                            String.valueOf(rs.getString("COLUMN_DEF"))));
                }
            }
            assertThat(byName.keySet()).containsExactly("order_id", "line_no", "sku", "note", "price", "seq", "qty");
            assertThat(byName.get("order_id")).containsExactly(Types.INTEGER, "int", 10, "0", 0, "NO", 1, "NO", "null");
            assertThat(byName.get("line_no")).containsExactly(Types.SMALLINT, "smallint", 5, "0", 0, "NO", 2, "NO", "null");
            assertThat(byName.get("sku")).containsExactly(Types.NVARCHAR, "nvarchar", 40, "null", 0, "NO", 3, "NO", "null");
            // (max): SQL Server reports size 0, which mssql-jdbc turns into its maximum LOB size
            assertThat(byName.get("note")).containsExactly(Types.NVARCHAR, "nvarchar", Integer.MAX_VALUE, "null", 1, "YES",
                    4, "NO", "null");
            assertThat(byName.get("price")).containsExactly(Types.DECIMAL, "decimal", 12, "3", 1, "YES", 5, "NO", "null");
            assertThat(byName.get("seq")).containsExactly(Types.BIGINT, "bigint identity", 19, "0", 0, "NO", 6, "YES", "null");
            assertThat(byName.get("qty")).containsExactly(Types.INTEGER, "int", 10, "0", 0, "NO", 7, "NO", "((0))");
            assertThat(rows(c.getMetaData().getColumns(null, "sales", "order_lines", "s%"), "COLUMN_NAME"))
                    .containsExactly(List.of("sku"), List.of("seq"));
        }
    }

    @Test
    void getColumnsRunsInsideAnOpenTransactionWithoutEndingIt(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO sales.order_lines (order_id, line_no, sku) VALUES (9, 9, N'tx')");
            }
            assertThat(rows(c.getMetaData().getColumns(null, "sales", "order_lines", "sku"), "COLUMN_NAME")).hasSize(1);
            assertThat(rows(c.getMetaData().getColumns(null, "sales", "order_lines", "sku"), "COLUMN_NAME"))
                    .as("a second call declares the table variable again").hasSize(1);
            c.rollback();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT COUNT(*) FROM sales.order_lines WHERE sku = N'tx'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rolled back, so the metadata call committed nothing").isZero();
            }
        }
    }

    @Test
    void getPrimaryKeysListsTheKeyColumnsInKeyOrder(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            assertThat(rows(c.getMetaData().getPrimaryKeys(null, "sales", "order_lines"),
                    "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME")).containsExactly(
                    List.of("sales", "order_lines", "order_id", "1", "PK_order_lines"),
                    List.of("sales", "order_lines", "line_no", "2", "PK_order_lines"));
        }
    }

    @Test
    void getIndexInfoStartsWithTheTableRowThenUniqueIndexesThenTheOthers(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            List<String> columns = List.of("NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE", "ORDINAL_POSITION",
                    "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY");
            assertThat(rows(c.getMetaData().getIndexInfo(null, "sales", "order_lines", false, true),
                    columns.toArray(String[]::new))).containsExactly(
                    List.of("null", "null", "null", "0", "null", "null", "null", "2"),
                    List.of("0", "sales", "PK_order_lines", "1", "1", "order_id", "A", "2"),
                    List.of("0", "sales", "PK_order_lines", "1", "2", "line_no", "A", "2"),
                    List.of("0", "sales", "UQ_order_lines_sku", "3", "1", "sku", "A", "2"),
                    List.of("1", "sales", "order_lines_by_price", "3", "1", "price", "A", "2"),
                    List.of("1", "sales", "order_lines_by_price", "3", "2", "qty", "A", "2"));
            assertThat(rows(c.getMetaData().getIndexInfo(null, "sales", "order_lines", true, true), "INDEX_NAME"))
                    .as("unique only").doesNotContain(List.of("order_lines_by_price")).hasSize(4);
        }
    }

    @Test
    void getSchemasAndGetCatalogs(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            // mssql-jdbc 13.4 reads sys.schemas with a string alias per column, and names the current database
            List<List<Object>> schemas = rows(c.getMetaData().getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG");
            assertThat(schemas).contains(List.of("sales", c.getCatalog()), List.of("dbo", c.getCatalog()),
                    List.of("sys", c.getCatalog()));
            assertThat(rows(c.getMetaData().getSchemas(c.getCatalog(), "sal%"), "TABLE_SCHEM")).containsExactly(List.of("sales"));
            assertThat(rows(c.getMetaData().getCatalogs(), "TABLE_CAT")).contains(List.of(c.getCatalog()));
        }
    }

    @Test
    void theProceduresAnswerWithSqlServersDocumentedColumns(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            assertThat(columnsOf(c, "{call sp_tables(?, ?, ?, ?)}", "order_lines", "sales", null, null)).containsExactly(
                    "TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
            assertThat(columnsOf(c, "{call sp_pkeys(?, ?, ?)}", "order_lines", "sales", null)).containsExactly(
                    "TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
            assertThat(columnsOf(c, "{call sp_statistics_100(?, ?, ?)}", "order_lines", "sales", null)).containsExactly(
                    "TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE",
                    "SEQ_IN_INDEX", "COLUMN_NAME", "COLLATION", "CARDINALITY", "PAGES", "FILTER_CONDITION");
            assertThat(columnsOf(c, "{call sp_columns_100(?, ?)}", "order_lines", "sales")).startsWith(
                    "TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "PRECISION",
                    "LENGTH", "SCALE", "RADIX", "NULLABLE", "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE", "SQL_DATETIME_SUB",
                    "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE").endsWith("SS_DATA_TYPE").hasSize(29);
            assertThat(columnsOf(c, "{call sp_columns(?, ?)}", "order_lines", "sales")).as("without the SS_ columns of 2008")
                    .startsWith("TABLE_QUALIFIER").endsWith("IS_NULLABLE", "SS_DATA_TYPE").hasSize(19);
            assertThatThrownBy(() -> columnsOf(c, "{call sp_pkeys(?, ?, ?)}", "order_lines", "sales", "otherdb"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(15250));
        }
    }

    private static List<String> columnsOf(Connection c, String call, String... arguments) throws SQLException {
        try (CallableStatement cs = c.prepareCall(call)) {
            for (int i = 0; i < arguments.length; i++) {
                cs.setString(i + 1, arguments[i]);
            }
            try (ResultSet rs = cs.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnName(i));
                }
                return names;
            }
        }
    }

    /** The named columns of every row, as strings ("null" for SQL NULL). */
    private static List<List<Object>> rows(ResultSet rs, String... columns) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (String column : columns) {
                    row.add(String.valueOf(rs.getString(column)));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
