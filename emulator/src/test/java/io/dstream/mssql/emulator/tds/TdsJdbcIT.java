package io.dstream.mssql.emulator.tds;

import com.microsoft.sqlserver.jdbc.SQLServerPreparedStatement;
import io.dstream.mssql.emulator.engine.Parameter;
import io.dstream.mssql.emulator.engine.SqlType.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The TDS server through the real Microsoft JDBC driver over TCP, with an H2 pass-through engine. */
class TdsJdbcIT {

    private static H2PassthroughEngine engine;
    private static TdsServer server;

    @BeforeAll
    static void start() throws Exception {
        engine = new H2PassthroughEngine();
        server = new TdsServer(engine, "127.0.0.1", 0);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    static String url(TdsServer s, String extra) {
        return "jdbc:sqlserver://127.0.0.1:" + s.port() + ";databaseName=testdb;encrypt=false" + extra;
    }

    static Connection connect(String extra) throws SQLException {
        return DriverManager.getConnection(url(server, extra), H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD);
    }

    @Test
    void loginReportsSqlServer2022AndTheDatabase() throws Exception {
        try (RequestLog log = new RequestLog(); Connection c = connect("")) {
            assertThat(log.all()).anyMatch(l -> l.contains("LOGIN7 Login7[tdsVersion=0x74000004"))
                    .noneMatch(l -> l.contains(H2PassthroughEngine.PASSWORD))
                    .noneMatch(l -> l.startsWith("WARN"));
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("Microsoft SQL Server");
            assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("16.00.1000");
            assertThat(c.getCatalog()).isEqualTo("testdb");
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(engine.logins).containsEntry("testdb", "sa");
    }

    @Test
    void wrongPasswordFailsWithError18456AndIsNotLogged() throws Exception {
        try (RequestLog log = new RequestLog()) {
            assertThatThrownBy(() -> DriverManager.getConnection(url(server, ""), "sa", "wrong-Secret-42"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(18456);
                        assertThat(e.getMessage()).contains("Login failed for user 'sa'");
                    });
            assertThat(log.all()).anyMatch(l -> l.startsWith("WARN") && l.contains("login failed for user 'sa'"));
            assertThat(log.all()).noneMatch(l -> l.contains("wrong-Secret-42"));
        }
    }

    @Test
    void strictEncryptionIsRefusedQuicklyWhileEncryptTrueConnects() throws Exception {
        String u = "jdbc:sqlserver://127.0.0.1:" + server.port() + ";databaseName=testdb;loginTimeout=10;encrypt=";
        long start = System.nanoTime();
        // TDS 8 (TLS before PRELOGIN) is not spoken: the connection is closed at once, not left to time out
        assertThatThrownBy(() -> DriverManager.getConnection(u + "strict;trustServerCertificate=true",
                H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD)).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        try (Connection c = DriverManager.getConnection(u + "true;trustServerCertificate=true",
                H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }

    @Test
    void statementDdlDmlAndQueryOfH2Types() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("CREATE TABLE dbo.stmt_t (id INT PRIMARY KEY, name NVARCHAR(50), amount DECIMAL(38,10),"
                    + " at DATETIME2(7), flag BIT, data VARBINARY(20), big BIGINT)")).isZero();
            assertThat(s.executeUpdate("INSERT INTO dbo.stmt_t VALUES (1, N'héllo ✓', 12345678901234567890.0123456789,"
                    + " '2024-05-01 10:11:12.1234567', 1, 0x0A0B, 9223372036854775807),"
                    + " (2, NULL, NULL, NULL, NULL, NULL, NULL)")).isEqualTo(2);
            try (ResultSet rs = s.executeQuery("SELECT id, name, amount, at, flag, data, big FROM dbo.stmt_t ORDER BY id")) {
                assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("int");
                assertThat(rs.getMetaData().getColumnTypeName(2)).isEqualTo("nvarchar");
                assertThat(rs.getMetaData().getColumnTypeName(4)).isEqualTo("datetime2");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("héllo ✓");
                assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("12345678901234567890.0123456789");
                assertThat(rs.getObject(4, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2024-05-01T10:11:12.1234567"));
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(rs.getBytes(6)).containsExactly(0x0A, 0x0B);
                assertThat(rs.getLong(7)).isEqualTo(Long.MAX_VALUE);
                assertThat(rs.next()).isTrue();
                for (int i = 2; i <= 7; i++) {
                    assertThat(rs.getObject(i)).as("column %d", i).isNull();
                }
                assertThat(rs.next()).isFalse();
            }
            assertThat(s.executeUpdate("UPDATE dbo.stmt_t SET name = N'x' WHERE id > 0")).isEqualTo(2);
            assertThat(s.executeUpdate("DELETE FROM dbo.stmt_t WHERE id = 5")).isZero();
        }
    }

    /** One parameter value, sent with a setter and expected back with the same value and SQL type. */
    private record Case(String typeName, Object value, Setter setter, Class<?> readAs) {
    }

    @FunctionalInterface
    private interface Setter {
        void set(PreparedStatement ps, int index) throws SQLException;
    }

    private static Case of(String typeName, Object value, Class<?> readAs) {
        return new Case(typeName, value, (ps, i) -> ps.setObject(i, value), readAs);
    }

    private static Case typed(String typeName, Object value, int sqlType, Class<?> readAs) {
        return new Case(typeName, value, (ps, i) -> ps.setObject(i, value, sqlType), readAs);
    }

    @Test
    void everyParameterTypeRoundTripsExactly() throws Exception {
        String longText = "ab✓".repeat(3000);
        byte[] longBytes = new byte[20_000];
        for (int i = 0; i < longBytes.length; i++) {
            longBytes[i] = (byte) i;
        }
        Timestamp datetime = Timestamp.valueOf("2024-02-29 23:59:59.997");
        Timestamp smallDatetime = Timestamp.valueOf("2079-06-06 23:59:00");
        List<Case> cases = List.of(
                typed("tinyint", (short) 255, Types.TINYINT, Short.class),
                of("smallint", Short.MIN_VALUE, Short.class),
                of("int", Integer.MIN_VALUE, Integer.class),
                of("bigint", Long.MAX_VALUE, Long.class),
                of("bit", true, Boolean.class),
                of("decimal", new BigDecimal("12345678901234567890.123456789012345678"), BigDecimal.class),
                of("decimal", new BigDecimal("-99999999999999999999999999999999999999"), BigDecimal.class),
                typed("money", new BigDecimal("922337203685477.5807"), microsoft.sql.Types.MONEY, BigDecimal.class),
                typed("money", new BigDecimal("-922337203685477.5808"), microsoft.sql.Types.MONEY, BigDecimal.class),
                // mssql-jdbc declares a SMALLMONEY parameter as money
                typed("money", new BigDecimal("-214748.3648"), microsoft.sql.Types.SMALLMONEY, BigDecimal.class),
                of("float", Double.MAX_VALUE, Double.class),
                of("real", Float.MIN_VALUE, Float.class),
                of("date", LocalDate.of(1, 1, 1), LocalDate.class),
                of("date", LocalDate.of(9999, 12, 31), LocalDate.class),
                of("datetime2", LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900), LocalDateTime.class),
                of("datetime2", LocalDateTime.of(1, 1, 1, 0, 0, 0, 100), LocalDateTime.class),
                of("datetimeoffset", OffsetDateTime.of(2024, 5, 1, 10, 11, 12, 123_456_700, ZoneOffset.ofHoursMinutes(-5, -30)),
                        OffsetDateTime.class),
                of("datetimeoffset", OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_900, ZoneOffset.ofHours(14)),
                        OffsetDateTime.class),
                of("nvarchar", "héllo ✓ 𝄞", String.class),
                of("nvarchar", longText, String.class),
                of("nvarchar", "", String.class),
                of("varbinary", new byte[] {0, 1, (byte) 0xFF}, byte[].class),
                of("varbinary", longBytes, byte[].class),
                of("uniqueidentifier", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), UUID.class),
                new Case("xml", "<a b=\"1\">✓</a>", (ps, i) -> {
                    java.sql.SQLXML xml = ps.getConnection().createSQLXML();
                    xml.setString("<a b=\"1\">✓</a>");
                    ps.setSQLXML(i, xml);
                }, String.class));
        try (Connection c = connect("")) {
            for (Case k : cases) {
                assertRoundTrip(c, k);
            }
        }
        // datetimeParameterType=datetime: mssql-jdbc declares datetime values as datetime2 by default
        try (Connection c = connect(";datetimeParameterType=datetime")) {
            assertRoundTrip(c, new Case("datetime", datetime,
                    (ps, i) -> ps.unwrap(SQLServerPreparedStatement.class).setDateTime(i, datetime), Timestamp.class));
            // ... and declares smalldatetime values as datetime
            assertRoundTrip(c, new Case("datetime", smallDatetime,
                    (ps, i) -> ps.unwrap(SQLServerPreparedStatement.class).setSmallDateTime(i, smallDatetime), Timestamp.class));
        }
        // sendTimeAsDatetime=false: otherwise mssql-jdbc declares time values as datetime
        try (Connection c = connect(";sendTimeAsDatetime=false")) {
            assertRoundTrip(c, of("time", LocalTime.of(23, 59, 59, 999_999_900), LocalTime.class));
            assertRoundTrip(c, of("time", LocalTime.MIDNIGHT, LocalTime.class));
        }
    }

