package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.ChangeCounter;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.GcLog;
import io.dstream.mssql.bench.process.ProcStatus;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import io.dstream.mssql.bench.workload.BacklogLoader;
import io.dstream.mssql.bench.workload.BareReader;
import io.dstream.mssql.bench.workload.BenchSchema;
import io.dstream.mssql.bench.workload.PagedReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenarios 1 and 4: a captured backlog drained by the provider (under a small heap), against a
 * bare JDBC read of the same change rows from the same emulator in the same run. The bare read
 * runs before and after the provider; the faster of the two is the baseline, so the ratio never
 * flatters the provider with a cold first read.
 */
public final class DrainScenario {

    static final String NAME = "drain";
    static final String FOOTPRINT = "footprint";
    private static final Duration CAPTURE_TIMEOUT = Duration.ofMinutes(15);
    static final long CAPTURE_EVERY = 100_000;
    private static final long DRAIN_TIMEOUT_MINUTES = 30;

    private final BenchRun run;

    public DrainScenario(BenchRun run) {
        this.run = run;
    }

    public List<Outcome> run() throws Exception {
        BenchSettings s = run.settings();
        int perTable = s.drainChanges() / s.drainTables();
        BacklogLoader.Mix mix = BacklogLoader.Mix.of(perTable);
        long expected = (long) mix.total() * s.drainTables();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changes", expected);
        d.put("tables", s.drainTables());
        d.put("change_rows", (long) mix.changeRows() * s.drainTables());
        try (EmulatorProcess emulator = run.startEmulator(NAME, Duration.ZERO);
             Connection c = BenchRun.connect(emulator)) {
            List<String> tables = BenchSchema.createBacklogTables(c, s.drainTables());
            populate(emulator, c, tables, perTable, d);
            run.initCheckpoints(NAME, emulator, tables.get(0));

            double bare1 = bareRead(c, tables, d, "bare_read_1");
            ProviderProcess provider = drain(emulator, tables, expected, d);
            double bare2 = bareRead(c, tables, d, "bare_read_2");
            pagedRead(c, tables, d);
            return List.of(drainOutcome(expected, Math.min(bare1, bare2), d), footprintOutcome(provider, d));
        }
    }

    /**
     * Writes the backlog with the capture job paused, letting it catch up every
     * {@value #CAPTURE_EVERY} changes: the emulator holds paused transactions in memory, and a
     * million of them at once would need a far larger heap than the captured rows do.
     */
    private static void populate(EmulatorProcess emulator, Connection c, List<String> tables, int perTable,
                                 Map<String, Object> d) {
        BenchRun.log("drain: writing %,d changes per table into %d tables with capture paused", perTable, tables.size());
        Population population = new Population(emulator);
        emulator.pauseCapture();
        try {
            BacklogLoader.load(c, tables, perTable, population::written);
        } catch (java.sql.SQLException e) {
            throw new io.dstream.mssql.bench.process.BenchException("could not write the backlog: " + e.getMessage(), e);
        }
        population.captureAll();
        d.put("populate_seconds", round(population.writeSeconds()));
        d.put("capture_seconds", round(population.captureSeconds()));
        BenchRun.log("drain: written in %.1f s, captured in %.1f s", population.writeSeconds(), population.captureSeconds());
    }

    /** Time spent writing and time spent waiting for the capture job, kept apart. */
    private static final class Population {
        private final EmulatorProcess emulator;
        private final long start = System.nanoTime();
        private long captureNanos;
        private long capturedUpTo;
        private long end;

        Population(EmulatorProcess emulator) {
            this.emulator = emulator;
        }

        void written(long changes) {
            if (changes - capturedUpTo >= CAPTURE_EVERY) {
                capturedUpTo = changes;
                capture();
                BenchRun.log("drain: %,d changes written and captured", changes);
                emulator.pauseCapture();
            }
        }

        void captureAll() {
            capture();
            end = System.nanoTime();
        }

        private void capture() {
            long t0 = System.nanoTime();
            emulator.resumeCapture();
            emulator.awaitCaptured(CAPTURE_TIMEOUT);
            captureNanos += System.nanoTime() - t0;
        }

        double writeSeconds() {
            return seconds(end - start - captureNanos);
        }

        double captureSeconds() {
            return seconds(captureNanos);
        }
    }

    private static double bareRead(Connection c, List<String> tables, Map<String, Object> d, String key)
            throws java.sql.SQLException {
        long t0 = System.nanoTime();
        long rows = BareReader.readAll(c, tables);
        double secs = seconds(System.nanoTime() - t0);
        d.put(key + "_seconds", round(secs));
        d.put(key + "_rows", rows);
        BenchRun.log("drain: bare JDBC read of %,d change rows took %.2f s", rows, secs);
        return secs;
    }

    /** Diagnostic only (see {@link PagedReader}): splits the gap into query shape and provider. */
    private static void pagedRead(Connection c, List<String> tables, Map<String, Object> d) throws java.sql.SQLException {
        long t0 = System.nanoTime();
        long rows = PagedReader.readAll(c, tables);
        double secs = seconds(System.nanoTime() - t0);
        d.put("paged_read_seconds", round(secs));
        d.put("paged_read_rows", rows);
        BenchRun.log("drain: paged JDBC read (the provider's query, 5000 rows a page) of %,d change rows took %.2f s", rows, secs);
    }

