package io.dstream.mssql.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EmulatorTest {

    @TempDir
    Path dir;

    @Test
    void initScriptRunsBatchesSeparatedByGo() throws Exception {
        Path script = dir.resolve("init.sql");
        Files.writeString(script, """
                CREATE TABLE dbo.customers (id INT PRIMARY KEY, name NVARCHAR(50))
                GO
                INSERT INTO dbo.customers VALUES (1, N'Ada')
                INSERT INTO dbo.customers VALUES (2, N'Grace')
                go
                EXEC sys.sp_cdc_enable_db
                GO
                """);
        try (Emulator emulator = Emulator.builder().database("shop").initScript(script).start();
             Connection c = emulator.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dbo.customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(c.getCatalog()).isEqualTo("shop");
        }
    }

    @Test
    void aFailingInitScriptStopsStartWithFileAndLine() throws Exception {
        Path script = dir.resolve("broken.sql");
        Files.writeString(script, "CREATE TABLE dbo.a (id INT)\nGO\nSELECT 1\nSELECT * FROM dbo.missing\nGO\n");
        assertThatThrownBy(() -> Emulator.builder().initScript(script).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken.sql:4")
                .hasMessageContaining("error 208")
                .hasMessageContaining("Invalid object name 'dbo.missing'.");
    }

    @Test
    void aBatchThatDoesNotParseIsReportedAtItsLine() throws Exception {
        Path script = dir.resolve("parse.sql");
        Files.writeString(script, "SELECT 1\nGO\n-- comment\nSELECT 2\nCREATE SCHEMA late\n");
        assertThatThrownBy(() -> Emulator.builder().initScript(script).start())
                .hasMessageContaining("parse.sql:5")
                .hasMessageContaining("error 111");
    }

    @Test
    void credentialsAreEnforcedAndAppearInTheConnectionStrings() throws SQLException {
        try (Emulator emulator = Emulator.builder().credentials("reader", "s3cret").start()) {
            assertThat(emulator.jdbcUrl()).isEqualTo("jdbc:sqlserver://127.0.0.1:" + emulator.port()
                    + ";databaseName=testdb;encrypt=false;user=reader;password=s3cret");
            assertThat(emulator.connectionString()).isEqualTo("server=127.0.0.1," + emulator.port()
                    + ";database=testdb;user id=reader;password=s3cret;encrypt=false");
            try (Connection c = emulator.connect()) {
                assertThat(c.isValid(5)).isTrue();
            }
            String wrong = emulator.jdbcUrl().replace("s3cret", "nope");
            assertThatThrownBy(() -> DriverManager.getConnection(wrong))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(18456));
        }
    }

    @Test
    void queryTimeoutCancelsTheRunningStatement() throws SQLException {
        try (Emulator emulator = Emulator.builder().start(); Connection c = emulator.connect();
             Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            assertThatThrownBy(() -> s.execute("WAITFOR DELAY '00:05:00'")).isInstanceOf(SQLTimeoutException.class);
            s.setQueryTimeout(0);
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void droppedConnectionsBreakClientsButTheServerKeepsAccepting() throws SQLException {
        try (Emulator emulator = Emulator.builder().start(); Connection c = emulator.connect()) {
            emulator.dropConnections();
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
            }).isInstanceOf(SQLException.class);
            try (Connection again = emulator.connect()) {
                assertThat(again.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void durationsInGoAndIsoStyle() {
        EmulatorMain.DurationConverter d = new EmulatorMain.DurationConverter();
        assertThat(d.convert("200ms")).isEqualTo(Duration.ofMillis(200));
        assertThat(d.convert("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.convert("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> d.convert("fast")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void builderRejectsBadValuesAtOnce() {
        assertThatThrownBy(() -> Emulator.builder().port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> Emulator.builder().captureLatency(Duration.ofMillis(-1))).hasMessageContaining("captureLatency");
        assertThatThrownBy(() -> Emulator.builder().database(" ")).hasMessageContaining("database");
    }
}