    @Test
    void varcharParametersAreWindows1252() throws Exception {
        try (Connection c = connect(";sendStringParametersAsUnicode=false")) {
            assertRoundTrip(c, of("varchar", "café £5 – ok", String.class));
        }
        Parameter received = lastParameter();
        assertThat(received.type().kind()).isEqualTo(Kind.VARCHAR);
        assertThat(received.value()).isEqualTo("café £5 – ok");
    }

    @Test
    void nullsOfEveryTypeRoundTrip() throws Exception {
        int[] types = {Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.BIT, Types.DECIMAL, Types.DOUBLE,
                Types.REAL, Types.DATE, Types.TIME, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.NVARCHAR,
                Types.VARCHAR, Types.VARBINARY, Types.LONGNVARCHAR, Types.LONGVARBINARY, microsoft.sql.Types.GUID,
                microsoft.sql.Types.MONEY, microsoft.sql.Types.DATETIME};
        try (Connection c = connect(""); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            for (int type : types) {
                ps.setNull(1, type);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject(1)).as("NULL of JDBC type %d", type).isNull();
                }
                assertThat(lastParameter().value()).isNull();
            }
        }
    }

    private static void assertRoundTrip(Connection c, Case k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ? AS v")) {
            k.setter().set(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                String what = k.typeName() + " " + abbreviate(k.value());
                assertThat(rs.getMetaData().getColumnTypeName(1)).as(what).isEqualTo(k.typeName());
                assertThat(rs.next()).isTrue();
                Object back = rs.getObject(1, k.readAs());
                if (k.value() instanceof BigDecimal d) {
                    assertThat((BigDecimal) back).as(what).isEqualByComparingTo(d);
                } else {
                    assertThat(back).as(what).isEqualTo(k.value());
                }
                assertThat(rs.next()).isFalse();
            }
        }
        Object received = lastParameter().value();
        if (k.value() instanceof BigDecimal d) {
            assertThat((BigDecimal) received).isEqualByComparingTo(d);
        } else if (k.value() instanceof Timestamp ts) {
            assertThat(received).isEqualTo(ts.toLocalDateTime());
        } else if (!(k.value() instanceof Short) || !k.typeName().equals("tinyint")) {
            assertThat(received).as(k.typeName()).isEqualTo(k.value());
        }
    }

    private static Parameter lastParameter() {
        List<Parameter> last = engine.executedParameters.get(engine.executedParameters.size() - 1);
        assertThat(last).hasSize(1);
        return last.get(0);
    }

    private static String abbreviate(Object v) {
        String s = v instanceof byte[] b ? b.length + " bytes" : String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    @Test
    void prepexecGoesExecutesqlThenPrepexecThenExecute() throws Exception {
        assertPreparedFlow("", List.of("RPC sp_executesql", "RPC sp_prepexec", "RPC sp_execute", "RPC sp_executesql"));
    }

    @Test
    void prepareMethodPrepareUsesSpPrepareThenSpExecute() throws Exception {
        // The first execution is not prepared (enablePrepareOnFirstPreparedStatementCall=false).
        assertPreparedFlow(";prepareMethod=prepare",
                List.of("RPC sp_executesql", "RPC sp_prepare", "RPC sp_execute", "RPC sp_execute", "RPC sp_executesql"));
    }

    @Test
    void prepareMethodNoneSendsBatches() throws Exception {
        assertPreparedFlow(";prepareMethod=none", List.of("SQL_BATCH INSERT", "SQL_BATCH INSERT", "SQL_BATCH INSERT",
                "SQL_BATCH SELECT"));
    }

    private static void assertPreparedFlow(String props, List<String> expectedPrefixes) throws Exception {
        H2PassthroughEngine own = new H2PassthroughEngine();
        try (TdsServer s = new TdsServer(own, "127.0.0.1", 0); RequestLog log = new RequestLog()) {
            s.start();
            try (Connection c = DriverManager.getConnection(url(s, props), H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD)) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE prep_t (id INT PRIMARY KEY, name NVARCHAR(20))");
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO prep_t (id, name) VALUES (?, ?)")) {
                    for (int i = 1; i <= 3; i++) {
                        ins.setInt(1, i);
                        ins.setString(2, "n" + i);
                        assertThat(ins.executeUpdate()).isEqualTo(1);
                    }
                }
                try (PreparedStatement q = c.prepareStatement("SELECT name FROM prep_t WHERE id = ?")) {
                    for (int i = 1; i <= 3; i++) {
                        q.setInt(1, i);
                        try (ResultSet rs = q.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo("n" + i);
                            assertThat(rs.next()).isFalse();
                        }
                    }
                }
            }
            List<String> requests = log.requests();
            List<String> inserts = requests.subList(1, 1 + expectedPrefixes.size());
            for (int i = 0; i < expectedPrefixes.size(); i++) {
                assertThat(inserts.get(i)).as("request %d of %s", i, requests).startsWith(expectedPrefixes.get(i));
            }
            assertThat(inserts.get(0)).contains("INSERT INTO prep_t");
        }
        assertThat(own.executedParameters.stream().filter(p -> p.size() == 2).toList())
                .allSatisfy(p -> assertThat(p).extracting(Parameter::name).containsExactly("@P0", "@P1"));
    }

    @Test
    void smallPacketsCarryLargeValuesBothWays() throws Exception {
        String big = "0123456789ÄÖÜ✓".repeat(10_000);
        try (Connection c = connect(";packetSize=512"); PreparedStatement ps = c.prepareStatement("SELECT ?, ?")) {
            ps.setString(1, big);
            ps.setInt(2, 42);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(big);
                assertThat(rs.getInt(2)).isEqualTo(42);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT X FROM SYSTEM_RANGE(1, 5000)")) {
                long sum = 0;
                while (rs.next()) {
                    sum += rs.getLong(1);
                }
                assertThat(sum).isEqualTo(5000L * 5001 / 2);
            }
        }
    }

    @Test
    void batchesReturnUpdateCounts() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE batch_t (id INT PRIMARY KEY, v NVARCHAR(10))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_t VALUES (?, ?)")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1, 1, 1, 1);
            }
            s.addBatch("UPDATE batch_t SET v = N'x' WHERE id < 3");
            s.addBatch("DELETE FROM batch_t WHERE id = 4");
            assertThat(s.executeBatch()).containsExactly(3, 1);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM batch_t WHERE v = N'x'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void errorsCarryTheirNumberAndTheConnectionStaysUsable() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE err_t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO err_t VALUES (1)");
            assertThatThrownBy(() -> s.execute("INSERT INTO err_t VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(2627);
                        assertThat(e.getSQLState()).isEqualTo("23000");
                    });
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO err_t VALUES (?)")) {
                ps.setInt(1, 1);
                assertThatThrownBy(ps::executeUpdate).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(2627));
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(208));
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM err_t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tx_t (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            s.execute("INSERT INTO tx_t VALUES (1)");
            c.rollback();
            s.execute("INSERT INTO tx_t VALUES (2)");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("SELECT id FROM tx_t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void queryTimeoutCancelsAndTheConnectionStaysUsable() throws Exception {
        int cancelsBefore = engine.cancels.get();
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                try (ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b")) {
                    rs.next();
                }
            }).isInstanceOf(SQLTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(engine.cancels.get()).isGreaterThan(cancelsBefore);
            s.setQueryTimeout(0);
            try (ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void preparedStatementTimeoutAndCancelFromAnotherThread() throws Exception {
        String slow = "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, ?) b";
        try (Connection c = connect(""); PreparedStatement ps = c.prepareStatement(slow)) {
            ps.setQueryTimeout(1);
            ps.setInt(1, 1_000_000);
            assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLTimeoutException.class);
            ps.setQueryTimeout(0);
            ExecutorService canceller = Executors.newSingleThreadExecutor();
            try {
                int executed = engine.executedSql.size();
                Future<?> cancel = canceller.submit(() -> {
                    await().atMost(Duration.ofSeconds(10)).until(() -> engine.executedSql.size() > executed);
                    ps.cancel();
                    return null;
                });
                assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class)
                        .hasMessageContaining("canceled");
                cancel.get(10, TimeUnit.SECONDS);
            } finally {
                canceller.shutdownNow();
            }
            try (PreparedStatement quick = c.prepareStatement("SELECT COUNT(*) FROM SYSTEM_RANGE(1, ?)")) {
                quick.setInt(1, 3);
                try (ResultSet rs = quick.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void useChangesTheCatalogAndMessagesBecomeWarnings() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            c.setCatalog("otherdb");
            assertThat(c.getCatalog()).isEqualTo("otherdb");
            s.execute("PRINT 'hello from the engine'");
            java.sql.SQLWarning warning = s.getWarnings();
            assertThat((Object) warning).isNotNull();
            assertThat(warning.getMessage()).isEqualTo("hello from the engine");
        }
    }

    @Test
    void twentyConcurrentConnections() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE conc_t (worker INT, n INT)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < 20; w++) {
                int worker = w;
                results.add(pool.submit((Callable<Integer>) () -> {
                    try (Connection c = connect(""); PreparedStatement ins = c.prepareStatement("INSERT INTO conc_t VALUES (?, ?)")) {
                        for (int n = 0; n < 10; n++) {
                            ins.setInt(1, worker);
                            ins.setInt(2, n);
                            ins.executeUpdate();
                        }
                        try (PreparedStatement q = c.prepareStatement("SELECT SUM(n) FROM conc_t WHERE worker = ?")) {
                            q.setInt(1, worker);
                            try (ResultSet rs = q.executeQuery()) {
                                rs.next();
                                return rs.getInt(1);
                            }
                        }
                    }
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(45);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }

    @Test
    void droppedConnectionsBreakTheClient() throws Exception {
        H2PassthroughEngine own = new H2PassthroughEngine();
        try (TdsServer s = new TdsServer(own, "127.0.0.1", 0)) {
            s.start();
            Connection c = DriverManager.getConnection(url(s, ""), H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> s.openConnections() == 1);
            s.dropConnections();
            await().atMost(Duration.ofSeconds(5)).until(() -> s.openConnections() == 0);
            assertThatThrownBy(() -> {
                try (Statement st = c.createStatement()) {
                    st.executeQuery("SELECT 1");
                }
            }).isInstanceOf(SQLException.class);
            assertThat(c.isValid(2)).isFalse();
            c.close();
            try (Connection again = DriverManager.getConnection(url(s, ""), H2PassthroughEngine.USER, H2PassthroughEngine.PASSWORD);
                 Statement st = again.createStatement(); ResultSet rs = st.executeQuery("SELECT 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void callableStatementReachesCallProcedureWithNamedParametersAndGetsOutputs() throws Exception {
        try (Connection c = connect(""); CallableStatement cs = c.prepareCall("{? = call dbo.add_numbers(?, ?, ?, ?)}")) {
            cs.registerOutParameter(1, Types.INTEGER);
            cs.setInt("a", 2);
            cs.setInt("b", 40);
            cs.registerOutParameter("sum", Types.INTEGER);
            cs.registerOutParameter("label", Types.NVARCHAR);
            assertThat(cs.execute()).isTrue();
            try (ResultSet rs = cs.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThat(cs.getMoreResults()).isFalse();
            assertThat(cs.getInt("sum")).isEqualTo(42);
            assertThat(cs.getString("label")).isEqualTo("sum=42");
            assertThat(cs.getInt(1)).isEqualTo(7);
        }
        // mssql-jdbc 13.4 sends a CallableStatement as sp_executesql "EXEC @P0 = dbo.add_numbers @P1, @P2, @P3 OUT, @P4 OUT"
        H2PassthroughEngine.ProcCall call = engine.procedureCalls.get(engine.procedureCalls.size() - 1);
        assertThat(call.name()).isEqualTo("dbo.add_numbers");
        assertThat(call.parameters()).extracting(Parameter::output).containsExactly(false, false, true, true);
        assertThat(call.parameters()).extracting(Parameter::value).startsWith(2, 40);
    }

    @Test
    void callableStatementWithPositionalParameters() throws Exception {
        try (Connection c = connect(""); CallableStatement cs = c.prepareCall("{call dbo.add_numbers(?, ?, ?, ?)}")) {
            cs.setInt(1, 5);
            cs.setInt(2, 6);
            cs.registerOutParameter(3, Types.INTEGER);
            cs.registerOutParameter(4, Types.NVARCHAR);
            cs.execute();
            assertThat(cs.getInt(3)).isEqualTo(11);
            assertThat(cs.getString(4)).isEqualTo("sum=11");
        }
    }

    @Test
    void serverCursorsAreRefusedWithAClearError() throws Exception {
        try (Connection c = connect(";selectMethod=cursor"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(2812);
                        assertThat(e.getMessage()).contains("sp_cursor").contains("selectMethod=direct");
                    });
            s.close();
            try (Statement s2 = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }
}
