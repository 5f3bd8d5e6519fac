package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restarts: after SIGTERM nothing is repeated and nothing is missing; after {@code kill -9} nothing is missing
 * and only changes after the last saved checkpoint are repeated. {@code start_position} without a checkpoint.
 */
class ResumeIT extends EmulatorTestBase {

    @Test
    void afterSigtermTheNextRunStartsRightAfterTheLastChangeWritten() {
        db.createTracked("dbo", "rs_term", "id INT PRIMARY KEY, v INT");
        insert("dbo.rs_term", 1, 3);
        ProviderProcess first = run(config("dbo.rs_term"));
        List<JsonNode> firstRun = envelopeChangesUntil(first, "dbo.rs_term", change("insert", 3));
        stopCleanly(first);

        insert("dbo.rs_term", 4, 6);
        ProviderProcess second = run(config("dbo.rs_term"));
        List<JsonNode> secondRun = envelopeChangesUntil(second, "dbo.rs_term", change("insert", 6));

        assertThat(Changes.ids(firstRun)).containsExactly(1, 2, 3);
        assertThat(Changes.ids(secondRun)).containsExactly(4, 5, 6);
    }

    /** SIGTERM in the middle of a backlog: the batch in hand is finished and checkpointed — no repeat, no gap. */
    @Test
    void sigtermInTheMiddleOfABacklog() {
        db.createTracked("dbo", "rs_term_backlog", "id INT PRIMARY KEY, v INT");
        insert("dbo.rs_term_backlog", 1, 300);
        ObjectNode config = config("dbo.rs_term_backlog");
        config.put("max_rows_per_query", 10);
        ProviderProcess first = run(config);
        first.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.rs_term_backlog")
                && stream(l.path("changes")).anyMatch(c -> c.path("data").path("id").asInt() >= 50), STREAM);
        stopCleanly(first);
        List<Integer> firstRun = Changes.ids(Changes.envelopeChanges(first.stdout(), "dbo.rs_term_backlog"));

        ProviderProcess second = run(config);
        List<Integer> secondRun = Changes.ids(envelopeChangesUntil(second, "dbo.rs_term_backlog", change("insert", 300)));

