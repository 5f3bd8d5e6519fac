package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
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
 * The window starts only after the backoff has had time to reach {@code max_poll_interval}.
 */
public final class IdleScenario {

    static final String NAME = "idle";

    private final BenchRun run;
    private final EmulatorProcess emulator;
    private final List<String> tables;

    /** {@code tables} exist with CDC on, as many as the largest count, and the checkpoint table exists. */
    public IdleScenario(BenchRun run, EmulatorProcess emulator, List<String> tables) {
        this.run = run;
        this.emulator = emulator;
        this.tables = tables;
    }

    public Outcome run() throws Exception {
        BenchSettings s = run.settings();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("poll_interval", ProviderConfig.goDuration(s.idlePoll()));
        d.put("max_poll_interval", ProviderConfig.goDuration(s.idleMaxPoll()));
        d.put("window_seconds", s.idleWindow().toSeconds());
        Map<Integer, Double> perMinute = new LinkedHashMap<>();
        for (int count : s.idleTableCounts()) {
            double rate = measure(tables.subList(0, count));
            perMinute.put(count, rate);
            d.put("statements_per_minute_" + count + "_tables", round1(rate));
            BenchRun.log("idle: %d table(s): %.1f statements/min", count, rate);
        }
        List<String> parts = new ArrayList<>();
        perMinute.forEach((n, r) -> parts.add(String.format(Locale.ROOT, "%d table%s %.0f/min", n, n == 1 ? "" : "s", r)));
        int most = s.idleTableCounts().get(s.idleTableCounts().size() - 1);
        int least = s.idleTableCounts().get(0);
        double allowed = perMinute.get(least) + BenchSettings.IDLE_ALLOWANCE_PER_MINUTE;
        String target = String.format(Locale.ROOT, "%d tables <= %d table's + %.0f/min", most, least,
                BenchSettings.IDLE_ALLOWANCE_PER_MINUTE);
        return new Outcome(NAME, "statements: " + String.join(", ", parts), target,
                Verdict.of(perMinute.get(most) <= allowed), d);
    }

    private double measure(List<String> watched) throws Exception {
        BenchSettings s = run.settings();
        String line = ProviderConfig.line("run", emulator.connectionString(), watched, s.idlePoll(), s.idleMaxPoll());
        ProviderProcess provider = run.startProvider(NAME + "-" + watched.size(), List.of(), line, LineHandler.IGNORE);
        try {
            provider.awaitReady(BenchRun.READY_TIMEOUT);
            Thread.sleep(s.idleSettle().toMillis());
            long before = emulator.requestCount();
            long t0 = System.nanoTime();
            Thread.sleep(s.idleWindow().toMillis());
            long after = emulator.requestCount();
            double minutes = (System.nanoTime() - t0) / 60e9;
            return (after - before) / minutes;
        } finally {
            provider.stop();
        }
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
