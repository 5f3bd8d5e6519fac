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
import io.dstream.mssql.ingester.locking.Lease;
import io.dstream.mssql.ingester.locking.LockKey;
import io.dstream.mssql.ingester.locking.Locker;
import io.dstream.mssql.ingester.locking.NoLocker;
import io.dstream.mssql.ingester.output.EnvelopeFormat;
import io.dstream.mssql.ingester.output.Stdout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table's stream without a database: a fake {@link TableSource} holds the change table and the
 * checkpoint row, a manual clock stands for time. What is tested is the stream's own logic: where it
 * starts, backoff, read-ahead, checkpoints after {@code checkpoint_delay}, data loss and a database
 * that went back in time.
 */
class TableStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableName TABLE = new TableName("dbo", "orders");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Columns COLUMNS = new Columns(List.of(new CapturedColumn("id", 1)), List.of(new ColumnType("int", 10, 0)));

    private final FakeSource source = new FakeSource();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ManualPacer pacer = new ManualPacer(T0);
    private final ExecutorService readAheadPool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPool() {
        readAheadPool.shutdownNow();
    }

    @Test
    void anIdleTableFollowsTheUpperBoundAndBacksOffToTheMaximum() throws Exception {
        TableStream stream = stream(c -> { });

        List<Duration> waits = new ArrayList<>();
        Instant now = T0;
        for (int i = 0; i < 5; i++) {
            poll(stream, lsn(5 + i), now);
            waits.add(Duration.between(now, stream.nextPoll()));
            now = stream.nextPoll();
        }

        assertThat(waits).containsExactly(seconds(1), seconds(2), seconds(4), seconds(4), seconds(4));
        assertThat(source.saves).as("an idle table saves the bound it followed once per heartbeat")
                .containsExactly(Position.afterCommit(lsn(5)));
        assertThat(lines()).isEmpty();
    }

    @Test
    void aFullPageIsFollowedAtOnceAndEachPageIsReadOnceThanksToReadAhead() throws Exception {
        source.insert(2, 3, 4, 5, 6);
        TableStream stream = stream(c -> { });

        poll(stream, lsn(6), T0);
        assertThat(stream.nextPoll()).as("a full page: the next one right away").isEqualTo(T0);
        poll(stream, lsn(6), T0);
        poll(stream, lsn(6), T0);

        assertThat(lines()).extracting(l -> ids(l)).containsExactly(List.of(2, 3), List.of(4, 5), List.of(6));
        assertThat(source.readsAfter).as("pages read: the first in the poll, the next two ahead of it")
                .containsExactly(Position.before(lsn(1)), at(3), at(5));
        assertThat(stream.nextPoll()).as("the last page was short: back to poll_interval").isEqualTo(T0.plus(seconds(1)));
        assertThat(source.saves).last().isEqualTo(Position.afterCommit(lsn(6)));
    }

    @Test
    void aCheckpointCoversOnlyLinesWrittenCheckpointDelayAgo() throws Exception {
        source.insert(2);
        TableStream stream = stream(c -> c.put("checkpoint_delay", "10s"));

        poll(stream, lsn(2), T0);
        assertThat(lines()).hasSize(1);
        assertThat(source.saves).as("written just now: a crash of the reader must replay it").isEmpty();

        poll(stream, lsn(2), T0.plus(seconds(9)));
        assertThat(source.saves).isEmpty();

        poll(stream, lsn(2), T0.plus(seconds(10)));
        assertThat(source.saves).containsExactly(Position.afterCommit(lsn(2)));
    }

    @Test
    void aCheckpointBelowTheOldestRetainedChangeStopsTheTableUnderOnDataLossFail() throws Exception {
        source.checkpoint = Optional.of(new Checkpoint(at(2), "dbo_orders"));
        source.startLsn = lsn(5);
        source.insert(5, 6);
        TableStream stream = stream(c -> { });

        poll(stream, lsn(6), T0);

        assertThat(stream.hasFailedPermanently()).isTrue();
        assertThat(stream.holdsLease()).as("a stopped table gives its lock up").isFalse();
        assertThat(lines()).isEmpty();
        assertThat(source.saves).isEmpty();
    }

    @Test
    void underOnDataLossResumeTheTableGoesOnFromTheOldestRetainedChange() throws Exception {
        source.checkpoint = Optional.of(new Checkpoint(at(2), "dbo_orders"));
        source.startLsn = lsn(5);
        source.insert(5, 6);
        TableStream stream = stream(c -> c.put("on_data_loss", "resume"));

        poll(stream, lsn(6), T0);

        assertThat(stream.hasFailedPermanently()).isFalse();
        assertThat(lines()).extracting(l -> ids(l)).containsExactly(List.of(5, 6));
    }

    @Test
    void aPositionAheadOfTheDatabaseStopsTheTableOrRestartsItFromTheEarliest() throws Exception {
        source.checkpoint = Optional.of(new Checkpoint(Position.afterCommit(lsn(9)), "dbo_orders"));
        source.insert(2);
        TableStream failing = stream(c -> { });
        poll(failing, lsn(2), T0);
        assertThat(failing.hasFailedPermanently()).as("restored from a backup: reading on would skip changes").isTrue();
        assertThat(lines()).isEmpty();

        TableStream restarting = stream(c -> c.put("on_position_ahead", "restart_from_earliest"));
        poll(restarting, lsn(2), T0);
        assertThat(source.checkpoint).as("the checkpoint that was ahead is deleted").isEmpty();
        assertThat(restarting.nextPoll()).isEqualTo(T0);
        poll(restarting, lsn(2), T0);
        assertThat(restarting.hasFailedPermanently()).isFalse();
        assertThat(lines()).extracting(l -> ids(l)).containsExactly(List.of(2));
    }

    @Test
    void aFailedReadIsRetriedWithBackoffAndThePositionIsKept() throws Exception {
        source.insert(2, 3);
        TableStream stream = stream(c -> { });
        source.failReads = 2;

        poll(stream, lsn(3), T0);
        assertThat(stream.isFailing()).isTrue();
        assertThat(stream.nextPoll()).isEqualTo(T0.plus(seconds(1)));
        poll(stream, lsn(3), stream.nextPoll());
        assertThat(stream.nextPoll()).isEqualTo(T0.plus(seconds(3)));

        poll(stream, lsn(3), stream.nextPoll());
        assertThat(stream.isFailing()).isFalse();
        assertThat(lines()).extracting(l -> ids(l)).containsExactly(List.of(2, 3));
    }

    @Test
    void aTableAskedToBeHandedOverReadsNothingMoreAndReleasesOnceWhatItWroteIsCheckpointed() throws Exception {
        source.insert(2, 3);
        EndableLocker locker = new EndableLocker();
        TableStream stream = stream(c -> c.put("checkpoint_delay", "10s"), locker);
        poll(stream, lsn(2), T0);
        assertThat(lines()).extracting(l -> ids(l)).containsExactly(List.of(2));

        locker.askToHandOver();
        poll(stream, lsn(3), T0.plus(seconds(1)));
        assertThat(lines()).as("nothing more read").hasSize(1);
        assertThat(stream.holdsLease()).as("held until what it wrote has settled").isTrue();
        assertThat(stream.nextPoll()).isEqualTo(T0.plus(seconds(10)));
        assertThat(source.saves).isEmpty();

        poll(stream, lsn(3), T0.plus(seconds(10)));
        assertThat(source.saves).as("the next holder starts after the last line written here")
                .containsExactly(Position.afterCommit(lsn(2)));
        assertThat(locker.released).isEqualTo(1);
        assertThat(stream.holdsLease()).isFalse();
        assertThat(stream.phase()).isEqualTo(TableStream.Phase.UNHELD);
        assertThat(lines()).hasSize(1);
    }

    @Test
    void aLostLockForgetsThePositionAndTheNextTenureResumesFromTheCheckpointAnotherInstanceAdvanced() throws Exception {
        source.insert(2, 3);
        EndableLocker locker = new EndableLocker();
        TableStream stream = stream(c -> { }, locker);
        assertThat(stream.phase()).isEqualTo(TableStream.Phase.LOADING);
        poll(stream, lsn(2), T0);
        assertThat(stream.phase()).isEqualTo(TableStream.Phase.STREAMING);
        assertThat(lines()).extracting(l -> ids(l)).containsExactly(List.of(2));

        locker.end();
        assertThat(stream.holdsLease()).isFalse();
        assertThat(stream.phase()).isEqualTo(TableStream.Phase.UNHELD);
        source.checkpoint = Optional.of(new Checkpoint(Position.afterCommit(lsn(3)), "dbo_orders")); // the other instance wrote 3

        assertThat(stream.tryAcquire(T0.plus(seconds(5)))).isTrue();
        poll(stream, lsn(3), T0.plus(seconds(5)));
        assertThat(stream.phase()).isEqualTo(TableStream.Phase.STREAMING);
        assertThat(lines()).as("3 was written by the other instance: not again").extracting(l -> ids(l)).containsExactly(List.of(2));
    }

    @Test
    void aStoppedTableStaysStoppedThroughShutdown() throws Exception {
        source.checkpoint = Optional.of(new Checkpoint(at(2), "dbo_orders"));
        source.startLsn = lsn(5);
        TableStream stream = stream(c -> { });
        poll(stream, lsn(6), T0);
        assertThat(stream.phase()).isEqualTo(TableStream.Phase.STOPPED);
        assertThat(stream.isDue(T0.plus(Duration.ofHours(1)))).isFalse();
        assertThat(stream.tryAcquire(T0.plus(seconds(1)))).as("its lock stays free for another instance").isFalse();

        stream.stopWriting();
        assertThat(stream.hasFailedPermanently()).as("the exit code counts it as failed").isTrue();
    }

    @Test
    void itsStatusHoldsWhatItWroteSavedAndFailedAndItsLag() throws Exception {
        source.insert(2, 3, 4);
        TableStream stream = stream(c -> { });
        source.failReads = 1;

        poll(stream, lsn(4), T0);
        TableStatus failed = stream.status();
        assertThat(failed.failing()).isTrue();
        assertThat(failed.errors()).containsExactly(Map.entry(TableStatus.ErrorKind.QUERY, 1L));
        assertThat(failed.lag()).as("nothing written yet: unknown").isEmpty();

        poll(stream, lsn(4), T0.plus(seconds(1)));
        TableStatus behind = stream.status();
        assertThat(behind.state()).isEqualTo(TableStatus.State.STREAMING);
        assertThat(behind.failing()).isFalse();
        assertThat(behind.changes()).isEqualTo(2);
        assertThat(behind.lines()).isEqualTo(1);
        assertThat(behind.bytes()).as("the line and its newline").isEqualTo(stdout.size());
        assertThat(behind.lastCommitTime()).contains(T0);
        assertThat(behind.lag()).as("a full page: more to read; behind by the age of the last change written")
                .contains(seconds(1));

        pacer.now = T0.plus(seconds(3));
        assertThat(stream.status().lag()).contains(seconds(3));
        poll(stream, lsn(4), T0.plus(seconds(3)));
        TableStatus caughtUp = stream.status();
        assertThat(caughtUp.changes()).isEqualTo(3);
        assertThat(caughtUp.lines()).isEqualTo(2);
        assertThat(caughtUp.bytes()).isEqualTo(stdout.size());
        assertThat(caughtUp.lag()).as("read up to the upper bound").contains(Duration.ZERO);
        assertThat(caughtUp.checkpointSaves()).isEqualTo(source.saves.size()).isPositive();
        assertThat(caughtUp.pollInterval()).isEqualTo(seconds(1));
        assertThat(caughtUp.errors()).containsExactly(Map.entry(TableStatus.ErrorKind.QUERY, 1L));
    }

    @Test
    void everyPhaseHasItsStateInTheStatus() {
        for (TableStream.Phase phase : TableStream.Phase.values()) {
            assertThat(TableStatus.State.valueOf(phase.name())).as(phase.name()).isNotNull();
        }
        assertThat(TableStatus.State.values()).hasSameSizeAs(TableStream.Phase.values());
    }

    @Test
    void aTableStoppedByDataLossSaysSoInItsStatus() throws Exception {
        source.checkpoint = Optional.of(new Checkpoint(at(2), "dbo_orders"));
        source.startLsn = lsn(5);
        TableStream stream = stream(c -> { });

        poll(stream, lsn(6), T0);

        TableStatus status = stream.status();
        assertThat(status.state()).isEqualTo(TableStatus.State.STOPPED);
        assertThat(status.errors()).containsExactly(Map.entry(TableStatus.ErrorKind.DATA_LOSS, 1L));
        assertThat(status.lag()).isEmpty();
    }

    // --- fixtures

    private TableStream stream(Consumer<ObjectNode> settings) throws Exception {
        return stream(settings, new NoLocker());
    }

    private TableStream stream(Consumer<ObjectNode> settings, Locker locker) throws Exception {
        ObjectNode c = JSON.createObjectNode();
        c.put("db_connection_string", "server=localhost,1433;database=shop;user id=u;password=p");
        c.putArray("tables").add(TABLE.toString());
        c.put("poll_interval", "1s").put("max_poll_interval", "4s").put("max_rows_per_query", 2)
                .put("checkpoint_delay", "0s");
        settings.accept(c);
        ProviderConfig config = ProviderConfig.from(c);
        // the stream reaches the database only through its source: no Database here
        StreamContext ctx = new StreamContext(config, null, locker, source,
                new EnvelopeFormat("localhost", "shop", "1s", config.maxMessageBytes(), config.oversizedChange()),
                new Stdout(stdout), pacer, Optional.empty());
        TableStream stream = new TableStream(TABLE, ctx, readAheadPool);
        assertThat(stream.tryAcquire(T0)).isTrue();
        return stream;
    }

    /** One poll at {@code now} (the clock stands there), {@code upper} the maximum LSN, the probe seeing the newest change. */
    private void poll(TableStream stream, Lsn upper, Instant now) {
        pacer.now = now;
        stream.instances(List.of(source.instance()));
        Lsn newest = source.newest();
        stream.poll(Optional.of(upper), newest == null ? Map.of() : Map.of("dbo_orders", newest), now);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<Integer> ids(JsonNode envelope) {
        List<Integer> ids = new ArrayList<>();
        envelope.get("changes").forEach(change -> ids.add(change.get("data").get("id").asInt()));
        return ids;
    }

    private static Lsn lsn(int n) {
        return Lsn.parse(String.format("%020X", n));
    }

    /** The position of the one insert committed at {@code lsn(n)}. */
    private static Position at(int n) {
        return new Position(lsn(n), 1, lsn(n), Operation.INSERT);
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    /** A change table of inserts, one per commit LSN, and the table's checkpoint row. */
    private static final class FakeSource implements TableSource {

        final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
        final List<Position> readsAfter = Collections.synchronizedList(new ArrayList<>());
        final List<Position> saves = Collections.synchronizedList(new ArrayList<>());
        volatile Optional<Checkpoint> checkpoint = Optional.empty();
        volatile Lsn startLsn = lsn(1);
        volatile int failReads;

        void insert(int... commits) {
            Arrays.stream(commits).forEach(n -> changes.add(new Change(ChangeType.INSERT, at(n), T0,
                    RowImage.of(COLUMNS, (long) n), null, List.of(), List.of())));
        }

        CaptureInstance instance() {
            return new CaptureInstance("dbo_orders", TABLE, 7, startLsn, LocalDateTime.of(2026, 1, 1, 0, 0), List.of());
        }

        Lsn newest() {
            return changes.isEmpty() ? null : changes.get(changes.size() - 1).position().commitLsn();
        }

        @Override
        public Page read(CaptureInstance ci, Position after, Lsn upTo, int limit) throws java.sql.SQLException {
            if (failReads > 0) {
                failReads--;
                throw new java.sql.SQLException("Connection reset", "08S01");
            }
            readsAfter.add(after);
            List<Change> page = changes.stream()
                    .filter(c -> c.position().compareTo(after) > 0 && c.position().commitLsn().compareTo(upTo) <= 0)
                    .limit(limit).toList();
            return new Page(page, page.size() >= limit, page.isEmpty() ? null : page.get(page.size() - 1).position());
        }

        @Override
        public List<CapturedColumn> capturedColumns(CaptureInstance ci) {
            return List.of(new CapturedColumn("id", 1));
        }

        @Override
        public Optional<Checkpoint> checkpoint(TableName table) {
            return checkpoint;
        }

        @Override
        public void prefetchCheckpoints(java.util.Collection<TableName> tables) {
            // each table reads its own row here
        }

        @Override
        public void forgetPrefetched() {
        }

        @Override
        public void save(TableName table, Position position, String captureInstance, Lsn upperBound, SnapshotProgress snapshot) {
            saves.add(position);
            checkpoint = Optional.of(new Checkpoint(position, captureInstance, snapshot));
        }

        @Override
        public Map<TableName, Instant> snapshotRequests(java.util.Collection<TableName> tables) {
            return Map.of();
        }

        // snapshot_mode never in these tests: a snapshot call is a bug
        @Override
        public void takeSnapshotRequest(TableName table, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<TableKey> key(TableName table) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TableKey.Value lastKey(TableName table, CaptureInstance ci, TableKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SnapshotReader.Chunk chunk(TableName table, CaptureInstance ci, TableKey key, TableKey.Value after,
                                          TableKey.Value upTo, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TableKey.Value decodeKey(TableName table, CaptureInstance ci, TableKey key, String encoded) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long estimatedRows(TableName table) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String writeWatermark(TableName table) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Watermark.Mark> findWatermark(String token, Lsn after) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteCheckpoint(TableName table) {
            checkpoint = Optional.empty();
        }
    }

    /**
     * Grants every table; {@link #end} ends the tenures granted so far, as a renewal refused would;
     * {@link #askToHandOver} asks for them to be handed over, as spreading over more instances does.
     */
    private static final class EndableLocker implements Locker {

        private final List<boolean[]> tenures = new ArrayList<>();
        private boolean handOver;
        int released;

        void end() {
            tenures.forEach(ended -> ended[0] = true);
        }

        void askToHandOver() {
            handOver = true;
        }

        @Override
        public Optional<Lease> tryAcquire(LockKey key) {
            boolean[] ended = {false};
            tenures.add(ended);
            return Optional.of(new Lease() {
                @Override
                public LockKey key() {
                    return key;
                }

                @Override
                public boolean isValid() {
                    return !ended[0];
                }

                @Override
                public boolean handOverRequested() {
                    return handOver && !ended[0];
                }

                @Override
                public void release() {
                    ended[0] = true;
                    released++;
                }
            });
        }

        @Override
        public String describe() {
            return "endable";
        }

        @Override
        public void close() {
        }
    }
}
