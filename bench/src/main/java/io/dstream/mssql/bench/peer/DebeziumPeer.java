package io.dstream.mssql.bench.peer;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Debezium's SQL Server connector as the bench's peer, in its own JVM like the provider: the
 * embedded engine with the JSON converter (schemas off, as the provider writes none), offsets and
 * schema history in files. It speaks the provider's stdout protocol so that the bench counts both
 * the same way: {@code {"status":"ready"}} once the connector task runs, then one line per batch
 * carrying {@code "batch_size":<data change events in it>} (tombstones and schema changes are no
 * changes). The converted JSON itself is dropped: a Debezium deployment hands it to Kafka.
 *
 * <p>{@code prime} runs the initial snapshot (of the marker table's single row) and exits once the
 * offset says the snapshot completed: a later {@code drain} from those files streams from the LSN
 * the snapshot saw, before the backlog, where a fresh Debezium would start at the current maximum LSN.
 *
 * <p>Arguments: {@code prime|drain host port database user password offsets-file history-file table...}
 */
public final class DebeziumPeer {

    private static final String TOPIC_PREFIX = "peer";
    /** The offset Debezium stores once streaming has begun after a completed snapshot. */
    private static final byte[] SNAPSHOT_COMPLETED = "\"snapshot_completed\":true".getBytes(StandardCharsets.UTF_8);

    private DebeziumPeer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 9 || !(args[0].equals("prime") || args[0].equals("drain"))) {
            System.err.println("usage: DebeziumPeer prime|drain host port database user password offsets-file "
                    + "history-file table...");
            System.exit(2);
        }
        boolean prime = args[0].equals("prime");
        Path offsets = Path.of(args[6]);
        List<String> tables = List.of(args).subList(8, args.length);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        CountDownLatch started = new CountDownLatch(1);
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(properties(args, tables))
                .using((success, message, error) -> {
                    if (!success) {
                        // a failed engine never starts its task: exit, so that the bench reports it at once
                        System.err.println("Debezium stopped: " + message + (error == null ? "" : " (" + error + ")"));
                        Runtime.getRuntime().halt(1);
                    }
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        started.countDown();
                    }
                })
                .notifying((records, committer) -> {
                    int changes = 0;
                    for (ChangeEvent<String, String> r : records) {
                        if (r.value() != null && !r.destination().equals(TOPIC_PREFIX)) {
                            changes++;
                        }
                        committer.markProcessed(r);
                    }
                    if (changes > 0) {
                        out.println("{\"metadata\":{\"batch_size\":" + changes + "}}");
                        out.flush();
                    }
                    committer.markBatchFinished();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(engine, executor)));
        started.await();
        out.println("{\"status\":\"ready\"}");
        out.flush();
        if (prime) {
            while (!snapshotCompleted(offsets)) {
                Thread.sleep(50);
            }
            stop(engine, executor);
            out.println("{\"status\":\"primed\"}");
            out.flush();
            System.exit(0);
        }
        executor.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    private static Properties properties(String[] args, List<String> tables) {
        Properties p = new Properties();
        p.setProperty("name", "bench-peer");
        p.setProperty("connector.class", "io.debezium.connector.sqlserver.SqlServerConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", args[6]);
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", args[7]);
        p.setProperty("database.hostname", args[1]);
        p.setProperty("database.port", args[2]);
        p.setProperty("database.names", args[3]);
        p.setProperty("database.user", args[4]);
        p.setProperty("database.password", args[5]);
        p.setProperty("database.encrypt", "false");
        p.setProperty("topic.prefix", TOPIC_PREFIX);
        p.setProperty("table.include.list", String.join(",", tables.stream().map(t -> "dbo." + t).toList()));
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("poll.interval.ms", "100");
        p.setProperty("converter.schemas.enable", "false");
        return p;
    }

    private static boolean snapshotCompleted(Path offsets) throws IOException {
        if (!Files.exists(offsets)) {
            return false;
        }
        byte[] stored = Files.readAllBytes(offsets);
        outer:
        for (int i = 0; i + SNAPSHOT_COMPLETED.length <= stored.length; i++) {
            for (int k = 0; k < SNAPSHOT_COMPLETED.length; k++) {
                if (stored[i + k] != SNAPSHOT_COMPLETED[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean STOPPED = new java.util.concurrent.atomic.AtomicBoolean();

    /** Closes the engine once (after priming, and again from the shutdown hook on SIGTERM or exit). */
    private static void stop(DebeziumEngine<?> engine, ExecutorService executor) {
        if (!STOPPED.compareAndSet(false, true)) {
            return;
        }
        try {
            engine.close();
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("closing Debezium failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
