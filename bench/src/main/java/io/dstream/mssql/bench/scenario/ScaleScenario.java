package io.dstream.mssql.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 7: one provider watching every table of a database with many CDC tables (1,000; 200 in
 * quick mode): its time to {@code {"status":"ready"}}, and its idle statements per minute against
 * those of a provider watching one table of the same database, counted the idle scenario's way.
 * The one-table figure is measured first, while the database holds that table only, as the idle
 * scenario's one-table figure is. A provider that does not become ready is a missed target, and
 * the row carries its own error message.
 */
public final class ScaleScenario {

    static final String NAME = "scale";
    static final String IDLE = "scale idle";
    /** The rows this scenario reports, in order; a failed run reports each as an error. */
    public static final List<String> ROWS = List.of(NAME, IDLE);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final BenchRun run;

    public ScaleScenario(BenchRun run) {
        this.run = run;
    }

    public List<Outcome> run() throws Exception {
        BenchSettings s = run.settings();
        int count = s.scaleTables();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tables", count);
        d.put("poll_interval", ProviderConfig.goDuration(s.idlePoll()));
        d.put("max_poll_interval", ProviderConfig.goDuration(s.idleMaxPoll()));
        d.put("settle_seconds", IdleScenario.settle(s).toMillis() / 1000.0);
        d.put("window_seconds", s.idleWindow().toSeconds());
        try (IdleDatabase db = IdleDatabase.start(run, NAME)) {
            double oneTable = idleOnOneTable(db);
            d.put("statements_per_minute_1_table", round1(oneTable));

            long t0 = System.nanoTime();
            List<String> tables = db.tables(count);
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            d.put("setup_seconds", DrainScenario.round(setupSeconds));
            BenchRun.log("scale: created %,d more CDC tables in one batch in %.1f s", count - 1, setupSeconds);

            Started started = start(db, tables);
            d.putAll(started.details());
            if (!started.ready()) {
                d.put("provider_exit_code", exitCode(started.provider()));
                return notReady(count, setupSeconds, started, d);
            }
            double many;
            try {
                many = IdleScenario.statementsPerMinute(s, db.emulator());
            } finally {
                d.put("provider_exit_code", started.provider().stop());
            }
            d.put("statements_per_minute_" + count + "_tables", round1(many));
            BenchRun.log("scale: %,d tables: %.1f statements/min idle (1 table: %.1f)", count, many, oneTable);
            return List.of(readyOutcome(count, setupSeconds, started, d), idleOutcome(count, oneTable, many, d));
        }
    }

    /** The provider started on {@code tables}, whether it became ready, and what it said if not. */
    private record Started(ProviderProcess provider, ProviderProcess.FirstLine first, Map<String, Object> details) {

        boolean ready() {
            return first.ready();
        }

        String message() {
            return errorMessage(first.text());
        }
    }

    /** The provider's own message from its {@code {"status":"error"}} line, else the line itself. */
    static String errorMessage(String firstLine) {
        if (firstLine == null) {
            return "the provider exited without a line";
        }
        try {
            JsonNode message = JSON.readTree(firstLine).path("message");
            return message.isTextual() ? message.asText() : firstLine;
        } catch (java.io.IOException e) {
            return firstLine;
        }
    }

