package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import io.dstream.mssql.ingester.locking.ProviderInstance.Write;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several provider processes on the same tables, against the SQL Server CDC emulator and Azurite:
 * one writer per table at a time, takeover after {@code kill -9}, SIGTERM and SIGSTOP, and a lock
 * service outage, with no change missing. A workload inserts one row per table every 100 ms; ids
 * are 1, 2, 3... so a gap is a lost change.
 */
class ProviderFailoverIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static Emulator emulator;

    private final String container = AzuriteExtension.uniqueContainer();
    private final List<ProviderInstance> instances = new ArrayList<>();
    private final Map<String, AtomicInteger> lastId = new ConcurrentHashMap<>();
    private final ScheduledExecutorService workload = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void startEmulator() throws SQLException {
        emulator = Emulator.builder().database("testdb").captureLatency(Duration.ofMillis(20)).start();
        exec("EXEC sys.sp_cdc_enable_db");
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        workload.shutdownNow();
        workload.awaitTermination(5, TimeUnit.SECONDS);
        instances.forEach(ProviderInstance::close);
    }

    @Test
    void twoInstancesSplitTheTablesAndAKilledHoldersTableIsTakenOverFromItsCheckpoint() {
        List<String> tables = createTables("fo_kill_a", "fo_kill_b");
        ProviderInstance a = start("a", tables);
        ProviderInstance b = start("b", tables);
        startWorkload(tables);

        await("each instance streams one table").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> latestWriter(tables.get(0)) != null && latestWriter(tables.get(1)) != null
                        && latestWriter(tables.get(0)) != latestWriter(tables.get(1)));
        String table = tables.get(0);
        ProviderInstance holder = latestWriter(table);
        ProviderInstance other = holder == a ? b : a;
        int lastIdOfHolder = lastWrittenId(holder, table);

        long killedAt = System.nanoTime();
        holder.kill9();
        Write first = await("the other instance takes " + table).atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(100)).until(() -> firstWriteAfter(other, table, killedAt), w -> w != null);

        Duration takeover = Duration.ofNanos(first.nanos() - killedAt);
        assertThat(takeover).as("not before the killed holder's lease expired")
                .isGreaterThan(LEASE.minus(Duration.ofSeconds(6)));
        assertThat(takeover).as("within the lease duration + poll interval (+ startup of reading)")
                .isLessThan(LEASE.plus(Duration.ofSeconds(6)));
        assertThat(first.ids().get(0)).as("continues from the checkpoint, not from the beginning")
                .isGreaterThan(1).isLessThanOrEqualTo(lastIdOfHolder + 1);
        assertNothingMissing(tables);
        tables.forEach(t -> assertOneWriterAtATime(t, 3));
    }

    @Test
    void sigtermReleasesTheTablesSoAnotherInstanceTakesThemAtOnce() {
        List<String> tables = createTables("fo_term");
        ProviderInstance a = start("a", tables);
        awaitLock(a, tables.get(0));
        ProviderInstance b = start("b", tables);
        startWorkload(tables);
        awaitWrites(a, tables.get(0));

        a.sigterm();
        assertThat(a.awaitExit(Duration.ofSeconds(5))).isZero();
        long exitedAt = System.nanoTime();
        Write first = await("b takes the table").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> firstWriteAfter(b, tables.get(0), 0), w -> w != null);

        assertThat(Duration.ofNanos(first.nanos() - exitedAt)).as("taken over at once, not after the lease expired")
                .isLessThan(Duration.ofSeconds(5));
        assertNothingMissing(tables);
        assertOneWriterAtATime(tables.get(0), 1);
    }

    @Test
    void statusNamesTheInstanceHoldingEachTable() {
        List<String> tables = createTables("fo_status_held", "fo_status_free");
        ProviderInstance holder = start("holder", tables.subList(0, 1));
        awaitLock(holder, tables.get(0));

        ProviderInstance status = ProviderInstance.start(testName + "-status", "status", config(tables));
        instances.add(status);
        assertThat(status.awaitExit(Duration.ofSeconds(30))).as(status.stderrTail()).isZero();

        Map<String, String> locks = new java.util.HashMap<>();
        status.jsonLines().stream().filter(line -> line.has("lock"))
                .forEach(line -> locks.put(line.path("table").asText(), line.path("lock").asText()));
        assertThat(locks.get(tables.get(0))).startsWith("held by ").contains("-" + holder.pid() + "-");
        assertThat(locks.get(tables.get(1))).isEqualTo("free");
    }

    @Test
    void aHolderFrozenPastItsLeaseNeverWritesAfterItResumes() {
        List<String> tables = createTables("fo_stop");
        String table = tables.get(0);
        ProviderInstance a = start("a", tables);
        awaitLock(a, table);
        ProviderInstance b = start("b", tables);
        startWorkload(tables);
        awaitWrites(a, table);

        a.sigstop();
        long stoppedAt = System.nanoTime();
        await("b takes the table").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> firstWriteAfter(b, table, stoppedAt) != null);
        long resumedAt = System.nanoTime();
        a.sigcont();
        await("a notices it lost the table").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> a.stderrAt(lostLock(table), resumedAt) >= 0);
        int bLinesAtNotice = b.writes(table).size();
        await("b keeps streaming").atMost(Duration.ofSeconds(10)).until(() -> b.writes(table).size() >= bLinesAtNotice + 5);

        assertThat(a.writes(table).stream().filter(w -> w.nanos() > resumedAt))
                .as("lines the frozen holder wrote after it resumed").isEmpty();
        assertNothingMissing(tables);
        assertOneWriterAtATime(table, 1);
    }

    @Test
    void aLockServiceOutageStopsEveryWriterAndStreamingResumesWhenItIsBack() throws Exception {
        List<String> tables = createTables("fo_out_a", "fo_out_b", "fo_out_c");
        List<ProviderInstance> three = List.of(start("a", tables), start("b", tables), start("c", tables));
        startWorkload(tables);
        await("every table streams").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> tables.stream().allMatch(t -> latestWriter(t) != null));

        AZURITE.stop();
        long stoppedAt = System.nanoTime();
        try {
            Map<String, ProviderInstance> holders = new ConcurrentHashMap<>();
            tables.forEach(t -> holders.put(t, latestWriter(t)));
            await("every holder stops its table").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> tables.stream().allMatch(t -> holders.get(t).stderrAt(lostLock(t), stoppedAt) >= 0));
            for (String t : tables) {
                long lostAfter = holders.get(t).stderrAt(lostLock(t), stoppedAt) - stoppedAt;
                assertThat(Duration.ofNanos(lostAfter)).as("%s stopped within the trusted time", t)
                        .isLessThan(LEASE.minus(Duration.ofSeconds(4)));
            }
            long quietFrom = System.nanoTime();
            await("nobody writes while the lock service is down").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> tables.stream().allMatch(t -> three.stream().allMatch(i -> firstWriteAfter(i, t, quietFrom) == null)));
            assertThat(three).allMatch(ProviderInstance::isAlive);
        } finally {
            AZURITE.startAgain();
        }
        long backAt = System.nanoTime();

        await("every table streams again").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> tables.stream().allMatch(t -> three.stream().anyMatch(i -> firstWriteAfter(i, t, backAt) != null)));
        assertNothingMissing(tables);
        tables.forEach(t -> assertOneWriterAtATime(t, 4));
    }

    @Test
    void aLockContainerDeletedWhileRunningIsCreatedAgainAndEveryTableStreamsAgain() {
        List<String> tables = createTables("fo_del_a", "fo_del_b");
        List<ProviderInstance> two = List.of(start("a", tables), start("b", tables));
        startWorkload(tables);
        await("every table streams").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> tables.stream().allMatch(t -> latestWriter(t) != null));

        new BlobServiceClientBuilder().connectionString(AZURITE.connectionString()).buildClient()
                .getBlobContainerClient(container).delete();

        awaitEveryTableStreamsAgain(tables, two, System.nanoTime());
        assertNothingMissing(tables);
        tables.forEach(t -> assertOneWriterAtATime(t, 4));
        assertThat(two).allSatisfy(i -> assertThat(i.stderrAt(line -> line.contains(" ERROR "), 0)).as(i.stderrTail()).isNegative());
    }

    @Test
    void anAzuriteRestartedWithoutItsDataIsRecoveredFromWithNothingMissing() throws Exception {
        List<String> tables = createTables("fo_wipe_a", "fo_wipe_b");
        List<ProviderInstance> two = List.of(start("a", tables), start("b", tables));
        startWorkload(tables);
        await("every table streams").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> tables.stream().allMatch(t -> latestWriter(t) != null));

        AZURITE.restartWithoutData();

        awaitEveryTableStreamsAgain(tables, two, System.nanoTime());
        assertNothingMissing(tables);
        tables.forEach(t -> assertOneWriterAtATime(t, 4));
    }

    /**
     * From the output: each table is written again later than one lease duration after the loss,
     * when no lease of the old container can still be in use, so by a tenure taken afterwards.
     */
    private void awaitEveryTableStreamsAgain(List<String> tables, List<ProviderInstance> running, long lostAt) {
        long recovered = lostAt + LEASE.toNanos();
        try {
            await("every table streams again").atMost(LEASE.plus(Duration.ofSeconds(40))).pollInterval(Duration.ofMillis(200))
                    .until(() -> tables.stream().allMatch(t -> running.stream().anyMatch(i -> firstWriteAfter(i, t, recovered) != null)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder("tables not streamed again:\n");
            running.forEach(i -> why.append(i.stderrTail()));
            throw new AssertionError(why.toString(), e);
        }
    }

    // ---- helpers

    private ProviderInstance start(String name, List<String> tables) {
        ProviderInstance instance = ProviderInstance.run(testName + "-" + name, config(tables));
        instances.add(instance);
        return instance.awaitReady();
    }

    private ObjectNode config(List<String> tables) {
        ObjectNode config = JSON.createObjectNode();
        config.put("db_connection_string", emulator.connectionString());
        tables.forEach(config.putArray("tables")::add);
        config.put("poll_interval", "200ms");
        config.put("max_poll_interval", "500ms");
        AZURITE.putLockConfig(config, container, LEASE);
        return config;
    }

    private List<String> createTables(String... names) {
        List<String> tables = new ArrayList<>();
        for (String name : names) {
            exec("CREATE TABLE dbo." + name + " (id INT PRIMARY KEY, v INT)",
                    "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'" + name + "', @role_name = NULL");
            tables.add("dbo." + name);
        }
        return tables;
    }

    /** One row per table every 100 ms, ids 1, 2, 3... */
    private void startWorkload(List<String> tables) {
        tables.forEach(t -> lastId.put(t, new AtomicInteger()));
        workload.scheduleAtFixedRate(() -> {
            for (String table : tables) {
                int id = lastId.get(table).get() + 1;
                try {
                    exec("INSERT INTO " + table + " (id, v) VALUES (" + id + ", " + id + ")");
                    lastId.get(table).set(id);
                } catch (RuntimeException e) {
                    // retried with the same id on the next tick
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Stops the workload and waits until the instances together wrote every row inserted. */
    private void assertNothingMissing(List<String> tables) {
        workload.shutdown();
        await("workload stopped").atMost(Duration.ofSeconds(5)).until(workload::isTerminated);
        for (String table : tables) {
            int last = lastId.get(table).get();
            try {
                await(table + ": every row 1.." + last + " written").atMost(Duration.ofSeconds(40))
                        .pollInterval(Duration.ofMillis(200)).until(() -> idsWritten(table).containsAll(range(last)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                TreeSet<Integer> missing = new TreeSet<>(range(last));
                missing.removeAll(idsWritten(table));
                StringBuilder why = new StringBuilder(table + ": rows never written: " + missing + "\n");
                instances.forEach(i -> why.append(i).append(" wrote ").append(runsOf(i, table)).append('\n')
                        .append(i.stderrTail()));
                throw new AssertionError(why.toString(), e);
            }
            assertThat(idsWritten(table)).as("%s: nothing missing, nothing unknown", table).isEqualTo(new TreeSet<>(range(last)));
        }
    }

    /**
     * The table's lines of all instances in arrival order form runs by the same writer; two writers
     * at once would interleave into many short runs. Each run is listed on failure.
     */
    private void assertOneWriterAtATime(String table, int maxHandovers) {
        List<Write> all = new ArrayList<>();
        instances.forEach(i -> all.addAll(i.writes(table)));
        all.sort(Comparator.comparingLong(Write::nanos));
        List<String> runs = new ArrayList<>();
        String current = null;
        for (Write w : all) {
            if (!w.instance().equals(current)) {
                current = w.instance();
                runs.add(current + " from id " + w.ids().get(0));
            }
        }
        assertThat(runs.size() - 1).as("%s: changes of writer %s", table, runs).isLessThanOrEqualTo(maxHandovers);
    }

    private static String runsOf(ProviderInstance instance, String table) {
        List<Write> writes = instance.writes(table);
        return writes.isEmpty() ? "nothing" : writes.size() + " lines, ids " + writes.get(0).ids().get(0) + ".."
                + writes.get(writes.size() - 1).ids().get(writes.get(writes.size() - 1).ids().size() - 1);
    }

    private ProviderInstance latestWriter(String table) {
        ProviderInstance latest = null;
        long at = Long.MIN_VALUE;
        for (ProviderInstance instance : instances) {
            List<Write> writes = instance.writes(table);
            if (!writes.isEmpty() && writes.get(writes.size() - 1).nanos() > at) {
                at = writes.get(writes.size() - 1).nanos();
                latest = instance;
            }
        }
        return latest;
    }

    private static java.util.function.Predicate<String> lostLock(String table) {
        return line -> line.contains(table) && line.contains("lost");
    }

    private static Write firstWriteAfter(ProviderInstance instance, String table, long nanos) {
        return instance.writes(table).stream().filter(w -> w.nanos() > nanos).findFirst().orElse(null);
    }

    private static int lastWrittenId(ProviderInstance instance, String table) {
        List<Write> writes = instance.writes(table);
        List<Integer> ids = writes.get(writes.size() - 1).ids();
        return ids.get(ids.size() - 1);
    }

    private static void awaitLock(ProviderInstance instance, String table) {
        await(instance + " takes " + table).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> instance.stderrAt(line -> line.contains(table) && line.contains("lock acquired"), 0) >= 0);
    }

    private void awaitWrites(ProviderInstance instance, String table) {
        await(instance + " streams " + table).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !instance.writes(table).isEmpty());
    }

    private TreeSet<Integer> idsWritten(String table) {
        TreeSet<Integer> ids = new TreeSet<>();
        instances.forEach(i -> i.writes(table).forEach(w -> ids.addAll(w.ids())));
        return ids;
    }

    private static List<Integer> range(int last) {
        return IntStream.rangeClosed(1, last).boxed().toList();
    }

    private static void exec(String... statements) {
        try (Connection c = DriverManager.getConnection(emulator.jdbcUrl()); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
