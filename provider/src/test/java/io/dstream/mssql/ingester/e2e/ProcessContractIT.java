package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DStream process contract: the handshake first, JSON only on stdout, logs on stderr, stdin EOF is not a
 * stop, SIGTERM/SIGINT end with 0 within 5 s, and the shapes of {@code init}, {@code plan}, {@code status} and
 * {@code destroy}.
 */
class ProcessContractIT extends EmulatorTestBase {

    @BeforeAll
    static void tables() {
        db.createTracked("dbo", "pc_a", "id INT PRIMARY KEY, name NVARCHAR(50)");
        db.createTracked("dbo", "pc_b", "id INT PRIMARY KEY, qty INT, note NVARCHAR(MAX)");
        db.createTracked("dbo", "pc_life", "id INT PRIMARY KEY, name NVARCHAR(50)");
        db.createTracked("dbo", "pc_plan_a", "id INT PRIMARY KEY, name NVARCHAR(50)");
        db.createTracked("dbo", "pc_plan_b", "id INT PRIMARY KEY, qty INT, note NVARCHAR(MAX)");
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    /** Inserts a new row into dbo.pc_a (tests share the table and its checkpoint) and returns its id. */
    private static int insertIntoA() {
        int id = IDS.incrementAndGet();
        db.exec("INSERT INTO dbo.pc_a VALUES (" + id + ", N'row " + id + "')");
        return id;
    }

    private static void awaitRowOfA(ProviderProcess provider, int id) {
        envelopeChangesUntil(provider, "dbo.pc_a", change("insert", id));
    }

    @Test
    void handshakeFirstThenJsonLinesOnlyAndLogsOnStderr() {
        ProviderProcess provider = run(config("dbo.pc_a"));
        awaitRowOfA(provider, insertIntoA());

        stopCleanly(provider);
        assertThat(provider.stdout().get(0)).isEqualTo("{\"status\":\"ready\"}");
        assertThat(provider.stdout()).allSatisfy(line -> assertThat(Json.isJson(line)).as("JSON object: %s", line).isTrue());
        assertThat(provider.stderr()).as("the provider says what it does on stderr").isNotEmpty();
        assertThat(provider.stderr()).allSatisfy(line -> assertThat(line).startsWith("[MSSQL-CDC]"));
        String password = ConfigErrorsIT.password(connectionString());
        if (password.length() >= 4) {
            assertThat(provider.stderr()).as("the password is never logged").noneMatch(line -> line.contains(password));
        }
    }

    @Test
    void stdinEndOfFileIsNotAStop() {
        ProviderProcess provider = run(config("dbo.pc_a"));
        awaitRowOfA(provider, insertIntoA());

        // stdin was closed right after the config line; a change made afterwards must still be streamed
        awaitRowOfA(provider, insertIntoA());
        assertThat(provider.isAlive()).isTrue();
        stopCleanly(provider);
    }

    /** Every stats_interval, per table: changes written, position, lag — on stderr, with the table name. */
    @Test
    void statisticsArePeriodicallyLoggedPerTable() {
        ObjectNode config = config("dbo.pc_a");
        config.put("stats_interval", "200ms");
        ProviderProcess provider = run(config);
        awaitRowOfA(provider, insertIntoA());

        provider.awaitStderr(line -> line.contains("dbo.pc_a") && line.toLowerCase().contains("lag")
                && provider.stderr().stream().filter(l -> l.contains("dbo.pc_a") && l.toLowerCase().contains("lag"))
                .count() >= 2, STREAM);
        stopCleanly(provider);
    }

    /**
     * Right after the handshake: DStream may stop a provider at any moment once it said ready (for example when
     * the output provider fails its own startup). Three times, as the moment falls differently each time.
     */
    @Test
    void sigtermStopsWithExitCodeZeroWithinFiveSeconds() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            ProviderProcess provider = run(config("dbo.pc_a", "dbo.pc_b"));

            stopCleanly(provider);
        }
    }

    @Test
    void sigintStopsWithExitCodeZeroWithinFiveSeconds() {
        ProviderProcess provider = run(config("dbo.pc_a"));

        provider.sigint();
        assertThat(provider.awaitExit(STOP)).isZero();
    }

    @Test
    void theBareConfigObjectIsAcceptedToo() {
        ProviderProcess provider = track(ProviderProcess.startBare(config("dbo.pc_a"))).awaitReady();

        awaitRowOfA(provider, insertIntoA());
        stopCleanly(provider);
    }

    @Test
    void initCreatesTheCheckpointTable() {
        ObjectNode config = config("dbo.pc_a");
        config.put("checkpoint_table", "dbo.pc_offsets");
        ProviderProcess provider = start("init", config).awaitReady();

        assertThat(provider.awaitExit(STARTUP)).isZero();
        assertThat(provider.stdout()).containsExactly("{\"status\":\"ready\"}",
                "{\"status\":\"initialized\",\"checkpoint_table\":\"dbo.pc_offsets\"}");
        assertThat(db.value("SELECT COUNT(*) FROM dbo.pc_offsets")).isNotNull();
    }

    @Test
    void planSaysWhatRunWouldStream() {
        ProviderProcess provider = start("plan", config("dbo.pc_plan_a", "dbo.pc_plan_b")).awaitReady();

        assertThat(provider.awaitExit(STARTUP)).isZero();
        List<JsonNode> lines = provider.stdout().stream().skip(1).map(Json::read).toList();
        assertThat(lines).hasSize(2);
        assertPlanLine(lines.get(0), "dbo.pc_plan_a", "dbo_pc_plan_a", List.of("id", "name"));
        assertPlanLine(lines.get(1), "dbo.pc_plan_b", "dbo_pc_plan_b", List.of("id", "qty", "note"));
    }

    @Test
    void planShowsStartPositionLatestForATableWithoutCheckpoint() {
        ObjectNode config = config("dbo.pc_plan_a");
        config.put("start_position", "latest");
        JsonNode line = single(start("plan", config).awaitReady());

        assertThat(line.path("start").asText()).isEqualTo("latest");
        assertThat(line.path("from_lsn").asText()).matches(Changes.LSN_TEXT);
    }

    private static void assertPlanLine(JsonNode line, String table, String captureInstance, List<String> columns) {
        assertThat(line.path("table").asText()).isEqualTo(table);
        assertThat(line.path("capture_instance").asText()).isEqualTo(captureInstance);
        assertThat(line.path("captured_columns")).extracting(JsonNode::asText).containsExactlyElementsOf(columns);
        assertThat(line.path("start").asText()).as("no checkpoint yet, default start_position").isEqualTo("earliest");
        assertThat(line.path("from_lsn").asText()).matches(Changes.LSN_TEXT);
    }

    /** status, then a run, then status again, then destroy without and with confirmation. */
    @Test
    void statusAndDestroyFollowTheCheckpoint() {
        db.exec("INSERT INTO dbo.pc_life VALUES (1, N'one')");
        awaitCaptured();

        JsonNode before = single(start("status", config("dbo.pc_life")).awaitReady());
        assertThat(before.path("table").asText()).isEqualTo("dbo.pc_life");
        assertThat(before.path("capture_instance").asText()).isEqualTo("dbo_pc_life");
        assertThat(before.path("checkpoint_lsn").isNull()).as("no checkpoint yet: %s", before).isTrue();
        assertThat(before.path("max_lsn").asText()).matches(Changes.LSN_TEXT);
        assertThat(before.path("min_lsn").asText()).matches(Changes.LSN_TEXT);
        assertThat(before.path("pending").asBoolean()).as("a change waits: %s", before).isTrue();
        assertThat(before.has("lag_seconds")).isTrue();
        assertThat(before.path("lock").asText()).isEqualTo("none");
        ObjectNode latest = config("dbo.pc_life");
        latest.put("start_position", "latest");
        JsonNode fromLatest = single(start("status", latest).awaitReady());
        assertThat(fromLatest.path("pending").asBoolean()).as("start_position latest starts after that change: %s", fromLatest)
                .isFalse();

        ProviderProcess provider = run(config("dbo.pc_life"));
        provider.awaitJson(line -> Changes.isEnvelopeOf(line, "dbo.pc_life"), STREAM);
        stopCleanly(provider);

        JsonNode after = single(start("status", config("dbo.pc_life")).awaitReady());
        assertThat(after.path("checkpoint_lsn").asText()).as("checkpoint after the run: %s", after).matches(Changes.LSN_TEXT);
        assertThat(after.path("pending").asBoolean()).as("nothing left: %s", after).isFalse();
        assertThat(after.path("lag_seconds").isNumber() || after.path("lag_seconds").isNull())
                .as("lag_seconds: %s", after).isTrue();
        JsonNode plan = single(start("plan", config("dbo.pc_life")).awaitReady());
        assertThat(plan.path("start").asText()).isEqualTo("checkpoint");

        ProviderProcess planned = start("destroy", config("dbo.pc_life")).awaitReady();
        assertThat(planned.awaitExit(STARTUP)).isZero();
        JsonNode plannedLine = Json.read(planned.stdout().get(1));
        assertThat(plannedLine.path("status").asText()).isEqualTo("destroy_planned");
        assertThat(plannedLine.path("checkpoint_rows")).isEqualTo(Json.read("[\"dbo.pc_life\"]"));
        assertThat(planned.stdout()).hasSize(2);
        assertThat(db.checkpoint("dbo.pc_life")).as("destroy without confirm_destroy changes nothing").isPresent();

        ObjectNode confirmed = config("dbo.pc_life");
        confirmed.put("confirm_destroy", true);
        ProviderProcess destroyed = start("destroy", confirmed).awaitReady();
        assertThat(destroyed.awaitExit(STARTUP)).isZero();
        assertThat(destroyed.stdout()).hasSize(2);
        assertThat(Json.read(destroyed.stdout().get(1)).path("status").asText()).isEqualTo("destroyed");
        assertThat(db.checkpoint("dbo.pc_life")).isEmpty();
    }

    /** The only line after the handshake of a one-table {@code status}/{@code plan}, which then exits 0. */
    private static JsonNode single(ProviderProcess provider) {
        assertThat(provider.awaitExit(STARTUP)).isZero();
        assertThat(provider.stdout()).hasSize(2);
        return Json.read(provider.stdout().get(1));
    }
}