    /**
     * Starts a provider on {@code tables} and waits for its first line. Silence past the DStream
     * CLI's 30 s is an answer too: the provider is stopped and the line reads as that silence.
     */
    private Started start(IdleDatabase db, List<String> tables) throws Exception {
        BenchSettings s = run.settings();
        String line = ProviderConfig.line("run", db.emulator().connectionString(), tables, s.idlePoll(), s.idleMaxPoll());
        ProviderProcess provider = run.startProvider(NAME + "-" + tables.size(), List.of(), line, LineHandler.IGNORE);
        Optional<ProviderProcess.FirstLine> answered = provider.awaitFirstLine(BenchRun.READY_TIMEOUT);
        ProviderProcess.FirstLine first = answered.orElseGet(() -> new ProviderProcess.FirstLine(
                "printed nothing within " + BenchRun.READY_TIMEOUT.toSeconds() + " s", BenchRun.READY_TIMEOUT));
        if (answered.isEmpty()) {
            provider.stop();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(first.ready() ? "ready_ms" : "first_line_ms", first.after().toMillis());
        d.put("first_line", first.text());
        BenchRun.log("scale: %,d table(s): first line after %d ms: %s", tables.size(), first.after().toMillis(), first.text());
        return new Started(provider, first, d);
    }

    /** The baseline: a provider on the database's only table. Failing to start there is an error of the run, not a figure. */
    private double idleOnOneTable(IdleDatabase db) throws Exception {
        Started started = start(db, db.tables(1));
        try {
            if (!started.ready()) {
                throw new BenchException("the provider on 1 table did not become ready: " + started.message()
                        + "; see " + started.provider().stderrLog());
            }
            double rate = IdleScenario.statementsPerMinute(run.settings(), db.emulator());
            BenchRun.log("scale: 1 table: %.1f statements/min idle", rate);
            return rate;
        } finally {
            started.provider().stop();
        }
    }

    /** The exit code of a provider that gave up on its own, as it should after an error line; "none" if it did not exit. */
    private static Object exitCode(ProviderProcess provider) throws InterruptedException {
        try {
            return provider.awaitExit(EXIT_TIMEOUT);
        } catch (BenchException e) {
            return "none (killed after " + EXIT_TIMEOUT.toSeconds() + " s)";
        }
    }

    private static Outcome readyOutcome(int count, double setupSeconds, Started started, Map<String, Object> d) {
        long ms = started.first().after().toMillis();
        String figure = String.format(Locale.ROOT, "%,d tables: ready after %,d ms (creating them took %.1f s)",
                count, ms, setupSeconds);
        return new Outcome(NAME, figure, readyTarget(), Verdict.of(ms < BenchSettings.SCALE_READY_TARGET.toMillis()), d);
    }

    private static Outcome idleOutcome(int count, double oneTable, double many, Map<String, Object> d) {
        String figure = String.format(Locale.ROOT, "statements: %,d tables %.0f/min, 1 table %.0f/min", count, many, oneTable);
        boolean met = many <= oneTable + BenchSettings.IDLE_ALLOWANCE_PER_MINUTE;
        return new Outcome(IDLE, figure, idleTarget(count), Verdict.of(met), d);
    }

    /** Both rows missed: the provider answered with an error (or nothing) instead of ready. */
    private static List<Outcome> notReady(int count, double setupSeconds, Started started, Map<String, Object> d) {
        String message = started.message();
        d.put("error", message);
        BenchRun.log("scale: %,d tables: not ready after %d ms, exit %s: %s", count, started.first().after().toMillis(),
                d.get("provider_exit_code"), message);
        // The message last and whole in the JSON report; the table may cut it.
        String figure = String.format(Locale.ROOT, "%,d tables: not ready after %,d ms, exit %s: %s", count,
                started.first().after().toMillis(), d.get("provider_exit_code"), message);
        String idle = String.format(Locale.ROOT, "not measured: the provider did not become ready (setup took %.1f s)",
                setupSeconds);
        return List.of(new Outcome(NAME, figure, readyTarget(), Verdict.MISSED, d),
                new Outcome(IDLE, idle, idleTarget(count), Verdict.MISSED, d));
    }

    private static String readyTarget() {
        return "ready < " + BenchSettings.SCALE_READY_TARGET.toSeconds() + " s";
    }

    private static String idleTarget(int count) {
        return String.format(Locale.ROOT, "%,d tables <= 1 table's + %.0f/min", count, BenchSettings.IDLE_ALLOWANCE_PER_MINUTE);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
