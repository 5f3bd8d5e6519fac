package io.dstream.mssql.ingester.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.ChangeReader;
import io.dstream.mssql.ingester.cdc.Watermark;
import io.dstream.mssql.ingester.cdc.CheckpointStore;
import io.dstream.mssql.ingester.cdc.EmulatorIT;
import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.locking.NoLocker;
import io.dstream.mssql.ingester.output.EnvelopeFormat;
import io.dstream.mssql.ingester.output.Stdout;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture loop over many tables and several minutes of simulated time: catalog refreshes,
 * heartbeats and statistics come and go, and every table must still be polled within
 * {@code max_poll_interval} of a change.
 */
class SchedulingIT extends EmulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TABLES = 120;

    @Test
    void everyTableIsStillPolledAfterMinutesOfIdling() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < TABLES; i++) {
            names.add("sch_" + i);
            tracked("sch_" + i, "id INT PRIMARY KEY, v INT");
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("db_connection_string", emulator.connectionString()).put("poll_interval", "1s")
                .put("max_poll_interval", "5s").put("checkpoint_table", "dbo.sch_offsets").put("checkpoint_delay", "0s");
        names.forEach(n -> json.withArray("tables").add("dbo." + n));
        ProviderConfig config = ProviderConfig.from(json);
        CheckpointStore store = new CheckpointStore(config.checkpointTable());
        database.with(store::createIfMissing);

        List<String> changed = new ArrayList<>(names);
        Collections.shuffle(changed, new Random(8));
        Set<String> written = new TreeSet<>(changed.subList(0, TABLES / 2));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        AtomicReference<Set<String>> seenSoonAfter = new AtomicReference<>();
        AtomicReference<Streamer> streamer = new AtomicReference<>();
        SimulatedPacer pacer = new SimulatedPacer()
                .at(Duration.ofSeconds(90), () -> {
                    written.forEach(n -> exec("INSERT INTO dbo." + n + " VALUES (1, 1)"));
                    captured();
                })
                // max_poll_interval plus the cycle's slack: every table has been polled since the inserts
                .at(Duration.ofSeconds(97), () -> seenSoonAfter.set(tablesIn(stdout)))
                .at(Duration.ofMinutes(5), () -> streamer.get().stop());
        StreamContext ctx = new StreamContext(config, database, new NoLocker(),
                TableSource.of(database, new ChangeReader(database.with(Catalog::serverOffset)), store,
                        new Watermark(config.snapshotWatermarkTable(), database.with(Catalog::serverOffset))),
                new EnvelopeFormat("localhost", "testdb", "1s", config.maxMessageBytes(), config.oversizedChange()), new Stdout(stdout),
                pacer, database.with(Catalog::maxLsn));
        streamer.set(new Streamer(ctx, config.tables()));

        assertThat(streamer.get().run()).isEqualTo(Streamer.Outcome.STOPPED);

        assertThat(pacer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(seenSoonAfter.get()).as("tables whose change was written within 7 s").isEqualTo(written);
        assertThat(tablesIn(stdout)).isEqualTo(written);
    }

    private static Set<String> tablesIn(ByteArrayOutputStream stdout) {
        Set<String> tables = new TreeSet<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                for (JsonNode change : JSON.readTree(line).path("changes")) {
                    tables.add(change.path("table_name").asText().substring("dbo.".length()));
                }
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return tables;
    }
}
