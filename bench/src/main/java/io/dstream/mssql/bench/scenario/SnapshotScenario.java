package io.dstream.mssql.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.LatencyProbe;
import io.dstream.mssql.bench.measure.Percentiles;
import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProcStatus;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import io.dstream.mssql.bench.workload.BacklogLoader;
import io.dstream.mssql.bench.workload.BenchSchema;
import io.dstream.mssql.bench.workload.SteadyWorkload;
import io.dstream.mssql.ingester.cdc.SnapshotReader;
import io.dstream.mssql.ingester.cdc.TableKey;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;

import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshot of a table of the drain's shape and size, written before CDC was enabled, under the
 * drain's small heap: its rate against a bare chunked read of the same table (the provider's own chunk
 * query, {@link SnapshotReader#read}, with the same chunk size, nothing done with the rows), and the
 * commit-to-stdout latency of live changes on another table of the same provider while the snapshot
 * runs against the same latency before it. The snapshot is asked for with the {@code snapshot} command
 * while the provider streams both tables, as a user re-snapshots a table.
 */
public final class SnapshotScenario {

    static final String NAME = "snapshot";
    static final String LATENCY = "snapshot latency";
    public static final List<String> ROWS = List.of(NAME, LATENCY);
    static final double RATIO_TARGET = 0.8;
    static final double LATENCY_FACTOR_TARGET = 2;
    /** The provider's default snapshot_chunk_rows, for the bare read too. */
    static final int CHUNK = 5000;
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern SNAPSHOT_CHANGE = Pattern.compile("\"change_type\":\"snapshot\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchRun run;

    public SnapshotScenario(BenchRun run) {
        this.run = run;
    }

    public List<Outcome> run() throws Exception {
        BenchSettings s = run.settings();
        int rows = s.drainChanges();
        Duration idlePhase = s.latencyDuration().dividedBy(2);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rows", rows);
        d.put("chunk_rows", CHUNK);
        d.put("provider_heap", s.providerHeap());
        d.put("capture_latency_ms", s.captureLatency().toMillis());
        try (EmulatorProcess emulator = run.startEmulator(NAME, s.captureLatency());
             Connection c = BenchRun.connect(emulator)) {
            BenchRun.log("snapshot: writing %,d rows before CDC is enabled", rows);
            BenchSchema.createSnapshotTable(c);
            BacklogLoader.insertRows(c, BenchSchema.SNAPSHOT_TABLE, rows);
            BenchSchema.enableCdc(c, BenchSchema.SNAPSHOT_TABLE);
            BenchSchema.createLatencyTable(c);
            double bare1 = bareChunkedRead(c, d, "bare_read_1");

            int capacity = (int) (s.latencyDuration().toMillis() * 4 * s.latencyRate() / 1000) + 1;
            LatencyProbe probe = new LatencyProbe(capacity);
            SnapshotRows snapshotRows = new SnapshotRows();
            String latencyPrefix = "{\"table_name\":\"dbo." + BenchSchema.LATENCY_TABLE + "\"";
            LineHandler handler = (line, at) -> {
                if (line.startsWith(latencyPrefix)) {
                    probe.accept(line, at);
                } else {
                    snapshotRows.accept(line, at);
                }
            };
            List<String> tables = List.of(BenchSchema.SNAPSHOT_TABLE, BenchSchema.LATENCY_TABLE);
            ProviderProcess provider = run.startProvider(NAME, List.of(s.providerHeap()), config("run", emulator, tables), handler);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Thread workload = new Thread(() -> written.set(steady(emulator, s, capacity, probe, stop)), "snapshot-latency-workload");
            int idleLast;
            int snapshotFirst;
            int snapshotLast;
            try {
                provider.awaitReady(BenchRun.READY_TIMEOUT);
                workload.start();
                Thread.sleep(idlePhase.toMillis());
                idleLast = probe.lastCommitted();
                requestSnapshot(emulator, tables);
                snapshotFirst = probe.lastCommitted() + 1;
                double cpu0 = ProcStatus.cpuSeconds(provider.pid());
                BenchRun.log("snapshot: requested; %d transactions/s on %s meanwhile", s.latencyRate(), BenchSchema.LATENCY_TABLE);
                if (!snapshotRows.await(rows, SNAPSHOT_TIMEOUT)) {
                    throw new BenchException("only " + snapshotRows.count() + " of " + rows + " snapshot rows arrived in "
                            + SNAPSHOT_TIMEOUT.toMinutes() + " min; see " + provider.stderrLog());
                }
                snapshotLast = probe.lastCommitted();
                d.put("provider_cpu_seconds_snapshot", DrainScenario.round(ProcStatus.cpuSeconds(provider.pid()) - cpu0));
                d.put("provider_peak_rss_mb", ProcStatus.peakRssKb(provider.pid()).orElse(-1) / 1024);
            } finally {
                stop.set(true);
                workload.join();
                awaitArrivals(probe, written.get());
                d.put("provider_out_of_memory", provider.ranOutOfMemory());
                d.put("provider_exit_code", provider.stop());
            }
            double bare2 = bareChunkedRead(c, d, "bare_read_2");
            return List.of(rateOutcome(snapshotRows, rows, Math.min(bare1, bare2), d),
                    latencyOutcome(probe, s, idleLast, snapshotFirst, snapshotLast));
        }
    }

    /** The config of the scenario's provider: both tables, 100 ms polls, requests checked every second. */
    private String config(String command, EmulatorProcess emulator, List<String> tables) {
        BenchSettings s = run.settings();
        ObjectNode envelope = (ObjectNode) readTree(ProviderConfig.line(command, emulator.connectionString(), tables,
                s.latencyPoll(), Duration.ofSeconds(1)));
        ((ObjectNode) envelope.get("config")).put("heartbeat_interval", "1s").put("snapshot_chunk_rows", CHUNK);
        return envelope.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the provider's {@code snapshot} command for the snapshot table and checks it was requested. */
    private void requestSnapshot(EmulatorProcess emulator, List<String> tables) throws InterruptedException {
        List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProviderProcess command = run.startProvider(NAME + "-command", List.of(),
                config("snapshot", emulator, List.of(tables.get(0))), (line, at) -> answers.add(line));
        command.awaitReady(BenchRun.READY_TIMEOUT);
        int exit = command.awaitExit(BenchRun.READY_TIMEOUT);
        if (exit != 0 || answers.stream().noneMatch(l -> l.contains("\"requested\""))) {
            throw new BenchException("the snapshot command exited " + exit + " answering " + answers + "; see " + command.stderrLog());
        }
    }

    private static int steady(EmulatorProcess emulator, BenchSettings s, int capacity, LatencyProbe probe, AtomicBoolean stop) {
        try (Connection w = BenchRun.connect(emulator)) {
            Duration longest = Duration.ofMillis(capacity * 1000L / s.latencyRate());
            return SteadyWorkload.run(w, s.latencyRate(), longest, probe, stop::get);
        } catch (java.sql.SQLException e) {
            throw new BenchException("the latency workload failed: " + e.getMessage(), e);
        }
    }

    private static void awaitArrivals(LatencyProbe probe, int written) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (probe.arrived(written) < written && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The snapshot table read chunk by chunk with the provider's own chunk query, as fast as JDBC goes. */
    private static double bareChunkedRead(Connection c, Map<String, Object> d, String key) throws java.sql.SQLException {
        TableName table = new TableName("dbo", BenchSchema.SNAPSHOT_TABLE);
        CaptureInstance ci = Catalog.captureInstances(c).get(Catalog.key(table)).get(0);
        CaptureInstance described = ci.withColumns(Catalog.capturedColumns(c, ci.objectId()));
        TableKey tableKey = TableKey.of(c, table).orElseThrow();
        long t0 = System.nanoTime();
        TableKey.Value end = SnapshotReader.lastKey(c, table, described, tableKey);
        TableKey.Value after = null;
        long read = 0;
        SnapshotReader.Chunk chunk;
        do {
            chunk = SnapshotReader.read(c, table, described, tableKey, after, end, CHUNK);
            read += chunk.rows().size();
            after = chunk.lastKey();
        } while (chunk.rows().size() == CHUNK);
        double secs = (System.nanoTime() - t0) / 1e9;
        d.put(key + "_seconds", DrainScenario.round(secs));
        d.put(key + "_rows", read);
        BenchRun.log("snapshot: bare chunked read of %,d rows took %.2f s", read, secs);
        return secs;
    }

    private static Outcome rateOutcome(SnapshotRows snapshotRows, int rows, double bareSeconds, Map<String, Object> d) {
        String target = String.format(Locale.ROOT, "ratio >= %.1f", RATIO_TARGET);
        long counted = rows - snapshotRows.firstLineRows();
        double seconds = (snapshotRows.lastNanos() - snapshotRows.firstNanos()) / 1e9;
        double rate = counted / seconds;
        double bareRate = rows / bareSeconds;
        double ratio = rate / bareRate;
        d.put("provider_rows_per_second", Math.round(rate));
        d.put("bare_rows_per_second", Math.round(bareRate));
        d.put("ratio", DrainScenario.round(ratio));
        String figure = String.format(Locale.ROOT, "%,d rows: provider %,d/s, bare chunked read %,d/s, ratio %.2f%s",
                rows, Math.round(rate), Math.round(bareRate), ratio,
                Boolean.TRUE.equals(d.get("provider_out_of_memory")) ? ", OutOfMemoryError" : "");
        return new Outcome(NAME, figure, target, Verdict.of(ratio >= RATIO_TARGET && !Boolean.TRUE.equals(d.get("provider_out_of_memory"))), d);
    }

    private static Outcome latencyOutcome(LatencyProbe probe, BenchSettings s, int idleLast, int snapshotFirst, int snapshotLast) {
        String target = String.format(Locale.ROOT, "p99 during <= %.0f x p99 before", LATENCY_FACTOR_TARGET);
        int warm = (int) (s.latencyWarmup().toMillis() * s.latencyRate() / 1000) + 1;
        long[] idle = probe.latencies(Math.min(warm, idleLast), idleLast);
        long[] during = probe.latencies(snapshotFirst, snapshotLast);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("before_transactions", idle.length);
        l.put("during_transactions", during.length);
        if (idle.length == 0 || during.length == 0) {
            return new Outcome(LATENCY, "too few transactions to compare (" + idle.length + " before, " + during.length
                    + " during)", target, Verdict.ERROR, l);
        }
        long idle50 = Percentiles.of(idle).percentile(50) / 1_000_000;
        long idle99 = Percentiles.of(idle).percentile(99) / 1_000_000;
        long during50 = Percentiles.of(during).percentile(50) / 1_000_000;
        long during99 = Percentiles.of(during).percentile(99) / 1_000_000;
        l.put("before_p50_ms", idle50);
        l.put("before_p99_ms", idle99);
        l.put("during_p50_ms", during50);
        l.put("during_p99_ms", during99);
        String figure = String.format(Locale.ROOT, "during the snapshot p50 %d ms, p99 %d ms (%,d tx); before it p50 %d ms, p99 %d ms (%,d tx)",
                during50, during99, during.length, idle50, idle99, idle.length);
        return new Outcome(LATENCY, figure, target, Verdict.of(during99 <= LATENCY_FACTOR_TARGET * Math.max(1, idle99)), l);
    }

    /** Counts snapshot rows as the provider's lines arrive: when the first and last came, and how many the first line held. */
    private static final class SnapshotRows {
        private final AtomicLong count = new AtomicLong();
        private volatile long firstNanos;
        private volatile long lastNanos;
        private volatile long firstLineRows;

        void accept(String line, long at) {
            Matcher m = SNAPSHOT_CHANGE.matcher(line);
            int n = 0;
            while (m.find()) {
                n++;
            }
            if (n == 0) {
                return;
            }
            if (count.get() == 0) {
                firstNanos = at;
                firstLineRows = n;
            }
            lastNanos = at;
            count.addAndGet(n);
        }

        long count() {
            return count.get();
        }

        long firstNanos() {
            return firstNanos;
        }

        long lastNanos() {
            return lastNanos;
        }

        long firstLineRows() {
            return firstLineRows;
        }

        boolean await(long rows, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count.get() < rows && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return count.get() >= rows;
        }
    }
}
