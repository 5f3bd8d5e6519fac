package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes back in time under a running provider: the emulator is replaced by a new one on the
 * same port (as a restore from a backup, a failover to a lagging replica or a re-created database would
 * do), whose LSNs start again below the provider's position. Its changes must not be skipped silently.
 */
class PositionAheadIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Emulator emulator;
    private ProviderProcess provider;

    /** Not against MSSQL_TEST_URL: it needs a server it can replace, which only its own emulators are. */
    @BeforeEach
    void embeddedOnly() {
        Assumptions.assumeTrue(TestServer.embeddedTarget(), "needs the embedded emulator: the database is replaced "
                + "under the provider by a new emulator on the same port");
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void failStopsTheTableWithAnErrorInsteadOfSkippingTheNewDatabasesChanges() {
        provider = runAndReplaceTheDatabase("fail");

        String error = provider.awaitStderr(line -> line.contains("went back in time"), WAIT);
        assertThat(error).contains("ERROR").contains("dbo.pa_t").contains("on_position_ahead=fail");
        assertThat(provider.awaitExit(WAIT)).as("every table failed: runtime failure").isEqualTo(1);
        assertThat(Changes.envelopeChanges(provider.stdout(), "dbo.pa_t"))
                .extracting(c -> c.path("data").path("id").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void restartFromEarliestStreamsTheNewDatabaseFromItsOldestChange() {
        provider = runAndReplaceTheDatabase("restart_from_earliest");

        // 100 and 101 are two transactions: they may come in two lines, so wait for the last one
        provider.awaitJson(line -> Changes.isEnvelopeOf(line, "dbo.pa_t")
                && line.path("changes").findValues("id").stream().anyMatch(id -> id.asInt() == 101), WAIT);
        provider.awaitStderr(line -> line.contains("ERROR") && line.contains("went back in time")
                && line.contains("restart_from_earliest"), WAIT);
        assertThat(Changes.envelopeChanges(provider.stdout(), "dbo.pa_t"))
                .extracting(c -> c.path("data").path("id").asInt()).containsExactly(1, 2, 3, 100, 101);
        assertThat(provider.isAlive()).isTrue();
    }

    @Test
    void aReplacedDatabaseWhoseLsnsAlreadyPassedThePositionIsCaughtByItsIdentity() {
        String[] many = new String[12];
        for (int i = 0; i < many.length; i++) {
            many[i] = "INSERT INTO dbo.pa_t VALUES (" + (200 + i) + ", 1)";
        }
        provider = runAndReplaceTheDatabase("fail", many);

        String error = provider.awaitStderr(line -> line.contains("went back in time"), WAIT);
        assertThat(error).contains("dbo.pa_t").contains("identity");
        assertThat(provider.awaitExit(WAIT)).isEqualTo(1);
        assertThat(Changes.envelopeChanges(provider.stdout(), "dbo.pa_t"))
                .extracting(c -> c.path("data").path("id").asInt()).containsExactly(1, 2, 3);
    }

    private ProviderProcess runAndReplaceTheDatabase(String policy) {
        return runAndReplaceTheDatabase(policy, "INSERT INTO dbo.pa_t VALUES (100, 1)", "INSERT INTO dbo.pa_t VALUES (101, 1)");
    }

    /** Streams three changes, then swaps the database for a new one holding {@code newChanges}. */
    private ProviderProcess runAndReplaceTheDatabase(String policy, String... newChanges) {
        emulator = Emulator.builder().database("testdb").captureLatency(Duration.ofMillis(20)).start();
        int port = emulator.port();
        prepare(emulator, "INSERT INTO dbo.pa_t VALUES (1, 1)", "INSERT INTO dbo.pa_t VALUES (2, 2)",
                "INSERT INTO dbo.pa_t VALUES (3, 3)");
        ObjectNode config = Json.object();
        config.put("db_connection_string", emulator.connectionString());
        config.putArray("tables").add("dbo.pa_t");
        config.put("poll_interval", "100ms").put("max_poll_interval", "200ms").put("checkpoint_delay", "0s")
                .put("on_position_ahead", policy);
        config.putObject("lock_config").put("type", "none");
        ProviderProcess p = ProviderProcess.start("run", config).awaitReady();
        p.awaitJson(line -> Changes.isEnvelopeOf(line, "dbo.pa_t")
                && line.path("changes").findValues("id").stream().anyMatch(id -> id.asInt() == 3), WAIT);

        emulator.close();
        emulator = Emulator.builder().database("testdb").port(port).captureLatency(Duration.ofMillis(20)).start();
        prepare(emulator, newChanges);
        return p;
    }

    private static void prepare(Emulator emulator, String... inserts) {
        Db db = new Db(emulator.jdbcUrl());
        db.exec("EXEC sys.sp_cdc_enable_db", "CREATE TABLE dbo.pa_t (id INT PRIMARY KEY, v INT)",
                "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'pa_t', @role_name = NULL");
        db.exec(inserts);
        if (!emulator.awaitCaptured(Duration.ofSeconds(10))) {
            throw new AssertionError("capture did not catch up");
        }
    }
}
