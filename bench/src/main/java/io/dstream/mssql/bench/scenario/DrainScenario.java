package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.ChangeCounter;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.GcLog;
import io.dstream.mssql.bench.process.Jvm;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenarios 1 and 4: a captured backlog drained by the provider (under a small heap), against a
 * bare JDBC read of the same change rows from the same emulator in the same run. The bare read
 * runs before and after the provider; the faster of the two is the baseline, so the ratio never
 * flatters the provider with a cold first read. With a warm-up, the backlog holds the warm-up's
 * changes first and the measured ones after them; the provider drains them all in one process and
 * its rate is taken from the moment the warm-up's last change arrived. Beside the rate: the
 * provider's CPU (utime + stime from {@code /proc}) per million changes for the whole process, its
 * marginal CPU per change past the start, and its GC pauses.
 */
public final class DrainScenario {

    static final String NAME = "drain";
    static final String CPU = "cpu";
    static final String MARGINAL = "marginal cpu";
    static final String FOOTPRINT = "footprint";
    /** The rows this scenario reports, in order; a failed run reports each as an error. */
    public static final List<String> ROWS = List.of(NAME, CPU, MARGINAL, FOOTPRINT);
    private static final Duration CAPTURE_TIMEOUT = Duration.ofMinutes(15);
    static final long CAPTURE_EVERY = 100_000;
    private static final long DRAIN_TIMEOUT_MINUTES = 30;

    private final BenchRun run;

    public DrainScenario(BenchRun run) {
        this.run = run;
    }

    public List<Outcome> run() throws Exception {
        BenchSettings s = run.settings();
        int perTable = (s.drainChanges() + s.drainWarmup()) / s.drainTables();
        BacklogLoader.Mix mix = BacklogLoader.Mix.of(perTable);
        long total = (long) mix.total() * s.drainTables();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changes", total - s.drainWarmup());
        d.put("warmup_changes", s.drainWarmup());
        d.put("tables", s.drainTables());
        d.put("change_rows", (long) mix.changeRows() * s.drainTables());
        try (EmulatorProcess emulator = run.startEmulator(NAME, Duration.ZERO);
             Connection c = BenchRun.connect(emulator)) {
            List<String> tables = BenchSchema.createBacklogTables(c, s.drainTables());
            populate(emulator, c, tables, perTable, d);
            run.initCheckpoints(NAME, emulator, tables.get(0));

            double bare1 = bareRead(c, tables, d, "bare_read_1");
            Drained drained = drain(emulator, tables, total, d);
            double bare2 = bareRead(c, tables, d, "bare_read_2");
            pagedRead(c, tables, d);
            return List.of(drainOutcome(drained, total, Math.min(bare1, bare2), d), cpuOutcome(drained, d),
                    marginalOutcome(drained, d), footprintOutcome(drained.provider(), d));
        }
    }

