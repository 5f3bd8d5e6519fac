package io.dstream.mssql.ingester.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.cdc.Checkpoint;
import io.dstream.mssql.ingester.cdc.ColumnType;
import io.dstream.mssql.ingester.cdc.Columns;
import io.dstream.mssql.ingester.cdc.Operation;
import io.dstream.mssql.ingester.cdc.Page;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.RowImage;
import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.cdc.SnapshotReader;
import io.dstream.mssql.ingester.cdc.TableKey;
import io.dstream.mssql.ingester.cdc.Watermark;
import io.dstream.mssql.ingester.config.ProviderConfig;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import io.dstream.mssql.ingester.locking.NoLocker;
import io.dstream.mssql.ingester.output.EnvelopeFormat;
import io.dstream.mssql.ingester.output.Stdout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table's snapshot against an in-memory table, change log and asynchronous capture, with random
 * interleavings of writes (inserts, updates, deletes, key updates), capture progress, polls and
 * restarts from the saved checkpoint. A consumer applies every line written, in order; whatever the
 * interleaving, it ends with exactly the table's rows.
 */
class SnapshotStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableName TABLE = new TableName("dbo", "items");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Columns COLUMNS = new Columns(List.of(new CapturedColumn("id", 1), new CapturedColumn("v", 2)),
            List.of(new ColumnType("int", 10, 0), new ColumnType("bigint", 19, 0)));

    private final ExecutorService readAheadPool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPool() {
        readAheadPool.shutdownNow();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theConsumerEndsWithTheTableWhateverTheInterleaving(long seed) throws Exception {
        Random random = new Random(seed);
        World world = new World();
        for (long id = 1; id <= 60; id++) {
            world.table.put(id * 10, id); // rows from before CDC: only the snapshot can bring them
        }
        world.captureAll();
        Instant now = T0;
        TableStream stream = stream(world, now);
        for (int step = 0; step < 400; step++) {
            int action = random.nextInt(10);
            if (action < 4) {
                world.randomWrite(random);
            } else if (action < 6) {
                world.captureSome(random);
            } else if (action == 6 && random.nextInt(8) == 0) {
                stream = stream(world, now); // kill -9: a new process starts from the saved checkpoint
            } else {
                now = now.plusMillis(random.nextInt(400));
                poll(stream, world, now);
            }
        }
        for (int i = 0; i < 200 && !(stream.snapshotFinished() && world.consumerCaughtUp()); i++) {
            world.captureAll(); // the writes stopped; capture goes on (the watermarks of the last chunks too)
            now = now.plusSeconds(1);
            poll(stream, world, now);
        }

        assertThat(stream.snapshotFinished()).as("snapshot done and saved").isTrue();
        assertThat(world.applied()).as("the consumer's rows").isEqualTo(world.table);
        assertThat(world.snapshotRows).as("snapshot rows were written").isPositive();
    }

    private TableStream stream(World world, Instant now) throws Exception {
        ObjectNode c = JSON.createObjectNode();
        c.put("db_connection_string", "server=localhost,1433;database=shop;user id=u;password=p");
        c.putArray("tables").add(TABLE.toString());
        c.put("poll_interval", "100ms").put("max_poll_interval", "400ms").put("max_rows_per_query", 4)
                .put("checkpoint_delay", "0s").put("snapshot_mode", "initial").put("snapshot_chunk_rows", 7);
        ProviderConfig config = ProviderConfig.from(c);
        world.pacer.now = now;
        world.out.reset(); // lines of the previous process were applied already
        world.consumed = 0;
        StreamContext ctx = new StreamContext(config, null, new NoLocker(), world,
                new EnvelopeFormat("localhost", "shop", "100ms", config.maxMessageBytes(), config.oversizedChange()),
                new Stdout(world.out), world.pacer, Optional.of(world.captured));
        TableStream stream = new TableStream(TABLE, ctx, readAheadPool);
        assertThat(stream.tryAcquire(now)).isTrue();
        return stream;
    }

    private static void poll(TableStream stream, World world, Instant now) throws Exception {
        world.pacer.now = now;
        if (!stream.isDue(now) && stream.phase() != TableStream.Phase.LOADING) {
            return;
        }
        stream.instances(List.of(world.instance()));
        Lsn newest = world.newestCaptured();
        stream.poll(Optional.of(world.captured), newest == null ? Map.of() : Map.of("dbo_items", newest), now);
        world.consume();
    }

    private static Lsn lsn(long n) {
        return Lsn.parse(String.format("%020X", n));
    }

    /** The database: a table, its change log with a capture point, the watermark log, the checkpoint row; and the consumer. */
    private static final class World implements TableSource {
        final TreeMap<Long, Long> table = new TreeMap<>();
        final List<Change> log = new ArrayList<>();
        final Map<String, Lsn> watermarks = new HashMap<>();
        final TreeMap<Long, Long> consumer = new TreeMap<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ManualPacer pacer = new ManualPacer(T0);
        Optional<Checkpoint> checkpoint = Optional.empty();
        long lsn = 5;
        long capturedAt;
        Lsn captured;
        int consumed;
        long snapshotRows;
        long nextId = 1000;

        CaptureInstance instance() {
            return new CaptureInstance("dbo_items", TABLE, 7, lsn(1), LocalDateTime.of(2026, 1, 1, 0, 0), List.of());
        }

        void randomWrite(Random random) {
            long commit = ++lsn;
            int kind = random.nextInt(4);
            if (kind == 0 || table.isEmpty()) {
                long id = random.nextBoolean() ? nextId++ : 10L * (1 + random.nextInt(70)) + 5; // after the end, or inside the range
                if (table.containsKey(id)) {
                    return;
                }
                table.put(id, commit);
                log.add(change(ChangeType.INSERT, commit, 1, row(id, commit), null));
                return;
            }
            List<Long> ids = new ArrayList<>(table.keySet());
            long id = ids.get(random.nextInt(ids.size()));
            if (kind == 1) {
                long before = table.put(id, commit);
                log.add(change(ChangeType.UPDATE, commit, 1, row(id, commit), row(id, before)));
            } else if (kind == 2) {
                long before = table.remove(id);
                log.add(change(ChangeType.DELETE, commit, 1, row(id, before), null));
            } else {
                long to = random.nextBoolean() ? id + 1 : nextId++; // a key update: CDC writes a delete and an insert
                if (table.containsKey(to)) {
                    return;
                }
                long v = table.remove(id);
                table.put(to, v);
                log.add(change(ChangeType.DELETE, commit, 1, row(id, v), null));
                log.add(change(ChangeType.INSERT, commit, 2, row(to, v), null));
            }
        }

        /** The capture job gets through a few more commits of the log (watermarks included). */
        void captureSome(Random random) {
            capturedAt = Math.min(lsn, capturedAt + random.nextInt(4));
            captured = lsn(capturedAt);
        }

        void captureAll() {
            capturedAt = lsn;
            captured = lsn(capturedAt);
        }

        Lsn newestCaptured() {
            return log.stream().map(c -> c.position().commitLsn()).filter(l -> l.compareTo(captured) <= 0)
                    .max(Lsn::compareTo).orElse(null);
        }

        static RowImage row(long id, long v) {
            return RowImage.of(COLUMNS, id, v);
        }

        static Change change(ChangeType type, long commit, int command, RowImage data, RowImage before) {
            Operation op = switch (type) {
                case INSERT -> Operation.INSERT;
                case DELETE -> Operation.DELETE;
                default -> Operation.UPDATE_AFTER;
            };
            return new Change(type, new Position(lsn(commit), command, lsn(commit), op), T0, data, before, List.of(), List.of());
        }

        /** Applies the lines written since the last call, as a consumer keeping a copy of the table would. */
        void consume() throws Exception {
            String text = out.toString(StandardCharsets.UTF_8);
            String[] lines = text.substring(consumed).split("\n");
            consumed = text.length();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                for (JsonNode c : JSON.readTree(line).get("changes")) {
                    String type = c.get("change_type").asText();
                    long id = c.get("data").get("id").asLong();
                    switch (type) {
                        case "delete" -> consumer.remove(id);
                        case "update" -> {
                            consumer.remove(c.get("before").get("id").asLong());
                            consumer.put(id, c.get("data").get("v").asLong());
                        }
                        case "snapshot" -> {
                            snapshotRows++;
                            consumer.put(id, c.get("data").get("v").asLong());
                        }
                        default -> consumer.put(id, c.get("data").get("v").asLong());
                    }
                }
            }
        }

        boolean consumerCaughtUp() {
            return consumer.equals(table);
        }

        TreeMap<Long, Long> applied() {
            return consumer;
        }

        @Override
        public Page read(CaptureInstance ci, Position after, Lsn upTo, int limit) {
            Lsn bound = upTo.compareTo(captured) < 0 ? upTo : captured;
            List<Change> page = log.stream()
                    .filter(c -> c.position().compareTo(after) > 0 && c.position().commitLsn().compareTo(bound) <= 0)
                    .limit(limit).toList();
            return new Page(page, page.size() >= limit, page.isEmpty() ? null : page.get(page.size() - 1).position());
        }

        @Override
        public List<CapturedColumn> capturedColumns(CaptureInstance ci) {
            return List.of(new CapturedColumn("id", 1), new CapturedColumn("v", 2));
        }

        @Override
        public Optional<Checkpoint> checkpoint(TableName t) {
            return checkpoint;
        }

        @Override
        public void prefetchCheckpoints(Collection<TableName> tables) {
        }

        @Override
        public void forgetPrefetched() {
        }

        @Override
        public void save(TableName t, Position position, String ci, Lsn upperBound, SnapshotProgress snapshot) {
            checkpoint = Optional.of(new Checkpoint(position, ci, snapshot));
        }

        @Override
        public void deleteCheckpoint(TableName t) {
            checkpoint = Optional.empty();
        }

        @Override
        public Map<TableName, Instant> snapshotRequests(Collection<TableName> tables) {
            return Map.of();
        }

        @Override
        public void takeSnapshotRequest(TableName t, Instant at) {
        }

        @Override
        public Optional<TableKey> key(TableName t) {
            return Optional.of(new TableKey("PK_items", List.of("id")));
        }

        @Override
        public TableKey.Value lastKey(TableName t, CaptureInstance ci, TableKey key) {
            return table.isEmpty() ? null : key.valueOf(row(table.lastKey(), table.lastEntry().getValue()));
        }

        @Override
        public SnapshotReader.Chunk chunk(TableName t, CaptureInstance ci, TableKey key, TableKey.Value after,
                                          TableKey.Value upTo, int limit) {
            Long from = after == null ? null : (Long) after.get(0);
            List<RowImage> rows = (from == null ? table : table.tailMap(from, false)).headMap((Long) upTo.get(0), true)
                    .entrySet().stream().limit(limit).map(e -> row(e.getKey(), e.getValue())).toList();
            return new SnapshotReader.Chunk(rows, rows.isEmpty() ? null : key.valueOf(rows.get(rows.size() - 1)));
        }

        @Override
        public TableKey.Value decodeKey(TableName t, CaptureInstance ci, TableKey key, String encoded) {
            return key.decode(encoded, COLUMNS);
        }

        @Override
        public long estimatedRows(TableName t) {
            return table.size();
        }

        @Override
        public String writeWatermark(TableName t) {
            String token = "wm" + (++lsn);
            watermarks.put(token, lsn(lsn));
            return token;
        }

        @Override
        public Optional<Watermark.Mark> findWatermark(String token, Lsn after) {
            Lsn at = watermarks.get(token);
            return at != null && at.compareTo(captured) <= 0 && at.compareTo(after) > 0
                    ? Optional.of(new Watermark.Mark(at, T0)) : Optional.empty();
        }
    }
}
