package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.LatencyProbe;
import io.dstream.mssql.bench.measure.Percentiles;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import io.dstream.mssql.bench.workload.BenchSchema;
import io.dstream.mssql.bench.workload.SteadyWorkload;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 3: a steady stream of one-row transactions; commit-to-stdout latency per row. The
 * first seconds are a warm-up (JIT, connection pool, backoff reset) and do not count.
 */
public final class LatencyScenario {

    static final String NAME = "latency";
    private static final long ARRIVAL_GRACE_MS = 15_000;
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final BenchRun run;

    public LatencyScenario(BenchRun run) {
        this.run = run;
    }

    public Outcome run() throws Exception {
        BenchSettings s = run.settings();
        int capacity = (int) (s.latencyDuration().toMillis() * s.latencyRate() / 1000);
        LatencyProbe probe = new LatencyProbe(capacity);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rate_per_second", s.latencyRate());
        d.put("poll_interval", ProviderConfig.goDuration(s.latencyPoll()));
        d.put("capture_latency_ms", s.captureLatency().toMillis());
        String target = String.format(Locale.ROOT, "p99 <= %d ms (poll %d + capture %d + 100)",
                s.latencyTarget().toMillis(), s.latencyPoll().toMillis(), s.captureLatency().toMillis());
        try (EmulatorProcess emulator = run.startEmulator(NAME, s.captureLatency());
             Connection c = BenchRun.connect(emulator)) {
            BenchSchema.createLatencyTable(c);
            run.initCheckpoints(NAME, emulator, BenchSchema.LATENCY_TABLE);
            String line = ProviderConfig.line("run", emulator.connectionString(), List.of(BenchSchema.LATENCY_TABLE),
                    s.latencyPoll(), MAX_POLL);
            ProviderProcess provider = run.startProvider(NAME, List.of(), line, probe::accept);
            int written;
            try {
                provider.awaitReady(BenchRun.READY_TIMEOUT);
                BenchRun.log("latency: %d transactions/s for %d s", s.latencyRate(), s.latencyDuration().toSeconds());
                long requests0 = emulator.requestCount();
                long lines0 = probe.lines();
                long t0 = System.nanoTime();
                written = SteadyWorkload.run(c, s.latencyRate(), s.latencyDuration(), probe);
                double secs = (System.nanoTime() - t0) / 1e9;
                long lines = probe.lines() - lines0;
                d.put("achieved_rate_per_second", Math.round(written / secs * 10) / 10.0);
                // Every poll that finds changes writes a line: lines/s is the provider's actual poll rate
                // (1 / poll_interval at best); the requests exclude the workload's own INSERTs.
                d.put("provider_lines_per_second", Math.round(lines / secs * 10) / 10.0);
                d.put("changes_per_line", lines == 0 ? 0 : Math.round(written * 10.0 / lines) / 10.0);
                d.put("provider_requests_per_second",
                        Math.round((emulator.requestCount() - requests0 - written) / secs * 10) / 10.0);
                awaitArrivals(probe, written);
            } finally {
                d.put("provider_exit_code", provider.stop());
            }
            int firstCounted = (int) (s.latencyWarmup().toMillis() * s.latencyRate() / 1000) + 1;
            long[] latencies = probe.latencies(firstCounted, written);
            d.put("transactions", written);
            d.put("counted", latencies.length);
            d.put("missing", written - firstCounted + 1 - latencies.length);
            if (latencies.length == 0) {
                return new Outcome(NAME, "no change arrived on stdout", target, Verdict.ERROR, d);
            }
            Percentiles p = Percentiles.of(latencies);
            long p50 = p.percentile(50) / 1_000_000;
            long p99 = p.percentile(99) / 1_000_000;
            long max = p.max() / 1_000_000;
            d.put("p50_ms", p50);
            d.put("p99_ms", p99);
            d.put("max_ms", max);
            BenchRun.log("latency: p50 %d ms, p99 %d ms, max %d ms over %d transactions; the provider wrote %s lines/s "
                    + "and sent %s requests/s", p50, p99, max, latencies.length, d.get("provider_lines_per_second"),
                    d.get("provider_requests_per_second"));
            String figure = String.format(Locale.ROOT, "p50 %d ms, p99 %d ms, max %d ms (%,d tx at %s/s)",
                    p50, p99, max, latencies.length, d.get("achieved_rate_per_second"));
            boolean complete = latencies.length == written - firstCounted + 1;
            return new Outcome(NAME, complete ? figure : figure + ", " + d.get("missing") + " never arrived", target,
                    Verdict.of(complete && p99 <= s.latencyTarget().toMillis()), d);
        }
    }

    private static void awaitArrivals(LatencyProbe probe, int written) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ARRIVAL_GRACE_MS;
        while (probe.arrived(written) < written && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
