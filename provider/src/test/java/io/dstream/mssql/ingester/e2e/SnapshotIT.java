package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code snapshot_mode}: rows a table held before CDC are written as {@code snapshot} changes, chunk by
 * chunk between watermarks, while the table keeps changing; a consumer applying every line in order ends
 * with exactly the table's rows, across a {@code kill -9}. {@code initial_only} exits once done; a table
 * without a usable key is refused.
 */
class SnapshotIT extends EmulatorTestBase {

    private static final Duration DRAIN = Duration.ofSeconds(60);

    @Test
    void rowsFromBeforeCdcComeAsSnapshotThenChangesStream() {
        db.exec("CREATE TABLE dbo.sn_basic (a INT NOT NULL, b NVARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b))");
        for (int a = 1; a <= 5; a++) {
            for (String b : List.of("x", "y", "z")) {
                db.exec("INSERT INTO dbo.sn_basic VALUES (" + a + ", N'" + b + "', " + a * 10 + ")");
            }
        }
        db.enableCdc("dbo", "sn_basic");
        ObjectNode config = config("dbo.sn_basic").put("snapshot_mode", "initial").put("snapshot_chunk_rows", 4);
        ProviderProcess provider = run(config);
        provider.awaitStderr(l -> l.contains("dbo.sn_basic: snapshot done (15 rows)"), DRAIN);
        db.exec("UPDATE dbo.sn_basic SET v = 99 WHERE a = 2 AND b = N'y'", "INSERT INTO dbo.sn_basic VALUES (6, N'x', 60)");
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.sn_basic")
                && stream(l.path("changes")).anyMatch(c -> c.path("data").path("a").asInt() == 6), STREAM);

        List<JsonNode> changes = Changes.envelopeChanges(provider.stdout(), "dbo.sn_basic");
        List<JsonNode> snapshot = changes.stream().filter(c -> c.path("change_type").asText().equals("snapshot")).toList();
        assertThat(snapshot).hasSize(15);
        assertThat(snapshot).extracting(c -> c.path("data").path("a").asInt() + c.path("data").path("b").asText())
                .as("in key order").startsWith("1x", "1y", "1z", "2x").endsWith("5z");
        assertThat(snapshot.get(0).path("lsn").asText()).matches(Changes.LSN_TEXT);
        assertThat(changes.subList(15, changes.size())).extracting(c -> c.path("change_type").asText())
                .containsExactly("update", "insert");
        assertThat(Replica.applied(provider.stdout(), "dbo.sn_basic", "a", "b")).isEqualTo(Replica.rows(db, "dbo.sn_basic", "a", "b"));
        stopCleanly(provider);