        assertThat(firstRun).containsExactlyElementsOf(IntStream.rangeClosed(1, firstRun.size()).boxed().toList());
        assertThat(secondRun).as("exactly the rest after %s changes", firstRun.size())
                .containsExactlyElementsOf(IntStream.rangeClosed(firstRun.size() + 1, 300).boxed().toList());
    }

    @Test
    void afterKill9NothingIsMissingAndOnlyChangesAfterTheCheckpointRepeat() {
        db.createTracked("dbo", "rs_kill", "id INT PRIMARY KEY, v INT");
        insert("dbo.rs_kill", 1, 3);
        ProviderProcess first = run(config("dbo.rs_kill"));
        List<JsonNode> firstRun = envelopeChangesUntil(first, "dbo.rs_kill", change("insert", 3));
        first.kill9();
        firstRun = Changes.envelopeChanges(first.stdout(), "dbo.rs_kill");

        insert("dbo.rs_kill", 4, 6);
        String checkpoint = Db.lsnHex(db.checkpoint("dbo.rs_kill").map(r -> r.get("last_lsn")).orElse(null));
        ProviderProcess second = run(config("dbo.rs_kill"));
        List<JsonNode> secondRun = envelopeChangesUntil(second, "dbo.rs_kill", change("insert", 6));

        assertAtLeastOnce(firstRun, secondRun, checkpoint, 6);
    }

    /** Killed in the middle of a backlog read 10 rows at a time. */
    @Test
    void kill9InTheMiddleOfABacklog() {
        db.createTracked("dbo", "rs_backlog", "id INT PRIMARY KEY, v INT");
        insert("dbo.rs_backlog", 1, 200);
        ObjectNode config = config("dbo.rs_backlog");
        config.put("max_rows_per_query", 10);
        ProviderProcess first = run(config);
        first.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.rs_backlog")
                && stream(l.path("changes")).anyMatch(c -> c.path("data").path("id").asInt() >= 50), STREAM);
        first.kill9();
        List<JsonNode> firstRun = Changes.envelopeChanges(first.stdout(), "dbo.rs_backlog");

        String checkpoint = Db.lsnHex(db.checkpoint("dbo.rs_backlog").map(r -> r.get("last_lsn")).orElse(null));
        ProviderProcess second = run(config);
        List<JsonNode> secondRun = envelopeChangesUntil(second, "dbo.rs_backlog", change("insert", 200));

        assertAtLeastOnce(firstRun, secondRun, checkpoint, 200);
    }

    /**
     * Rows 1..last were inserted one per transaction. Together the runs hold every row; the second run is a gap-free
     * ascending range ending at {@code last}, and repeats nothing at or below the checkpoint saved by the first.
     */
    private static void assertAtLeastOnce(List<JsonNode> firstRun, List<JsonNode> secondRun, String checkpoint, int last) {
        TreeSet<Integer> seen = new TreeSet<>(Changes.ids(firstRun));
        seen.addAll(Changes.ids(secondRun));
        assertThat(seen).as("no change missing").containsExactlyElementsOf(IntStream.rangeClosed(1, last).boxed().toList());
        List<Integer> second = Changes.ids(secondRun);
        assertThat(second).isNotEmpty();
        assertThat(second).as("the second run is gap-free and in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(second.get(0), last).boxed().toList());
        assertThat(Changes.ids(firstRun)).as("the first run was gap-free too")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, firstRun.size()).boxed().toList());
        assertThat(second.get(0)).as("the second run starts at or before the first change not written")
                .isLessThanOrEqualTo(firstRun.size() + 1);
        assertThat(secondRun).as("nothing at or below the checkpoint %s is written again", checkpoint)
                .allSatisfy(c -> assertThat(Changes.lsnHex(c)).isGreaterThan(checkpoint));
    }

    /** A configured checkpoint_table is where the position lives (and what the next run resumes from). */
    @Test
    void aConfiguredCheckpointTableHoldsThePosition() {
        db.createTracked("dbo", "rs_own_table", "id INT PRIMARY KEY, v INT");
        insert("dbo.rs_own_table", 1, 2);
        ObjectNode config = config("dbo.rs_own_table");
        config.put("checkpoint_table", "dbo.rs_offsets");
        ProviderProcess first = run(config);
        envelopeChangesUntil(first, "dbo.rs_own_table", change("insert", 2));
        stopCleanly(first);

        assertThat(db.row("SELECT * FROM dbo.rs_offsets WHERE table_name = ?", "dbo.rs_own_table")).isPresent();
        assertThat(db.value("SELECT COUNT(*) FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id "
                + "WHERE s.name = 'dbo' AND t.name = 'cdc_offsets'").toString().equals("0")
                || db.checkpoint("dbo.rs_own_table").isEmpty()).as("nothing in the default table").isTrue();
        insert("dbo.rs_own_table", 3, 3);
        ProviderProcess second = run(config);
        assertThat(Changes.ids(envelopeChangesUntil(second, "dbo.rs_own_table", change("insert", 3)))).containsExactly(3);
    }

    @Test
    void startPositionLatestSkipsWhatHappenedBeforeTheStart() {
        db.createTracked("dbo", "sp_latest", "id INT PRIMARY KEY, v INT");
        insert("dbo.sp_latest", 1, 3);
        awaitCaptured();
        ObjectNode config = config("dbo.sp_latest");
        config.put("start_position", "latest");
        ProviderProcess provider = run(config);

        // "latest" is the max LSN when the provider said ready: a change committed after the handshake is streamed
        String maxAtReady = HexFormat.of().formatHex(db.maxLsn());
        insert("dbo.sp_latest", 4, 4);

        try {
            List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.sp_latest", change("insert", 4));
            assertThat(Changes.ids(changes)).containsExactly(4);
        } catch (AssertionError e) {
            throw new AssertionError("row 4 was committed after {\"status\":\"ready\"} (max LSN then: " + maxAtReady
                    + ", now: " + HexFormat.of().formatHex(db.maxLsn()) + ") but not streamed: " + e.getMessage(), e);
        }
    }

    @Test
    void startPositionEarliestStartsFromTheOldestChangeKept() {
        db.createTracked("dbo", "sp_earliest", "id INT PRIMARY KEY, v INT");
        insert("dbo.sp_earliest", 1, 3);
        ObjectNode config = config("dbo.sp_earliest");
        config.put("start_position", "earliest");
        ProviderProcess provider = run(config);

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.sp_earliest", change("insert", 3));
        assertThat(Changes.ids(changes)).containsExactly(1, 2, 3);
    }

    @Test
    void aCheckpointWinsOverStartPosition() {
        db.createTracked("dbo", "sp_checkpoint", "id INT PRIMARY KEY, v INT");
        insert("dbo.sp_checkpoint", 1, 2);
        ProviderProcess first = run(config("dbo.sp_checkpoint"));
        envelopeChangesUntil(first, "dbo.sp_checkpoint", change("insert", 2));
        stopCleanly(first);

        insert("dbo.sp_checkpoint", 3, 4);
        awaitCaptured();
        ObjectNode config = config("dbo.sp_checkpoint");
        config.put("start_position", "latest");
        ProviderProcess second = run(config);

        List<JsonNode> changes = envelopeChangesUntil(second, "dbo.sp_checkpoint", change("insert", 4));
        assertThat(Changes.ids(changes)).containsExactly(3, 4);
    }

    /** Inserts rows {@code from..to}, one transaction each. */
    static void insert(String table, int from, int to) {
        List<String> statements = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            statements.add("INSERT INTO " + table + " VALUES (" + id + ", " + id + ")");
        }
        db.exec(statements.toArray(String[]::new));
    }
}
