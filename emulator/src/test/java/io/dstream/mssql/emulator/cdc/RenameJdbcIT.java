package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.mssql.emulator.Emulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sp_rename} through mssql-jdbc: tables and columns, what a rename keeps (object id, declared
 * types), SQL Server's errors, and CDC's rule that a captured column cannot be renamed (4928).
 */
class RenameJdbcIT {

    private Emulator emulator;
    private Connection c;

    @BeforeEach
    void start() throws SQLException {
        emulator = Emulator.builder().captureLatency(Duration.ofMillis(20)).start();
        c = emulator.connect();
        execute("CREATE TABLE dbo.plain (id INT NOT NULL PRIMARY KEY, amount MONEY NULL, tag TINYINT NULL)");
        execute("CREATE TABLE dbo.tracked (id INT NOT NULL PRIMARY KEY, name NVARCHAR(20) NULL, extra INT NULL)");
        execute("EXEC sys.sp_cdc_enable_db");
        execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'tracked', @role_name = NULL, "
                + "@captured_column_list = N'id, name'");
    }

    @AfterEach
    void stop() throws SQLException {
        c.close();
        emulator.close();
    }

    @Test
    void aTableKeepsItsObjectIdAndTypesUnderItsNewName() throws SQLException {
        Object id = scalar("SELECT OBJECT_ID(N'dbo.plain')");
        try (Statement s = c.createStatement()) {
            s.execute("EXEC sp_rename 'dbo.plain', 'renamed'");
            SQLWarning warning = s.getWarnings();
            assertThat(warning == null ? null : warning.getMessage()).startsWith("Caution: Changing any part of an object name");
        }
        assertThat(scalar("SELECT OBJECT_ID(N'dbo.renamed')")).isEqualTo(id);
        assertThat(scalar("SELECT OBJECT_ID(N'dbo.plain')")).isNull();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT amount FROM dbo.renamed")) {
            assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("money");
        }
    }

    @Test
    void aColumnKeepsItsDeclaredType() throws SQLException {
        execute("EXEC sp_rename N'dbo.plain.tag', N'label', N'COLUMN'");
        execute("INSERT INTO dbo.plain (id, amount, label) VALUES (1, 1.5, 255)");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT label FROM dbo.plain")) {
            assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("tinyint");
        }
    }

    @Test
    void errorsAreSqlServers() {
        assertError("EXEC sp_rename 'dbo.nothing', 'x'", 15248);
        assertError("EXEC sp_rename 'dbo.plain', 'tracked'", 15335);
        assertError("EXEC sp_rename 'dbo.plain.amount', 'id', 'COLUMN'", 15335);
        assertError("EXEC sp_rename 'dbo.plain.nothing', 'x', 'COLUMN'", 15248);
    }

    @Test
    void aCapturedColumnIsReplicatedAndKeepsItsName() throws SQLException {
        assertThatThrownBy(() -> execute("EXEC sp_rename 'dbo.tracked.name', 'full_name', 'COLUMN'"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(4928);
                    assertThat(e.getMessage()).isEqualTo("Cannot alter column 'name' because it is 'REPLICATED'.");
                });
        // a column the capture instance does not capture may be renamed
        execute("EXEC sp_rename 'dbo.tracked.extra', 'more', 'COLUMN'");
        execute("INSERT INTO dbo.tracked (id, name, more) VALUES (1, N'a', 2)");
        assertThat(emulator.awaitCaptured(Duration.ofSeconds(10))).isTrue();
        assertThat(scalar("SELECT name FROM cdc.dbo_tracked_CT")).isEqualTo("a");
    }

    private void assertError(String sql, int number) {
        assertThatThrownBy(() -> execute(sql)).as(sql)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(number));
    }

    private Object scalar(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getObject(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
