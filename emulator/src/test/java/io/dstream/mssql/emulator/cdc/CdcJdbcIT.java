package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.mssql.emulator.Emulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CDC conformance through the real path: mssql-jdbc over TCP to the emulator, with T-SQL as a user
 * types it (the seed's prerequisite script, Microsoft's documentation examples, the reference's
 * acceptance scenarios).
 */
class CdcJdbcIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INVALID_RANGE = "An insufficient number of arguments were supplied for the "
            + "procedure or function cdc.fn_cdc_get_all_changes_ ... .";

    private Emulator emulator;
    private Connection connection;

    @BeforeEach
    void start() throws SQLException {
        emulator = Emulator.builder().captureLatency(Duration.ofMillis(20)).start();
        connection = DriverManager.getConnection(emulator.jdbcUrl());
        execute("CREATE TABLE dbo.customers (id INT PRIMARY KEY, name NVARCHAR(100) NOT NULL, "
                + "email NVARCHAR(200), city NVARCHAR(50), score INT)");
        // The seed's prerequisite script, as a user would type it.
        execute("EXEC sys.sp_cdc_enable_db;");
        execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'customers', "
                + "@role_name = NULL;");
    }

    @AfterEach
    void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void catalogViewsShowCdcEnabled() throws SQLException {
        assertThat(rows("SELECT name, is_cdc_enabled FROM sys.databases WHERE name = DB_NAME();"))
                .singleElement().satisfies(r -> assertThat(r[1]).isEqualTo(true));
        assertThat(rows("SELECT name, is_tracked_by_cdc FROM sys.tables WHERE name = 'customers';"))
                .singleElement().satisfies(r -> assertThat(r).containsExactly("customers", true));
        assertThat(rows("SELECT capture_instance, supports_net_changes FROM cdc.change_tables"))
                .singleElement().satisfies(r -> assertThat(r).containsExactly("dbo_customers", true));
    }

    /** Scenarios 1 and 2, read with the example of Microsoft's fn_cdc_get_all_changes page. */
    @Test
    void documentationExampleReadsOneTransaction() throws SQLException {
        connection.setAutoCommit(false);
        execute("INSERT INTO dbo.customers (id, name, email, city, score) VALUES (1, N'Ann', N'a@x', N'Paris', 1), "
                + "(2, N'Bob', N'b@x', N'Rome', 2)");
        execute("UPDATE dbo.customers SET city = N'Oslo' WHERE id = 1");
        execute("DELETE FROM dbo.customers WHERE id = 2");
        connection.commit();
        connection.setAutoCommit(true);
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();

        String example = "DECLARE @from_lsn binary(10), @to_lsn binary(10); "
                + "SET @from_lsn = sys.fn_cdc_get_min_lsn('dbo_customers'); "
                + "SET @to_lsn = sys.fn_cdc_get_max_lsn(); "
                + "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_customers(@from_lsn, @to_lsn, N'all');";
        try (Statement s = connection.createStatement(); ResultSet rs = executeForResult(s, example)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                labels.add(meta.getColumnLabel(i));
            }
            assertThat(labels).containsExactly("__$start_lsn", "__$seqval", "__$operation", "__$update_mask", "id",
                    "name", "email", "city", "score");
            assertThat(meta.getColumnTypeName(1)).isEqualTo("binary");
            assertThat(meta.getPrecision(1)).isEqualTo(10);
            assertThat(meta.getColumnTypeName(3)).isEqualTo("int");
            assertThat(meta.getColumnTypeName(6)).isEqualTo("nvarchar");
            assertThat(meta.isNullable(6)).isEqualTo(ResultSetMetaData.columnNullable);
            List<Integer> ops = new ArrayList<>();
            List<byte[]> masks = new ArrayList<>();
            byte[] commit = null;
            while (rs.next()) {
                ops.add(rs.getInt("__$operation"));
                masks.add(rs.getBytes("__$update_mask"));
                if (commit == null) {
                    commit = rs.getBytes(1);
                }
                assertThat(rs.getBytes(1)).isEqualTo(commit);
            }
            assertThat(ops).containsExactly(2, 2, 4, 1);
            assertThat(masks.get(0)).containsExactly(0x1F);
            assertThat(masks.get(2)).containsExactly(0x08);
        }
        List<Object[]> old = rows("SELECT __$operation, __$seqval FROM cdc.fn_cdc_get_all_changes_dbo_customers("
                + "sys.fn_cdc_get_min_lsn(N'dbo_customers'), sys.fn_cdc_get_max_lsn(), N'all update old') "
                + "ORDER BY __$start_lsn, __$seqval, __$operation");
        assertThat(old).extracting(r -> r[0]).containsExactly(2, 2, 3, 4, 1);
        assertThat((byte[]) old.get(2)[1]).isEqualTo((byte[]) old.get(3)[1]);
    }

    /** Scenario 5 and the reader's typical calls with byte[] parameters. */
    @Test
    void invalidRangesRaise313ThroughTheDriver() throws SQLException {
        execute("INSERT INTO dbo.customers VALUES (1, N'Ann', N'a@x', N'Paris', 1)");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        byte[] max = (byte[]) rows("SELECT sys.fn_cdc_get_max_lsn()").get(0)[0];
        byte[] next = (byte[]) prepared("SELECT sys.fn_cdc_increment_lsn(?)", max).get(0)[0];
        assertThat(prepared("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, N'all')", max, max))
                .hasSize(1);
        assertThatThrownBy(() -> prepared("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, N'all')",
                next, max))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(313);
                    assertThat(e.getMessage()).isEqualTo(INVALID_RANGE);
                });
        // Scenario 8: an unknown capture instance has the zero LSN as its minimum.
        assertThat((byte[]) rows("SELECT sys.fn_cdc_get_min_lsn(N'nope')").get(0)[0]).isEqualTo(new byte[10]);
    }

    /** An LSN sent as text (the driver's nvarchar) is refused as SQL Server refuses it, naming SQL Server's types. */
    @Test
    void anLsnAsTextIsNoImplicitBinary() throws SQLException {
        String text = "0x00000021000001010004";
        for (String function : List.of("fn_cdc_increment_lsn", "fn_cdc_decrement_lsn", "fn_cdc_map_lsn_to_time")) {
            assertThatThrownBy(() -> prepared("SELECT sys." + function + "(?)", text))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).as(function).isEqualTo(257);
                        assertThat(e.getMessage()).isEqualTo("Implicit conversion from data type nvarchar to binary is "
                                + "not allowed. Use the CONVERT function to run this query.");
                    });
        }
        assertThatThrownBy(() -> execute("EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'dbo_customers', "
                + "@low_water_mark = N'" + text + "'"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                        .startsWith("Implicit conversion from data type nvarchar to binary"));
        assertThat(prepared("SELECT sys.fn_cdc_increment_lsn(CONVERT(binary(10), ?, 1))", text).get(0)[0])
                .as("an explicit CONVERT is the way").isEqualTo(java.util.HexFormat.of().parseHex("00000021000001010005"));
    }

    /** Scenario 4: cleanup to max_lsn leaves the rows at max; a reader below the floor gets 313. */
    @Test
    void cleanupRaisesTheFloor() throws SQLException {
        execute("INSERT INTO dbo.customers VALUES (1, N'Ann', N'a@x', N'Paris', 1)");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        byte[] oldMin = (byte[]) rows("SELECT sys.fn_cdc_get_min_lsn('dbo_customers')").get(0)[0];
        byte[] firstMax = (byte[]) rows("SELECT sys.fn_cdc_get_max_lsn()").get(0)[0];
        emulator.purgeBelow(firstMax);
        assertThat((byte[]) rows("SELECT sys.fn_cdc_get_min_lsn('dbo_customers')").get(0)[0]).isEqualTo(firstMax);
        assertThatThrownBy(() -> prepared("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, N'all')",
                oldMin, firstMax)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(313));
        // A low water mark resolves to the smallest LSN of its commit time (datetime ticks of 1/300 s):
        // let the clock pass the insert's commit time so that the update has a time of its own.
        java.sql.Timestamp insertTime = (java.sql.Timestamp) rows("SELECT MAX(tran_end_time) FROM cdc.lsn_time_mapping")
                .get(0)[0];
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> SqlDateTime.round(java.time.LocalDateTime.now())
                .isAfter(insertTime.toLocalDateTime()));
        execute("UPDATE dbo.customers SET score = 2 WHERE id = 1");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        execute("EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'dbo_customers', "
                + "@low_water_mark = NULL");
        assertThat(rows("SELECT COUNT(*) FROM cdc.dbo_customers_CT")).singleElement()
                .satisfies(r -> assertThat(r[0]).isEqualTo(3));
        // As the sp_cdc_cleanup_change_table documentation runs it.
        execute("DECLARE @lsn binary(10) = sys.fn_cdc_get_max_lsn(); "
                + "EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'dbo_customers', "
                + "@low_water_mark = @lsn, @threshold = 5000;");
        assertThat(rows("SELECT __$operation FROM cdc.dbo_customers_CT ORDER BY __$operation"))
                .extracting(r -> r[0]).containsExactly(3, 4);
        assertThat(rows("SELECT CASE WHEN sys.fn_cdc_get_min_lsn('dbo_customers') = sys.fn_cdc_get_max_lsn() "
                + "THEN 1 ELSE 0 END").get(0)[0]).isEqualTo(1);
    }

    /** Scenarios 6 and 7: a second instance after ADD COLUMN, then a third is refused. */
    @Test
    void secondInstanceAfterAddColumnAndNoThird() throws SQLException {
        execute("ALTER TABLE dbo.customers ADD phone NVARCHAR(20)");
        execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'customers', "
                + "@role_name = NULL, @capture_instance = N'dbo_customers_v2'");
        execute("INSERT INTO dbo.customers (id, name, phone) VALUES (7, N'Eve', N'555')");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        assertThat(rows("SELECT phone FROM cdc.fn_cdc_get_all_changes_dbo_customers_v2("
                + "sys.fn_cdc_get_min_lsn('dbo_customers_v2'), sys.fn_cdc_get_max_lsn(), N'all')"))
                .singleElement().satisfies(r -> assertThat(r[0]).isEqualTo("555"));
        assertThat(rows("SELECT COUNT(*) FROM cdc.fn_cdc_get_all_changes_dbo_customers("
                + "sys.fn_cdc_get_min_lsn('dbo_customers'), sys.fn_cdc_get_max_lsn(), N'all')")).singleElement()
                .satisfies(r -> assertThat(r[0]).isEqualTo(1));
        assertThat(rows("SELECT end_lsn FROM cdc.change_tables")).extracting(r -> r[0]).containsOnlyNulls();
        assertThatThrownBy(() -> execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', "
                + "@source_name = N'customers', @role_name = NULL, @capture_instance = N'third'"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(22962));
    }

    @Test
    void helpProcedureAndNetChanges() throws SQLException {
        List<Object[]> help = rows("EXEC sys.sp_cdc_help_change_data_capture");
        assertThat(help).singleElement().satisfies(r -> {
            assertThat(r[2]).isEqualTo("dbo_customers");
            assertThat(r[13]).isEqualTo("[id]");
            assertThat(r[14]).isEqualTo("[id], [name], [email], [city], [score]");
        });
        connection.setAutoCommit(false);
        execute("INSERT INTO dbo.customers (id, name) VALUES (1, N'a'), (2, N'b')");
        execute("UPDATE dbo.customers SET name = N'c' WHERE id = 1");
        execute("DELETE FROM dbo.customers WHERE id = 2");
        connection.commit();
        connection.setAutoCommit(true);
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        assertThat(rows("SELECT __$operation, id, name FROM cdc.fn_cdc_get_net_changes_dbo_customers("
                + "sys.fn_cdc_get_min_lsn('dbo_customers'), sys.fn_cdc_get_max_lsn(), N'all')"))
                .singleElement().satisfies(r -> assertThat(r).containsExactly(2, 1, "c"));
    }

    @Test
    void rolledBackTransactionsLeaveNothing() throws SQLException {
        connection.setAutoCommit(false);
        execute("INSERT INTO dbo.customers (id, name) VALUES (1, N'a')");
        connection.rollback();
        execute("INSERT INTO dbo.customers (id, name) VALUES (2, N'b')");
        connection.commit();
        connection.setAutoCommit(true);
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        assertThat(rows("SELECT id FROM cdc.dbo_customers_CT")).extracting(r -> r[0]).containsExactly(2);
    }

    @Test
    void typesOfChangeFunctionColumnsAreTheSourceTypes() throws SQLException {
        execute("CREATE TABLE dbo.typed (id INT PRIMARY KEY, price MONEY, qty TINYINT, at DATETIME2(3), "
                + "zoned DATETIMEOFFSET(7), amount DECIMAL(12,3), uid UNIQUEIDENTIFIER, doc NVARCHAR(MAX), "
                + "blob VARBINARY(MAX), flag BIT)");
        execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'typed', @role_name = NULL");
        execute("INSERT INTO dbo.typed VALUES (1, 12.3400, 200, '2024-05-06 07:08:09.123', "
                + "'2024-05-06 07:08:09.1234567 +02:00', 123456789.123, '6F9619FF-8B86-D011-B42D-00C04FC964FF', "
                + "N'long text', 0x0102, 1)");
        execute("UPDATE dbo.typed SET qty = 201 WHERE id = 1");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_typed(sys.fn_cdc_get_min_lsn('dbo_typed'), "
                        + "sys.fn_cdc_get_max_lsn(), N'all update old') ORDER BY __$start_lsn, __$seqval, __$operation")) {
            ResultSetMetaData m = rs.getMetaData();
            List<String> types = new ArrayList<>();
            for (int i = 5; i <= m.getColumnCount(); i++) {
                types.add(m.getColumnTypeName(i));
            }
            assertThat(types).containsExactly("int", "money", "tinyint", "datetime2", "datetimeoffset", "decimal",
                    "uniqueidentifier", "nvarchar", "varbinary", "bit");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBigDecimal("price")).isEqualByComparingTo("12.34");
            assertThat(rs.getInt("qty")).isEqualTo(200);
            assertThat(rs.getString("uid")).isEqualToIgnoringCase("6F9619FF-8B86-D011-B42D-00C04FC964FF");
            assertThat(rs.getString("doc")).isEqualTo("long text");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("__$operation")).isEqualTo(3);
            assertThat(rs.getString("doc")).isNull();   // unchanged nvarchar(max) in a before-image
            assertThat(rs.getBytes("blob")).isNull();
            assertThat(rs.getInt("qty")).isEqualTo(200);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("doc")).isEqualTo("long text");
            assertThat(rs.getBytes("blob")).containsExactly(1, 2);
        }
    }

    @Test
    void bracketedNamesWithSpacesAndUnicode() throws SQLException {
        execute("CREATE SCHEMA [Sales Ω]");
        execute("CREATE TABLE [Sales Ω].[order lines] ([line id] INT PRIMARY KEY, [qty]]x] INT)");
        execute("EXEC sys.sp_cdc_enable_table @source_schema = N'Sales Ω', @source_name = N'order lines', "
                + "@role_name = NULL");
        execute("INSERT INTO [Sales Ω].[order lines] VALUES (1, 5)");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        assertThat(rows("SELECT [line id], [qty]]x] FROM cdc.[fn_cdc_get_all_changes_Sales Ω_order lines]("
                + "sys.fn_cdc_get_min_lsn(N'Sales Ω_order lines'), sys.fn_cdc_get_max_lsn(), N'all')"))
                .singleElement().satisfies(r -> assertThat(r).containsExactly(1, 5));
        assertThat(rows("SELECT COUNT(*) FROM cdc.[Sales Ω_order lines_CT]")).singleElement()
                .satisfies(r -> assertThat(r[0]).isEqualTo(1));
    }

    @Test
    void oneCommitLsnAcrossTablesAndTimeMapping() throws SQLException {
        execute("CREATE TABLE dbo.orders (id INT PRIMARY KEY, customer INT)");
        execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL");
        connection.setAutoCommit(false);
        execute("INSERT INTO dbo.customers (id, name) VALUES (1, N'a')");
        execute("INSERT INTO dbo.orders VALUES (10, 1)");
        connection.commit();
        connection.setAutoCommit(true);
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        byte[] customers = (byte[]) rows("SELECT __$start_lsn FROM cdc.dbo_customers_CT").get(0)[0];
        byte[] orders = (byte[]) rows("SELECT __$start_lsn FROM cdc.dbo_orders_CT").get(0)[0];
        assertThat(orders).isEqualTo(customers);
        List<Object[]> time = prepared("SELECT sys.fn_cdc_map_lsn_to_time(?), tran_end_time FROM cdc.lsn_time_mapping "
                + "WHERE start_lsn = ?", customers, customers);
        assertThat(time).singleElement().satisfies(r -> assertThat(r[0]).isEqualTo(r[1]).isNotNull());
        assertThat(prepared("SELECT sys.fn_cdc_map_time_to_lsn('largest less than or equal', ?)", time.get(0)[0])
                .get(0)[0]).isEqualTo(customers);
    }

    @Test
    void stoppedCaptureJobDelaysChangesAndScanCapturesThem() throws SQLException {
        execute("EXEC sys.sp_cdc_stop_job @job_type = N'capture'");
        execute("INSERT INTO dbo.customers (id, name) VALUES (1, N'a')");
        assertThat(emulator.awaitCaptured(Duration.ofMillis(200))).isFalse();
        assertThat(rows("SELECT sys.fn_cdc_get_max_lsn()").get(0)[0]).isNull();
        execute("EXEC sys.sp_cdc_scan");
        assertThat(rows("SELECT sys.fn_cdc_get_max_lsn()").get(0)[0]).isNotNull();
        execute("INSERT INTO dbo.customers (id, name) VALUES (2, N'b')");
        execute("EXEC sys.sp_cdc_start_job");
        assertThat(emulator.awaitCaptured(WAIT)).isTrue();
        assertThat(rows("SELECT COUNT(*) FROM cdc.dbo_customers_CT").get(0)[0]).isEqualTo(2);
    }

    @Test
    void informationalMessagesArriveAsWarnings() throws SQLException {
        try (Connection other = DriverManager.getConnection(emulator.jdbcUrl().replace("databaseName="
                + emulator.database(), "databaseName=jobs")); Statement s = other.createStatement()) {
            s.execute("CREATE TABLE dbo.t (id INT PRIMARY KEY)");
            s.execute("EXEC sys.sp_cdc_enable_db");
            s.execute("EXEC sys.sp_cdc_enable_db");
            SQLWarning again = s.getWarnings();
            assertThat((Object) again).isNotNull();
            assertThat(again.getErrorCode()).isEqualTo(22905);
            assertThat(again.getMessage()).startsWith("Database 'jobs' is already enabled for Change Data Capture.");
            s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N't', @role_name = NULL");
            SQLWarning job = s.getWarnings();
            assertThat((Object) job).isNotNull();
            assertThat(job.getMessage()).isEqualTo("Job 'cdc.jobs_capture' started successfully.");
            List<Object[]> jobs = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("EXEC sys.sp_cdc_help_jobs")) {
                while (rs.next()) {
                    jobs.add(new Object[] {rs.getString("job_type"), rs.getString("job_name"), rs.getObject("retention")});
                }
            }
            assertThat(jobs).extracting(r -> r[0] + " " + r[1] + " " + r[2])
                    .containsExactly("capture cdc.jobs_capture null", "cleanup cdc.jobs_cleanup 4320");
        }
    }

    @Test
    void errorsOfProceduresReachTheClient() throws SQLException {
        try (Connection other = DriverManager.getConnection(emulator.jdbcUrl().replace("databaseName=" + emulator.database(),
                "databaseName=plain")); Statement s = other.createStatement()) {
            s.execute("CREATE TABLE dbo.t (id INT PRIMARY KEY)");
            assertThatThrownBy(() -> s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', "
                    + "@source_name = N't', @role_name = NULL"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(22901);
                        assertThat(e.getMessage()).startsWith("The database 'plain' is not enabled for Change Data "
                                + "Capture.");
                    });
            assertThatThrownBy(() -> s.executeQuery("SELECT sys.fn_cdc_get_max_lsn()"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(208));
        }
        assertThatThrownBy(() -> execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', "
                + "@source_name = N'missing', @role_name = NULL"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(22931));
        execute("EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'customers', "
                + "@capture_instance = N'all'");
        assertThat(rows("SELECT is_tracked_by_cdc FROM sys.tables WHERE name = 'customers'").get(0)[0])
                .isEqualTo(false);
        // the dropped instance's functions are gone: SQL Server answers 208 (Invalid object name)
        for (String function : List.of("fn_cdc_get_all_changes_dbo_customers", "fn_cdc_get_net_changes_dbo_customers")) {
            assertThatThrownBy(() -> rows("SELECT * FROM cdc." + function + "(NULL, NULL, N'all')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(208);
                        assertThat(e.getMessage()).isEqualTo("Invalid object name 'cdc." + function + "'.");
                    });
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first result set of a batch that may start with update counts. */
    private static ResultSet executeForResult(Statement s, String sql) throws SQLException {
        boolean isResult = s.execute(sql);
        while (!isResult) {
            if (s.getUpdateCount() == -1) {
                throw new AssertionError("no result set from: " + sql);
            }
            isResult = s.getMoreResults();
        }
        return s.getResultSet();
    }

    private List<Object[]> rows(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = executeForResult(s, sql)) {
            return read(rs);
        }
    }

    private List<Object[]> prepared(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        }
    }

    private static List<Object[]> read(ResultSet rs) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            Object[] r = new Object[n];
            for (int i = 0; i < n; i++) {
                r[i] = rs.getObject(i + 1);
            }
            out.add(r);
        }
        return out;
    }
}