        ProviderProcess again = run(config);
        db.exec("DELETE FROM dbo.sn_basic WHERE a = 1");
        List<JsonNode> second = envelopeChangesUntil(again, "dbo.sn_basic", c -> c.path("change_type").asText().equals("delete"));
        assertThat(second).as("a finished snapshot is not taken again").noneMatch(c -> c.path("change_type").asText().equals("snapshot"));
    }

    /** A random workload (inserts, updates, deletes, key updates) during the snapshot, and a kill -9 in its middle. */
    @Test
    void theConsumerEndsWithTheTableDespiteWritesDuringTheSnapshotAndAKill9() throws Exception {
        Replica.fill(db, "dbo.sn_busy", 2000);
        db.enableCdc("dbo", "sn_busy");
        ObjectNode config = config("dbo.sn_busy").put("snapshot_mode", "initial").put("snapshot_chunk_rows", 50);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread workload = new Thread(() -> Replica.randomWrites(db, "dbo.sn_busy", 2000, writing, new Random(7)), "workload");
        ProviderProcess first = run(config);
        workload.start();
        first.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.sn_busy")
                && stream(l.path("changes")).filter(c -> c.path("change_type").asText().equals("snapshot")).count() > 0
                && l.path("changes").get(0).path("data").path("id").asInt() > 8000, DRAIN);
        first.kill9();
        List<String> lines = new java.util.ArrayList<>(first.stdout());

        ProviderProcess second = run(config);
        second.awaitStderr(l -> l.contains("dbo.sn_busy: snapshot done"), DRAIN);
        writing.set(false);
        workload.join();
        awaitCaptured();
        Map<Object, Integer> table = Replica.rows(db, "dbo.sn_busy", "id");
        await().atMost(STREAM).until(() -> {
            List<String> all = new java.util.ArrayList<>(lines);
            all.addAll(second.stdout());
            return Replica.applied(all, "dbo.sn_busy", "id").equals(table);
        });
        assertThat(second.stderr()).noneMatch(l -> l.contains(" ERROR "));
    }

    @Test
    void initialOnlyExitsOnceEveryTableIsSnapshotted() {
        db.exec("CREATE TABLE dbo.sn_only (id INT NOT NULL PRIMARY KEY, v INT)",
                "INSERT INTO dbo.sn_only VALUES (1, 1), (2, 2), (3, 3)");
        db.enableCdc("dbo", "sn_only");
        ObjectNode config = config("dbo.sn_only").put("snapshot_mode", "initial_only");

        ProviderProcess first = start("run", config).awaitReady();
        assertThat(first.awaitExit(DRAIN)).isZero();
        assertThat(Changes.envelopeChanges(first.stdout(), "dbo.sn_only")).extracting(c -> c.path("change_type").asText())
                .containsExactly("snapshot", "snapshot", "snapshot");

        ProviderProcess second = start("run", config).awaitReady();
        assertThat(second.awaitExit(DRAIN)).as("nothing left to snapshot").isZero();
        assertThat(Changes.envelopeChanges(second.stdout(), "dbo.sn_only")).isEmpty();
    }

    /** The snapshot command: a running provider snapshots the table again, its stream goes on from where it stood. */
    @Test
    void theSnapshotCommandSnapshotsAStreamedTableAgainWhileItsChangesGoOn() {
        db.createTracked("dbo", "sn_again", "id INT NOT NULL PRIMARY KEY, v INT");
        db.exec("INSERT INTO dbo.sn_again VALUES (1, 1), (2, 2)");
        ObjectNode config = config("dbo.sn_again").put("heartbeat_interval", "1s");
        ProviderProcess provider = run(config);
        envelopeChangesUntil(provider, "dbo.sn_again", change("insert", 2));

        ProviderProcess command = start("snapshot", config);
        JsonNode answer = command.awaitJson(l -> l.has("table"), STARTUP);
        assertThat(command.awaitExit(STOP)).isZero();
        assertThat(answer.path("snapshot").asText()).isEqualTo("requested");

        provider.awaitStderr(l -> l.contains("dbo.sn_again: snapshot done (2 rows)"), DRAIN);
        db.exec("INSERT INTO dbo.sn_again VALUES (3, 3)");
        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.sn_again", change("insert", 3));
        assertThat(changes).extracting(c -> c.path("change_type").asText() + c.path("data").path("id").asInt())
                .containsExactly("insert1", "insert2", "snapshot1", "snapshot2", "insert3");

        ProviderProcess status = start("status", config);
        JsonNode line = status.awaitJson(l -> l.has("table"), STARTUP);
        assertThat(line.path("snapshot").path("state").asText()).isEqualTo("done");
        assertThat(line.path("snapshot").path("rows").asInt()).isEqualTo(2);
    }

    @Test
    void aTableWithoutAKeyIsRefusedAndTheOthersGoOn() {
        db.exec("CREATE TABLE dbo.sn_heap (v INT)", "INSERT INTO dbo.sn_heap VALUES (1)");
        db.enableCdc("dbo", "sn_heap");
        db.exec("CREATE TABLE dbo.sn_keyed (id INT NOT NULL PRIMARY KEY)", "INSERT INTO dbo.sn_keyed VALUES (1)");
        db.enableCdc("dbo", "sn_keyed");
        ProviderProcess provider = run(config("dbo.sn_heap", "dbo.sn_keyed").put("snapshot_mode", "initial"));

        provider.awaitStderr(l -> l.contains("dbo.sn_heap has neither a primary key nor a unique index"), DRAIN);
        provider.awaitStderr(l -> l.contains("dbo.sn_keyed: snapshot done (1 rows)"), DRAIN);
    }
}
