package io.dstream.mssql.ingester.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.ChangeReader;
import io.dstream.mssql.ingester.cdc.Watermark;
import io.dstream.mssql.ingester.cdc.CheckpointStore;
import io.dstream.mssql.ingester.cdc.EmulatorIT;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.config.ConfigException;
import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.locking.NoLocker;
import io.dstream.mssql.ingester.output.EnvelopeFormat;
import io.dstream.mssql.ingester.output.Stdout;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The capture loop in-JVM: writes, checkpoints after writing, resumes after a restart. */
class StreamerIT extends EmulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private ProviderConfig config(String... tables) throws ConfigException {
        ObjectNode config = JSON.createObjectNode();
        config.put("db_connection_string", emulator.connectionString());
        config.put("poll_interval", "50ms").put("max_poll_interval", "200ms").put("max_rows_per_query", 3)
                .put("checkpoint_table", "dbo.st_offsets").put("checkpoint_delay", "0s");
        var array = config.putArray("tables");
        for (String t : tables) {
            array.add(t);
        }
        return ProviderConfig.from(config);
    }

    private Streamer streamer(ProviderConfig config) throws SQLException {
        CheckpointStore store = new CheckpointStore(config.checkpointTable());
        database.with(store::createIfMissing);
        StreamContext ctx = new StreamContext(config, database, new NoLocker(),
                TableSource.of(database, new ChangeReader(database.with(Catalog::serverOffset)), store,
                        new Watermark(config.snapshotWatermarkTable(), database.with(Catalog::serverOffset))),
                new EnvelopeFormat("localhost", "testdb", "50ms", config.maxMessageBytes(), config.oversizedChange()), new Stdout(stdout),
                Pacer.system(Clock.systemUTC()), database.with(Catalog::maxLsn));
        return new Streamer(ctx, config.tables());
    }

    private List<Integer> ids() throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                for (JsonNode change : JSON.readTree(line).path("changes")) {
                    ids.add(change.path("data").path("id").asInt());
                }
            }
        }
        return ids;
    }

    @Test
    void streamsStopsAndResumesAfterItsCheckpoint() throws Exception {
        tracked("st_orders", "id INT PRIMARY KEY, v INT");
        exec("INSERT INTO dbo.st_orders VALUES (1, 1), (2, 2), (3, 3), (4, 4)");
        ProviderConfig config = config("dbo.st_orders");

        Streamer first = streamer(config);
        CompletableFuture<Streamer.Outcome> run = CompletableFuture.supplyAsync(first::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> ids().size() == 4);
        first.stop();
        assertThat(run.get()).isEqualTo(Streamer.Outcome.STOPPED);
        assertThat(ids()).containsExactly(1, 2, 3, 4);
        CheckpointStore store = new CheckpointStore(config.checkpointTable());
        Position saved = database.with(c -> store.load(c, new TableName("dbo", "st_orders"))).orElseThrow().position();

        exec("INSERT INTO dbo.st_orders VALUES (5, 5)");
        stdout.reset();
        Streamer second = streamer(config);
        CompletableFuture<Streamer.Outcome> rerun = CompletableFuture.supplyAsync(second::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> ids().contains(5));
        second.stop();

        assertThat(rerun.get()).isEqualTo(Streamer.Outcome.STOPPED);
        assertThat(ids()).as("only what came after the checkpoint %s", saved).containsExactly(5);
    }

    @Test
    void anIdleTablesCheckpointFollowsTheMaximumLsn() throws Exception {
        tracked("st_idle", "id INT PRIMARY KEY");
        tracked("st_busy", "id INT PRIMARY KEY");
        exec("INSERT INTO dbo.st_idle VALUES (1)");
        ObjectNode json = JSON.createObjectNode();
        json.put("db_connection_string", emulator.connectionString()).put("poll_interval", "50ms")
                .put("max_poll_interval", "100ms").put("heartbeat_interval", "100ms").put("checkpoint_table", "dbo.st_offsets")
                .put("checkpoint_delay", "0s");
        json.putArray("tables").add("dbo.st_idle");
        Streamer streamer = streamer(ProviderConfig.from(json));
        CompletableFuture<Streamer.Outcome> run = CompletableFuture.supplyAsync(streamer::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> ids().contains(1));

        exec("INSERT INTO dbo.st_busy VALUES (1)", "INSERT INTO dbo.st_busy VALUES (2)");
        captured();
        Lsn max = database.with(Catalog::maxLsn).orElseThrow();
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "st_offsets"));

        await().atMost(Duration.ofSeconds(10)).until(() -> database.with(c -> store.load(c, new TableName("dbo", "st_idle")))
                .map(cp -> cp.position().commitLsn().compareTo(max) >= 0).orElse(false));
        streamer.stop();
        assertThat(run.get()).isEqualTo(Streamer.Outcome.STOPPED);
    }
}
