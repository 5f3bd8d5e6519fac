package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.Percentiles;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 5: time from spawning the provider's JVM to its {@code {"status":"ready"}} line, for
 * one table, repeated; the median is held against the target, the slowest is reported beside it.
 */
public final class StartupScenario {

    static final String NAME = "startup";

    private final BenchRun run;

    public StartupScenario(BenchRun run) {
        this.run = run;
    }

    public Outcome run() throws Exception {
        try (IdleDatabase db = IdleDatabase.start(run, NAME)) {
            return measure(db.emulator(), db.tables(1));
        }
    }

    private Outcome measure(EmulatorProcess emulator, List<String> tables) throws Exception {
        BenchSettings s = run.settings();
        String line = ProviderConfig.line("run", emulator.connectionString(), tables, Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        long[] millis = new long[s.startupRuns()];
        for (int i = 0; i < millis.length; i++) {
            ProviderProcess provider = run.startProvider(NAME, List.of(), line, LineHandler.IGNORE);
            try {
                millis[i] = provider.awaitReady(BenchRun.READY_TIMEOUT).toMillis();
            } finally {
                provider.stop();
            }
        }
        Percentiles p = Percentiles.of(millis);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runs", millis.length);
        d.put("ready_ms", millis);
        d.put("median_ms", p.percentile(50));
        d.put("max_ms", p.max());
        BenchRun.log("startup: ready after %s ms", java.util.Arrays.toString(millis));
        String figure = String.format(Locale.ROOT, "ready after %d ms (median of %d), slowest %d ms",
                p.percentile(50), millis.length, p.max());
        String target = "median < " + BenchSettings.READY_TARGET.toMillis() + " ms";
        return new Outcome(NAME, figure, target, Verdict.of(p.percentile(50) < BenchSettings.READY_TARGET.toMillis()), d);
    }
}
