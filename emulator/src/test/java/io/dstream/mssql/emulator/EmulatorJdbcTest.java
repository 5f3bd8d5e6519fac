package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine through the real Microsoft JDBC driver over TCP. */
@ExtendWith(EmulatorExtension.class)
class EmulatorJdbcTest {

    @BeforeAll
    static void schema(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    IF OBJECT_ID(N'dbo.orders') IS NULL
                    CREATE TABLE dbo.orders (
                      id INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_orders PRIMARY KEY,
                      customer NVARCHAR(50) NOT NULL,
                      amount MONEY NULL,
                      qty TINYINT NULL,
                      placed DATETIME2(7) NULL,
                      placed_at DATETIMEOFFSET(7) NULL
                    )""");
        }
    }

    private static Object scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getObject(1);
        }
    }

    @Test
    void serverServicesShowTheAgentRunningAsCdcNeedsIt(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement();
             // the form of Debezium's agent check: database-qualified, LIKE on the service name
             ResultSet rs = s.executeQuery("SELECT CASE WHEN ss.[status_desc] = 'Running' THEN 1 ELSE 0 END AS isRunning "
                     + "FROM [" + c.getCatalog() + "].sys.dm_server_services ss WHERE ss.[servicename] LIKE N'SQL Server Agent (%'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = emulator.connect()) {
            assertThat(scalar(c, "SELECT COUNT(*) FROM sys.dm_server_services WHERE startup_type_desc = 'Automatic'")).isEqualTo(2);
            assertThat(scalar(c, "SELECT last_startup_time FROM sys.dm_server_services WHERE servicename LIKE N'SQL Server (%'"))
                    .isInstanceOf(microsoft.sql.DateTimeOffset.class);
        }
    }

    @Test
    void eachDatabaseHasItsOwnGuidInDatabaseRecoveryStatus(Emulator emulator) throws SQLException {
        String identity = "SELECT CONVERT(nvarchar(36), database_guid) + N'/' + CONVERT(nvarchar(36), recovery_fork_guid) "
                + "FROM sys.database_recovery_status WHERE database_id = DB_ID()";
        try (Connection c = emulator.connect()) {
            String first = (String) scalar(c, identity);
            assertThat(first).matches("[0-9A-F-]{36}/[0-9A-F-]{36}");
            assertThat(scalar(c, identity)).as("stable").isEqualTo(first);
            assertThat(scalar(c, "SELECT database_guid FROM sys.database_recovery_status WHERE database_id = DB_ID()"))
                    .isEqualTo(first.substring(0, 36));
            assertThat(scalar(c, "SELECT COUNT(DISTINCT database_guid) FROM sys.database_recovery_status")).isEqualTo(
                    scalar(c, "SELECT COUNT(*) FROM sys.databases"));
        }
    }

    @Test
    void driverBasics(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            assertThat(c.isValid(5)).isTrue();
            assertThat(c.getSchema()).isEqualTo("dbo");
            assertThat(c.getCatalog()).isEqualTo(emulator.database());
            assertThat(scalar(c, "SELECT CAST(SERVERPROPERTY('EngineEdition') as INT)")).isEqualTo(3);
            assertThat((String) scalar(c, "SELECT @@VERSION")).contains("SQL Server 2022");
            assertThat(c.getMetaData().getDatabaseMajorVersion()).isEqualTo(16);
        }
    }

    @Test
    void jdbcUrlWorksAsIs(Emulator emulator) throws SQLException {
        try (Connection c = DriverManager.getConnection(emulator.jdbcUrl())) {
            assertThat(scalar(c, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void preparedStatementsWithTypedValues(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dbo.orders (customer, amount, qty, placed, placed_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 3; i++) {
                    ps.setString(1, "c" + i);
                    ps.setBigDecimal(2, new BigDecimal("12.3456"));
                    ps.setShort(3, (short) 250);
                    ps.setObject(4, LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123456700));
                    ps.setObject(5, OffsetDateTime.parse("2024-05-06T07:08:09.1234567+05:30"));
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbo.orders (customer) OUTPUT INSERTED.id VALUES (?)")) {
                ps.setString(1, "with output");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isPositive();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT TOP (1) customer, amount, qty, placed, placed_at FROM dbo.orders WHERE customer = ?")) {
                ps.setString(1, "c2");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    ResultSetMetaData md = rs.getMetaData();
                    assertThat(md.getColumnTypeName(2)).isEqualTo("money");
                    assertThat(md.getColumnTypeName(3)).isEqualTo("tinyint");
                    assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("12.3456");
                    assertThat(rs.getShort(3)).isEqualTo((short) 250);
                    assertThat(rs.getObject(4, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123456700));
                    assertThat(rs.getObject(5, OffsetDateTime.class))
                            .isEqualTo(OffsetDateTime.parse("2024-05-06T07:08:09.1234567+05:30"));
                }
            }
        }
    }

    @Test
    void transactionsThroughTheJdbcApi(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.tx (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO dbo.tx VALUES (1)");
            assertThat(scalar(c, "SELECT @@TRANCOUNT")).isEqualTo(1);
            c.rollback();
            s.executeUpdate("INSERT INTO dbo.tx VALUES (2)");
            c.commit();
            c.setAutoCommit(true);
            assertThat(scalar(c, "SELECT @@TRANCOUNT")).isEqualTo(0);
            try (Connection other = emulator.connect()) {
                assertThat(scalar(other, "SELECT COUNT(*) FROM dbo.tx")).isEqualTo(1);
            }
        }
    }

    @Test
    void errorsCarrySqlServerNumbers(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM dbo.nosuch"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(208);
                        assertThat(e.getMessage()).isEqualTo("Invalid object name 'dbo.nosuch'.");
                    });
            s.execute("CREATE TABLE dbo.dup (id INT PRIMARY KEY)");
            s.execute("INSERT INTO dbo.dup VALUES (1)");
            assertThatThrownBy(() -> s.execute("INSERT INTO dbo.dup VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(2627));
            assertThatThrownBy(() -> s.execute("EXEC dbo.nothing @a = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(2812));
            assertThatThrownBy(() -> s.execute("SELECT @x"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(137));
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void variablesIfAndUse(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE other_placeholder_is_not_needed".substring(0, 0) + "SELECT 1");
            try (Connection o = DriverManager.getConnection(emulator.jdbcUrl().replace("databaseName=" + emulator.database(),
                    "databaseName=otherdb"), "sa", "x")) {
                assertThat(o.getCatalog()).isEqualTo("otherdb");
            }
            s.execute("USE [otherdb]");
            assertThat(c.getCatalog()).isEqualTo("otherdb");
            assertThat(scalar(c, "SELECT DB_NAME()")).isEqualTo("otherdb");
            s.execute("USE " + emulator.database());
            try (ResultSet rs = s.executeQuery("DECLARE @n INT = 2; SET @n = @n * 21; "
                    + "IF @n = 42 SELECT @n AS answer ELSE SELECT 0 AS answer")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("answer")).isEqualTo(42);
            }
        }
    }

    @Test
    void catalogViewsThroughTheDriver(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.name, t.name AS type_name, c.max_length FROM sys.columns c "
                     + "JOIN sys.types t ON t.user_type_id = c.user_type_id "
                     + "WHERE c.object_id = OBJECT_ID(N'dbo.orders') ORDER BY c.column_id")) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
            }
            assertThat(columns).containsExactly("id int 4", "customer nvarchar 100", "amount money 8", "qty tinyint 1",
                    "placed datetime2 8", "placed_at datetimeoffset 10");
        }
    }

    @Test
    void cdcProceduresWithNamedParameters(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbo.tracked (id INT PRIMARY KEY, v NVARCHAR(10))");
            s.execute("EXEC sys.sp_cdc_enable_db");
            s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'tracked', @role_name = NULL");
            assertThat(scalar(c, "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()")).isEqualTo(true);
            assertThat(scalar(c, "SELECT is_tracked_by_cdc FROM sys.tables WHERE name = 'tracked'")).isEqualTo(true);
            s.execute("INSERT INTO dbo.tracked VALUES (1, N'a')");
            assertThat(emulator.awaitCaptured(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(scalar(c, "SELECT COUNT(*) FROM cdc.fn_cdc_get_all_changes_dbo_tracked("
                    + "sys.fn_cdc_get_min_lsn(N'dbo_tracked'), sys.fn_cdc_get_max_lsn(), N'all')")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_tracked("
                    + "sys.fn_cdc_get_min_lsn(N'dbo_tracked'), sys.fn_cdc_get_max_lsn(), N'all')")) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> types = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    types.add(md.getColumnName(i) + " " + md.getColumnTypeName(i));
                }
                assertThat(types).contains("__$start_lsn binary", "__$operation int", "id int", "v nvarchar");
            }
            assertThatThrownBy(() -> s.execute("TRUNCATE TABLE dbo.tracked"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(4711));
            try (ResultSet rs = s.executeQuery("SELECT [__$start_lsn], [__$operation], v FROM cdc.dbo_tracked_CT")) {
                assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("binary");
                assertThat(rs.getMetaData().getColumnTypeName(3)).isEqualTo("nvarchar");
            }
        }
    }

    @Test
    void callableStatementReachesRegisteredProcedures(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); CallableStatement cs = c.prepareCall("{call sys.sp_cdc_enable_db}")) {
            cs.execute();
        }
    }

    @Test
    void injectedErrorsAndRequestCount(Emulator emulator) throws SQLException {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            long before = emulator.requestCount();
            s.execute("SELECT 1");
            assertThat(emulator.requestCount()).isEqualTo(before + 1);
            emulator.injectError(1205, 0);
            assertThatThrownBy(() -> s.execute("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1205));
            assertThat(scalar(c, "SELECT 2")).isEqualTo(2);
        }
    }
}