    private ProviderProcess drain(EmulatorProcess emulator, List<String> tables, long expected, Map<String, Object> d)
            throws Exception {
        BenchSettings s = run.settings();
        Path gcLog = run.workDir().resolve("drain-provider-gc.log");
        List<String> jvm = List.of(s.providerHeap(), "-Xlog:gc:file=" + gcLog);
        String line = ProviderConfig.line("run", emulator.connectionString(), tables,
                Duration.ofMillis(100), Duration.ofSeconds(1));
        ChangeCounter counter = new ChangeCounter(expected);
        double emulatorCpu0 = ProcStatus.cpuSeconds(emulator.pid());
        ProviderProcess provider = run.startProvider(NAME, jvm, line, counter::accept);
        try {
            Duration ready = provider.awaitReady(BenchRun.READY_TIMEOUT);
            d.put("provider_ready_ms", ready.toMillis());
            BenchRun.log("drain: provider ready in %d ms, draining %,d changes", ready.toMillis(), expected);
            boolean done = counter.await(DRAIN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            long end = done ? counter.reachedAtNanos() : System.nanoTime();
            double secs = seconds(end - provider.readyNanos());
            d.put("drained", done);
            d.put("provider_changes", counter.changes());
            d.put("provider_lines", counter.lines());
            d.put("provider_stdout_mb", round(counter.chars() / 1e6));
            d.put("provider_seconds", round(secs));
            d.put("provider_cpu_seconds", round(ProcStatus.cpuSeconds(provider.pid())));
            d.put("emulator_cpu_seconds", round(ProcStatus.cpuSeconds(emulator.pid()) - emulatorCpu0));
            d.put("provider_peak_rss_mb", ProcStatus.peakRssKb(provider.pid()).orElse(-1) / 1024);
            BenchRun.log("drain: provider wrote %,d changes in %,d lines in %.2f s", counter.changes(), counter.lines(), secs);
        } finally {
            d.put("provider_exit_code", provider.stop());
        }
        GcLog gc = GcLog.read(gcLog);
        d.put("provider_gc_collections", gc.collections());
        d.put("provider_peak_heap_used_mb", gc.peakUsedMb());
        d.put("provider_peak_heap_live_mb", gc.peakLiveMb());
        d.put("provider_out_of_memory", provider.ranOutOfMemory());
        return provider;
    }

    private static Outcome drainOutcome(long expected, double bareSeconds, Map<String, Object> d) {
        String target = String.format(Locale.ROOT, "ratio >= %.2f", BenchSettings.DRAIN_RATIO_TARGET);
        if (!Boolean.TRUE.equals(d.get("drained"))) {
            return new Outcome(NAME, String.format(Locale.ROOT, "incomplete: %,d of %,d changes arrived",
                    (Long) d.get("provider_changes"), expected), target, Verdict.ERROR, d);
        }
        double providerSeconds = (Double) d.get("provider_seconds");
        double providerRate = expected / providerSeconds;
        double bareRate = expected / bareSeconds;
        double ratio = providerRate / bareRate;
        d.put("provider_changes_per_second", Math.round(providerRate));
        d.put("bare_changes_per_second", Math.round(bareRate));
        d.put("ratio", round(ratio));
        double pagedRate = expected / (Double) d.get("paged_read_seconds");
        d.put("paged_changes_per_second", Math.round(pagedRate));
        String figure = String.format(Locale.ROOT, "%,d changes: provider %,d/s, bare read %,d/s (paged %,d/s), ratio %.2f",
                expected, Math.round(providerRate), Math.round(bareRate), Math.round(pagedRate), ratio);
        return new Outcome(NAME, figure, target, Verdict.of(ratio >= BenchSettings.DRAIN_RATIO_TARGET), d);
    }

    private Outcome footprintOutcome(ProviderProcess provider, Map<String, Object> d) {
        String heap = run.settings().providerHeap();
        String target = "drain completes within " + heap;
        boolean ok = Boolean.TRUE.equals(d.get("drained")) && !provider.ranOutOfMemory();
        Map<String, Object> f = new LinkedHashMap<>();
        for (String key : List.of("provider_peak_rss_mb", "provider_peak_heap_used_mb", "provider_peak_heap_live_mb",
                "provider_gc_collections", "provider_out_of_memory", "provider_exit_code")) {
            f.put(key, d.get(key));
        }
        f.put("heap_limit", heap);
        String figure = String.format(Locale.ROOT, "peak RSS %d MB, heap peak %d MB used / %d MB live after GC%s",
                (Long) d.get("provider_peak_rss_mb"), (Long) d.get("provider_peak_heap_used_mb"),
                (Long) d.get("provider_peak_heap_live_mb"), provider.ranOutOfMemory() ? ", OutOfMemoryError" : "");
        return new Outcome(FOOTPRINT, figure, target, Verdict.of(ok), f);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
