package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import io.dstream.mssql.ingester.config.ConfigKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 2: statements per minute the provider sends while nothing changes, for 1, 10 and 100
 * CDC tables. The emulator counts every request it serves (SQL batch or RPC), and the bench sends
 * none of its own during the window, so the difference of two counts is the provider's traffic.
 * The window starts only after the provider has settled (see {@link #settle}).
 */
public final class IdleScenario {

    static final String NAME = "idle";

    private final BenchRun run;

    public IdleScenario(BenchRun run) {
        this.run = run;
    }

    public Outcome run() throws Exception {
        BenchSettings s = run.settings();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("poll_interval", ProviderConfig.goDuration(s.idlePoll()));
        d.put("max_poll_interval", ProviderConfig.goDuration(s.idleMaxPoll()));
        d.put("settle_seconds", settle(s).toMillis() / 1000.0);
        d.put("window_seconds", s.idleWindow().toSeconds());
        Map<Integer, Double> perMinute = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        try (IdleDatabase db = IdleDatabase.start(run, NAME)) {
            for (int count : s.idleTableCounts()) {
                String label = count + (count == 1 ? " table" : " tables");
                try {
                    double rate = measure(db, count);
                    perMinute.put(count, rate);
                    d.put("statements_per_minute_" + count + "_tables", Math.round(rate * 10) / 10.0);
                    parts.add(String.format(Locale.ROOT, "%s %.0f/min", label, rate));
                    BenchRun.log("idle: %s: %.1f statements/min", label, rate);
                } catch (RuntimeException e) {
                    d.put("error_" + count + "_tables", e.getMessage());
                    parts.add(label + " failed");
                    BenchRun.log("idle: %s failed: %s", label, e.getMessage());
                }
            }
        }
        int least = s.idleTableCounts().get(0);
        int most = s.idleTableCounts().get(s.idleTableCounts().size() - 1);
        String target = String.format(Locale.ROOT, "%d tables <= %d table's + %.0f/min", most, least,
                BenchSettings.IDLE_ALLOWANCE_PER_MINUTE);
        String figure = "statements: " + String.join(", ", parts);
        if (!perMinute.containsKey(least) || !perMinute.containsKey(most)) {
            return new Outcome(NAME, figure, target, Verdict.ERROR, d);
        }
        boolean met = perMinute.get(most) <= perMinute.get(least) + BenchSettings.IDLE_ALLOWANCE_PER_MINUTE;
        return new Outcome(NAME, figure, target, Verdict.of(met), d);
    }

    /**
     * How long after ready the window starts: the time the backoff needs to reach
     * {@code max_poll_interval}, plus the provider's default {@code checkpoint_delay} and one more
     * {@code max_poll_interval}. A table without a checkpoint saves its first one on the first poll
     * after {@code checkpoint_delay} has passed since it was loaded (after ready): three statements of
     * start-up work per table which, counted in the window, would pass for an idle cost growing with
     * the number of tables.
     */
    static Duration settle(BenchSettings s) {
        return s.idleSettle().plus(ConfigKeys.CHECKPOINT_DELAY.defaultValue().duration()).plus(s.idleMaxPoll());
    }

    private double measure(IdleDatabase db, int count) throws Exception {
        BenchSettings s = run.settings();
        String line = ProviderConfig.line("run", db.emulator().connectionString(), db.tables(count), s.idlePoll(),
                s.idleMaxPoll());
        ProviderProcess provider = run.startProvider(NAME + "-" + count, List.of(), line, LineHandler.IGNORE);
        try {
            provider.awaitReady(BenchRun.READY_TIMEOUT);
            return statementsPerMinute(s, db.emulator());
        } finally {
            provider.stop();
        }
    }

    /**
     * The requests a ready provider sends the emulator per minute once it has settled: the idle
     * figure, here and in the scale scenario. Nothing else may talk to the emulator meanwhile.
     */
    static double statementsPerMinute(BenchSettings s, EmulatorProcess emulator) throws InterruptedException {
        Thread.sleep(settle(s).toMillis());
        long before = emulator.requestCount();
        long t0 = System.nanoTime();
        Thread.sleep(s.idleWindow().toMillis());
        long after = emulator.requestCount();
        double minutes = (System.nanoTime() - t0) / 60e9;
        return (after - before) / minutes;
    }
}
