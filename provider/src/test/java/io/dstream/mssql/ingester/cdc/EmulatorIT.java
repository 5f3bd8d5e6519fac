package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.emulator.Emulator;
import io.dstream.mssql.ingester.config.ConnectionStrings;
import io.dstream.mssql.ingester.config.JdbcTarget;
import io.dstream.mssql.ingester.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One emulator (SQL Server CDC over TDS, through the real mssql-jdbc) for the in-JVM reader tests of this package. */
public abstract class EmulatorIT {

    protected static Emulator emulator;
    protected static JdbcTarget target;
    protected static Database database;

    @BeforeAll
    static void startEmulator() throws SQLException {
        emulator = Emulator.builder().captureLatency(Duration.ofMillis(20)).start();
        target = ConnectionStrings.parse(emulator.connectionString());
        database = new Database(target, 2);
        exec("EXEC sys.sp_cdc_enable_db");
    }

    @AfterAll
    static void stopEmulator() {
        if (database != null) {
            database.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    protected static void exec(String... statements) {
        try (Connection c = emulator.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    /** Creates a table and enables CDC on it (capture instance {@code schema_table}). */
    protected static void tracked(String table, String columns) {
        exec("CREATE TABLE dbo." + table + " (" + columns + ")",
                "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'" + table + "', @role_name = NULL");
    }

    protected static void captured() {
        assertThat(emulator.awaitCaptured(Duration.ofSeconds(10))).as("capture caught up").isTrue();
    }
}
