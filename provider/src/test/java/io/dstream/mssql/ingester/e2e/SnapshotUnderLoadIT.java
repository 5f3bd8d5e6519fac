package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 100,000-row table snapshotted while a random workload (inserts, updates, deletes, key updates)
 * changes it, on an emulator whose capture runs 300 ms behind the commits (so a change committed before
 * a chunk's SELECT is often not captured yet when the chunk is read), with a {@code kill -9} in the
 * middle: the consumer applying every line ends with exactly the table's rows.
 */
class SnapshotUnderLoadIT extends EmulatorTestBase {

    private static final int ROWS = 100_000;

    @BeforeAll
    static void slowCapture() {
        if (!server.isEmbedded()) {
            return; // skipped: see the test
        }
        stopEmulator();
        use(new EmbeddedServer(Emulator.builder().database("testdb").credentials("sa", PASSWORD)
                .captureLatency(Duration.ofMillis(300)).start()));
    }

    @Test
    void theConsumerEndsWithTheTable() throws Exception {
        assumeEmbedded("the capture runs 300 ms behind the commits (the emulator's capture latency)");
        Replica.fill(db, "dbo.sn_load", ROWS);
        db.enableCdc("dbo", "sn_load");
        ObjectNode config = config("dbo.sn_load").put("snapshot_mode", "initial");
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread workload = new Thread(() -> Replica.randomWrites(db, "dbo.sn_load", ROWS, writing, new Random(11)), "workload");
        workload.start();
        try {
            ProviderProcess first = run(config);
            first.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.sn_load")
                    && l.path("changes").get(0).path("change_type").asText().equals("snapshot")
                    && l.path("changes").get(0).path("data").path("id").asInt() > ROWS * 10 / 2, Duration.ofSeconds(120));
            first.kill9();
            List<String> lines = new ArrayList<>(first.stdout());

            ProviderProcess second = run(config);
            second.awaitStderr(l -> l.contains("dbo.sn_load: snapshot done"), Duration.ofSeconds(120));
            writing.set(false);
            workload.join();
            awaitCaptured();
            Map<Object, Integer> table = Replica.rows(db, "dbo.sn_load", "id");
            await().atMost(STREAM).until(() -> {
                List<String> all = new ArrayList<>(lines);
                all.addAll(second.stdout());
                return Replica.applied(all, "dbo.sn_load", "id").equals(table);
            });
            List<JsonNode> changes = Changes.envelopeChanges(second.stdout(), "dbo.sn_load");
            assertThat(changes).as("live changes interleaved with the snapshot's chunks")
                    .anyMatch(c -> !c.path("change_type").asText().equals("snapshot"));
            assertThat(second.stderr()).noneMatch(l -> l.contains(" ERROR "));
        } finally {
            writing.set(false);
            workload.join();
        }
    }
}
