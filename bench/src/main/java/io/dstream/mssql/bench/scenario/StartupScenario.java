package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.Percentiles;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 5: time from spawning the provider to its {@code {"status":"ready"}} line, for one table, repeated;
 * the median is held against the target, the slowest is reported beside it. Two variants, run alternately so
 * that the machine's load weighs on both alike: the jar on this JVM ({@code java -jar}), and the packaged
 * linux_amd64 plugin as DStream runs it ({@code plugin.linux_amd64}: its bundled runtime and class-data-sharing
 * archive), where there is one.
 */
public final class StartupScenario {

    static final String NAME = "startup";
    static final String PACKAGED = "startup packaged";
    public static final List<String> ROWS = List.of(NAME, PACKAGED);

    private final BenchRun run;

    public StartupScenario(BenchRun run) {
        this.run = run;
    }

    public List<Outcome> run() throws Exception {
        try (IdleDatabase db = IdleDatabase.start(run, NAME)) {
            return measure(db.emulator(), db.tables(1));
        }
    }

    private List<Outcome> measure(EmulatorProcess emulator, List<String> tables) throws Exception {
        BenchSettings s = run.settings();
        String line = ProviderConfig.line("run", emulator.connectionString(), tables, Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        boolean packaged = run.packagedPlugin().isPresent() && isLinuxAmd64();
        long[] jar = new long[s.startupRuns()];
        long[] plugin = new long[packaged ? s.startupRuns() : 0];
        for (int i = 0; i < jar.length; i++) {
            jar[i] = readyMillis(run.startProvider(NAME, List.of(), line, LineHandler.IGNORE));
            if (packaged) {
                plugin[i] = readyMillis(run.startPackaged(NAME, line, LineHandler.IGNORE));
            }
        }
        BenchRun.log("startup: jar ready after %s ms; packaged plugin %s ms", Arrays.toString(jar), Arrays.toString(plugin));
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(outcome(NAME, jar, BenchSettings.READY_TARGET, Map.of()));
        if (packaged) {
            outcomes.add(outcome(PACKAGED, plugin, BenchSettings.PACKAGED_READY_TARGET,
                    Map.of("jar_median_ms", Percentiles.of(jar).percentile(50))));
        } else {
            outcomes.add(Outcome.error(PACKAGED, "median < " + BenchSettings.PACKAGED_READY_TARGET.toMillis() + " ms",
                    isLinuxAmd64() ? "no provider/target/dist/plugin.linux_amd64: build it with mvn -B package -DskipTests"
                            : "the packaged plugin bundles a linux_amd64 runtime; this is " + System.getProperty("os.name")
                            + "/" + System.getProperty("os.arch")));
        }
        return outcomes;
    }

    private static long readyMillis(ProviderProcess provider) throws InterruptedException {
        try {
            return provider.awaitReady(BenchRun.READY_TIMEOUT).toMillis();
        } finally {
            provider.stop();
        }
    }

    private static Outcome outcome(String name, long[] millis, Duration target, Map<String, Object> more) {
        Percentiles p = Percentiles.of(millis);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runs", millis.length);
        d.put("ready_ms", millis);
        d.put("median_ms", p.percentile(50));
        d.put("max_ms", p.max());
        d.putAll(more);
        String figure = String.format(Locale.ROOT, "ready after %d ms (median of %d), slowest %d ms",
                p.percentile(50), millis.length, p.max());
        return new Outcome(name, figure, "median < " + target.toMillis() + " ms",
                Verdict.of(p.percentile(50) < target.toMillis()), d);
    }

    private static boolean isLinuxAmd64() {
        return System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
    }
}