    /**
     * Writes the backlog with the capture job paused, letting it catch up every
     * {@value #CAPTURE_EVERY} changes: the emulator holds paused transactions in memory, and a
     * million of them at once would need a far larger heap than the captured rows do.
     */
    static void populate(EmulatorProcess emulator, Connection c, List<String> tables, int perTable,
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

    /**
     * The provider's run over the backlog: the marks where the measured drain starts (after the
     * warm-up, or at the ready line without one), where the marginal cost starts, and the end.
     */
    record Drained(ProviderProcess provider, ChangeCounter.Mark start, ChangeCounter.Mark marginalStart,
                   ChangeCounter.Mark end) {

        boolean complete() {
            return end != null;
        }
    }

    private Drained drain(EmulatorProcess emulator, List<String> tables, long total, Map<String, Object> d)
            throws Exception {
        BenchSettings s = run.settings();
        Path gcLog = run.workDir().resolve("drain-provider-gc.log");
        List<String> jvm = List.of(s.providerHeap(), "-Xlog:gc:file=" + gcLog);
        String line = ProviderConfig.line("run", emulator.connectionString(), tables,
                Duration.ofMillis(100), Duration.ofSeconds(1));
        long warmup = s.drainWarmup();
        long marginalFrom = warmup + s.marginalFrom();
        // The counter reads the provider's CPU on its own thread at each mark; the pid is set right
        // after the spawn, long before the provider can have read its config and printed a change.
        AtomicLong pid = new AtomicLong(-1);
        ChangeCounter counter = new ChangeCounter(total, () -> ProcStatus.cpuSeconds(pid.get()), warmup, marginalFrom);
        double emulatorCpu0 = ProcStatus.cpuSeconds(emulator.pid());
        ProviderProcess provider = run.startProvider(NAME, jvm, line, counter::accept);
        pid.set(provider.pid());
        ChangeCounter.Mark start;
        try {
            Duration ready = provider.awaitReady(BenchRun.READY_TIMEOUT);
            start = new ChangeCounter.Mark(0, provider.readyNanos(), ProcStatus.cpuSeconds(provider.pid()));
            d.put("provider_ready_ms", ready.toMillis());
            d.put("provider_cpu_seconds_at_ready", round(start.cpuSeconds()));
            BenchRun.log("drain: provider ready in %d ms, draining %,d changes (the first %,d a warm-up)", ready.toMillis(),
                    total, warmup);
            Thread midDrainGc = midDrainFullGc(provider, counter, warmup + (total - warmup) / 2);
            boolean done = counter.await(DRAIN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            midDrainGc.interrupt();
            long end = done ? counter.reachedAtNanos() : System.nanoTime();
            d.put("drained", done);
            d.put("provider_changes", counter.changes());
            d.put("provider_lines", counter.lines());
            d.put("provider_stdout_mb", round(counter.chars() / 1e6));
            d.put("provider_seconds_from_ready", round(seconds(end - provider.readyNanos())));
            d.put("emulator_cpu_seconds", round(ProcStatus.cpuSeconds(emulator.pid()) - emulatorCpu0));
            d.put("provider_peak_rss_mb", ProcStatus.peakRssKb(provider.pid()).orElse(-1) / 1024);
            BenchRun.log("drain: provider wrote %,d changes in %,d lines in %.2f s from ready", counter.changes(),
                    counter.lines(), seconds(end - provider.readyNanos()));
        } finally {
            d.put("provider_exit_code", provider.stop());
        }
        GcLog gc = GcLog.read(gcLog);
        d.put("provider_gc_collections", gc.collections());
        d.put("provider_gc_pause_ms", Math.round(gc.pauseMillis()));
        d.put("provider_peak_heap_used_mb", gc.peakUsedMb());
        d.put("provider_peak_heap_live_mb", gc.peakLiveMb());
        d.put("provider_live_heap_mid_drain_mb", gc.liveAfterFullMb());
        d.put("provider_out_of_memory", provider.ranOutOfMemory());
        if (warmup > 0) {
            start = counter.at(warmup).orElse(null);
        }
        return new Drained(provider, start, counter.at(marginalFrom).orElse(null), counter.at(total).orElse(null));
    }

    /**
     * Halfway through the measured drain, one full collection of the provider ({@code jcmd GC.run}): what it
     * leaves is the live set with pages in flight and read-ahead on. It costs the drain one pause (tens of
     * milliseconds) and its CPU.
     */
    private static Thread midDrainFullGc(ProviderProcess provider, ChangeCounter counter, long atChange) {
        Thread t = new Thread(() -> {
            try {
                while (counter.changes() < atChange) {
                    Thread.sleep(20);
                }
                if (!Jvm.fullGc(provider.pid())) {
                    BenchRun.log("drain: jcmd GC.run failed; no mid-drain live heap figure");
                }
            } catch (InterruptedException e) {
                // the drain ended (or failed) before the halfway mark
            }
        }, "mid-drain-gc");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Outcome drainOutcome(Drained drained, long total, double bareSeconds, Map<String, Object> d) {
        String target = String.format(Locale.ROOT, "ratio >= %.2f", BenchSettings.DRAIN_RATIO_TARGET);
        if (!drained.complete()) {
            return new Outcome(NAME, String.format(Locale.ROOT, "incomplete: %,d of %,d changes arrived",
                    (Long) d.get("provider_changes"), total), target, Verdict.ERROR, d);
        }
        long measured = drained.end().changes() - drained.start().changes();
        double providerSeconds = seconds(drained.end().nanos() - drained.start().nanos());
        double providerRate = measured / providerSeconds;
        double bareRate = total / bareSeconds;
        double ratio = providerRate / bareRate;
        d.put("provider_measured_changes", measured);
        d.put("provider_seconds", round(providerSeconds));
        d.put("provider_changes_per_second", Math.round(providerRate));
        d.put("bare_changes_per_second", Math.round(bareRate));
        d.put("ratio", round(ratio));
        double pagedRate = total / (Double) d.get("paged_read_seconds");
        d.put("paged_changes_per_second", Math.round(pagedRate));
        d.put("paged_ratio", round(providerRate / pagedRate));
        String warm = run.settings().drainWarmup() > 0
                ? String.format(Locale.ROOT, " after %,d warm-up", run.settings().drainWarmup()) : "";
        String figure = String.format(Locale.ROOT, "%,d changes%s: provider %,d/s, bare read %,d/s (paged %,d/s), ratio %.2f",
                measured, warm, Math.round(providerRate), Math.round(bareRate), Math.round(pagedRate), ratio);
        return new Outcome(NAME, figure, target, Verdict.of(ratio >= BenchSettings.DRAIN_RATIO_TARGET), d);
    }

    /** The provider process's CPU from its spawn to the last change, per million changes it wrote, and its GC pauses. */
    private Outcome cpuOutcome(Drained drained, Map<String, Object> d) {
        String target = String.format(Locale.ROOT, "<= %.0f s per 1M changes", BenchSettings.CPU_SECONDS_PER_MILLION_TARGET);
        if (!drained.complete() || Double.isNaN(drained.end().cpuSeconds())) {
            return Outcome.error(CPU, target, drained.complete() ? "the provider's /proc/<pid>/stat was unreadable"
                    : "the drain did not complete");
        }
        ChangeCounter.Mark end = drained.end();
        double perMillion = end.cpuSeconds() / end.changes() * 1e6;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("provider_cpu_seconds", round(end.cpuSeconds()));
        c.put("provider_changes", end.changes());
        c.put("provider_cpu_seconds_per_million", round(perMillion));
        c.put("provider_cpu_seconds_at_ready", d.get("provider_cpu_seconds_at_ready"));
        c.put("provider_gc_pause_ms", d.get("provider_gc_pause_ms"));
        c.put("provider_gc_collections", d.get("provider_gc_collections"));
        String scope = run.settings().drainWarmup() > 0 ? "whole process incl. JVM start and warm-up" : "whole process";
        String figure = String.format(Locale.ROOT, "%.1f s per 1M changes (%.2f s for %,d, %s), GC pauses %,d ms",
                perMillion, end.cpuSeconds(), end.changes(), scope, (Long) d.get("provider_gc_pause_ms"));
        return new Outcome(CPU, figure, target, Verdict.of(perMillion <= BenchSettings.CPU_SECONDS_PER_MILLION_TARGET), c);
    }

    /** CPU per change between the marginal mark and the last change: the cost of one more change, start-up excluded. */
    private Outcome marginalOutcome(Drained drained, Map<String, Object> d) {
        String target = String.format(Locale.ROOT, "<= %.0f µs per change", BenchSettings.MARGINAL_MICROS_TARGET);
        if (!drained.complete() || drained.marginalStart() == null || Double.isNaN(drained.end().cpuSeconds())) {
            return Outcome.error(MARGINAL, target, "the drain did not complete or its CPU was unreadable");
        }
        ChangeCounter.Mark from = drained.marginalStart();
        ChangeCounter.Mark end = drained.end();
        long changes = end.changes() - from.changes();
        double cpu = end.cpuSeconds() - from.cpuSeconds();
        double micros = cpu / changes * 1e6;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from_change", from.changes());
        m.put("to_change", end.changes());
        m.put("cpu_seconds", round(cpu));
        m.put("micros_per_change", round(micros));
        BenchSettings s = run.settings();
        String rule = s.marginalFrom() < BenchSettings.MARGINAL_FROM_CHANGE ? "10 % of the backlog" : "";
        String after = s.drainWarmup() > 0 ? (rule.isEmpty() ? "warm-up" : "warm-up + " + rule) : rule;
        String figure = String.format(Locale.ROOT, "%.1f µs per change: %.2f s CPU over changes %,d to %,d%s",
                micros, cpu, from.changes(), end.changes(), after.isEmpty() ? "" : " (from " + after + ")");
        return new Outcome(MARGINAL, figure, target, Verdict.of(micros <= BenchSettings.MARGINAL_MICROS_TARGET), m);
    }

    private Outcome footprintOutcome(ProviderProcess provider, Map<String, Object> d) {
        String heap = run.settings().providerHeap();
        String target = "drain completes within " + heap + ", live heap <= " + BenchSettings.LIVE_HEAP_MB_TARGET + " MB";
        long live = (Long) d.get("provider_live_heap_mid_drain_mb");
        boolean ok = Boolean.TRUE.equals(d.get("drained")) && !provider.ranOutOfMemory()
                && live >= 0 && live <= BenchSettings.LIVE_HEAP_MB_TARGET;
        Map<String, Object> f = new LinkedHashMap<>();
        for (String key : List.of("provider_peak_rss_mb", "provider_peak_heap_used_mb", "provider_peak_heap_live_mb",
                "provider_live_heap_mid_drain_mb",
                "provider_gc_collections", "provider_gc_pause_ms", "provider_out_of_memory", "provider_exit_code")) {
            f.put(key, d.get(key));
        }
        f.put("heap_limit", heap);
        String figure = String.format(Locale.ROOT, "peak RSS %d MB, heap peak %d MB used, %s after a full GC mid-drain "
                        + "(%d MB after any GC)%s",
                (Long) d.get("provider_peak_rss_mb"), (Long) d.get("provider_peak_heap_used_mb"),
                live >= 0 ? live + " MB live" : "no figure", (Long) d.get("provider_peak_heap_live_mb"),
                provider.ranOutOfMemory() ? ", OutOfMemoryError" : "");
        return new Outcome(FOOTPRINT, figure, target, Verdict.of(ok), f);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
