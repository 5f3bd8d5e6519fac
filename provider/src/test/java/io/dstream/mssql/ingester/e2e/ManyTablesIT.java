package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale in tables: the provider configured with many CDC tables becomes ready within the handshake
 * deadline and streams a change of the last one. Start-up and the idle cycle send a number of statements
 * that does not grow with the tables (resolved, described and checkpoint-loaded in a few queries).
 *
 * <p>The figures (time to create the tables, time to ready, statements until ready and while idle) are
 * printed, not asserted: the machine is shared. {@code -Dmany_tables.count=1000} and
 * {@code -Dmany_tables.idle_seconds=60} turn the test into the measurement the README reports.
 */
class ManyTablesIT extends EmulatorTestBase {

    /** Enough tables that per-table start-up queries would show, few enough to keep the test near a minute. */
    private static final int TABLES = Integer.getInteger("many_tables.count", 500);
    /** Idle windows measured before the change (nothing changed since start) and after it; 0 skips them. */
    private static final int IDLE_SECONDS = Integer.getInteger("many_tables.idle_seconds", 0);

    @Test
    void becomesReadyAndStreamsAChangeOfTheLastTable() throws SQLException {
        assumeEmbedded("it counts the statements the server received, and creates 500 tables");
        long createStart = System.nanoTime();
        List<String> tables = createTrackedTables(TABLES);
        double createSeconds = (System.nanoTime() - createStart) / 1e9;
        String last = tables.get(tables.size() - 1);

        ObjectNode config = config(tables.toArray(String[]::new));
        // the bench's idle settings: 1 s polls backing off to 5 s
        config.put("poll_interval", "1s");
        config.put("max_poll_interval", "5s");
        long requestsBefore = emulator.requestCount();
        long start = System.nanoTime();
        ProviderProcess provider = start("run", config).awaitReady(STARTUP);
        double readySeconds = (System.nanoTime() - start) / 1e9;
        long startupRequests = emulator.requestCount() - requestsBefore;
        String idle = "";
        if (IDLE_SECONDS > 0) {
            idle = String.format(Locale.ROOT, ", idle %.1f statements/min", idleStatementsPerMinute(IDLE_SECONDS));
        }

        long inserted = System.nanoTime();
        db.exec("INSERT INTO " + last + " (id, v) VALUES (1, 42)");
        JsonNode line = provider.awaitJson(l -> Changes.isEnvelopeOf(l, last)
                && stream(l.path("changes")).anyMatch(change("insert", 1)), STREAM);
        double streamedSeconds = (System.nanoTime() - inserted) / 1e9;
        assertThat(line.path("changes").get(0).path("data").path("v").asInt()).isEqualTo(42);

        if (IDLE_SECONDS > 0) {
            // the change moved sys.fn_cdc_get_max_lsn(): every idle table's upper bound moved with it
            idle += String.format(Locale.ROOT, "; in the %d s after the change %.1f statements/min", IDLE_SECONDS,
                    idleStatementsPerMinute(IDLE_SECONDS));
        }
        System.err.printf(Locale.ROOT, "[many tables] %d tables: created in %.1f s; provider ready in %.2f s (%d "
                        + "statements until the ready line was read); change of the last table streamed %.2f s after its insert%s%n",
                TABLES, createSeconds, readySeconds, startupRequests, streamedSeconds, idle);
        stopCleanly(provider);
    }

    /** {@code dbo.mt_0001} … with CDC enabled, over one connection. */
    private static List<String> createTrackedTables(int count) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 1; i <= count; i++) {
                String name = String.format(Locale.ROOT, "mt_%04d", i);
                s.execute("CREATE TABLE dbo." + name + " (id INT PRIMARY KEY, v INT)");
                s.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'" + name
                        + "', @role_name = NULL");
                names.add("dbo." + name);
            }
        }
        return names;
    }

    /**
     * Statements the emulator received during a window with no change, per minute. The window starts
     * after one {@code max_poll_interval} so that every table has backed off.
     */
    private static double idleStatementsPerMinute(int seconds) {
        sleep(Duration.ofSeconds(6));
        long before = emulator.requestCount();
        sleep(Duration.ofSeconds(seconds));
        return (emulator.requestCount() - before) * 60.0 / seconds;
    }

    /** A measurement window (nothing is awaited: the point is that nothing happens). */
    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
