package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.MaxLsnTrail;
import io.dstream.mssql.bench.measure.Percentiles;
import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import io.dstream.mssql.bench.workload.BenchSchema;
import io.dstream.mssql.bench.workload.CaptureWorkload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 6: the emulator's own capture under load, without the provider. Sustained inserts over
 * many CDC tables at a fixed row rate; a poller samples {@code sys.fn_cdc_get_max_lsn()} every
 * {@link #POLL} and the capture lag of a transaction is the time from its commit returning to the
 * maximum LSN first reaching its commit LSN (read back from the change tables afterwards), both on
 * the bench JVM's clock. Transactions committed in the warm-up do not count.
 */
public final class CaptureScenario {

    static final String NAME = "capture";
    static final Duration POLL = Duration.ofMillis(10);
    static final String MAX_LSN = "SELECT sys.fn_cdc_get_max_lsn()";
    static final String COMMIT_LSNS = "SELECT DISTINCT tx, __$start_lsn FROM cdc.%s_CT";
    /** How long capture may take to catch up once the writes stop before the run counts what is missing. */
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    /** Below this share of the target rate the machine, not capture, limited the run. */
    private static final double MIN_RATE_SHARE = 0.9;

    private final BenchRun run;

    public CaptureScenario(BenchRun run) {
        this.run = run;
    }

    public Outcome run() throws Exception {
        BenchSettings.CaptureLoad load = run.settings().capture();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tables", load.tables());
        d.put("target_rows_per_second", load.rowsPerSecond());
        d.put("writers", load.writers());
        d.put("rows_per_transaction", CaptureWorkload.ROWS_PER_TRANSACTION);
        d.put("capture_latency_ms", run.settings().captureLatency().toMillis());
        d.put("duration_seconds", load.duration().toSeconds());
        String target = String.format(Locale.ROOT, "p99 < %d ms at %,d rows/s over %d tables",
                load.lagTarget().toMillis(), load.rowsPerSecond(), load.tables());
        try (EmulatorProcess emulator = run.startEmulator(NAME, run.settings().captureLatency());
             Connection c = BenchRun.connect(emulator)) {
            BenchRun.log("capture: creating %d CDC tables", load.tables());
            List<String> tables = BenchSchema.createCaptureTables(c, load.tables());
            MaxLsnTrail trail = new MaxLsnTrail();
            AtomicBoolean stop = new AtomicBoolean();
            Thread poller = startPoller(emulator, trail, stop);
            CaptureWorkload.Written written;
            boolean caughtUp;
            try {
                BenchRun.log("capture: %,d rows/s over %d tables for %d s from %d connections", load.rowsPerSecond(),
                        load.tables(), load.duration().toSeconds(), load.writers());
                written = CaptureWorkload.run(emulator.jdbcUrl(), tables, load.rowsPerSecond(), load.duration(),
                        load.writers());
                caughtUp = awaitCaptured(emulator);
                LockSupport.parkNanos(POLL.toNanos() * 3); // the poller's sample after the last capture
            } finally {
                stop.set(true);
                poller.join();
            }
            double secs = (written.endNanos() - written.startNanos()) / 1e9;
            long rows = (long) written.committed() * CaptureWorkload.ROWS_PER_TRANSACTION;
            double achieved = Math.round(rows / secs);
            d.put("achieved_rows_per_second", achieved);
            d.put("transactions_planned", written.planned());
            d.put("transactions", written.committed());
            d.put("max_lsn_polls", trail.polls());
            d.put("max_lsn_distinct", trail.samples());
            d.put("caught_up_after_writes", caughtUp);

            byte[][] commitLsns = commitLsns(c, tables, written.planned());
            long warmEnd = written.startNanos() + load.warmup().toNanos();
            long[] lags = new long[written.planned()];
            int counted = 0;
            int missing = 0;
            for (int tx = 0; tx < written.planned(); tx++) {
                long committedAt = written.committedAt().get(tx);
                if (committedAt == 0 || committedAt < warmEnd) {
                    continue; // not written (its writer was behind at the end), or in the warm-up
                }
                long reached = commitLsns[tx] == null ? -1 : trail.reachedAt(commitLsns[tx]);
                if (reached < 0) {
                    missing++;
                } else {
                    lags[counted++] = Math.max(0, reached - committedAt);
                }
            }
            d.put("counted", counted);
            d.put("missing", missing);
            if (counted == 0) {
                return new Outcome(NAME, "no transaction was captured", target, Verdict.ERROR, d);
            }
            Percentiles p = Percentiles.of(java.util.Arrays.copyOf(lags, counted));
            long p50 = p.percentile(50) / 1_000_000;
            long p99 = p.percentile(99) / 1_000_000;
            long max = p.max() / 1_000_000;
            d.put("p50_ms", p50);
            d.put("p99_ms", p99);
            d.put("max_ms", max);
            BenchRun.log("capture: lag p50 %d ms, p99 %d ms, max %d ms over %,d transactions at %,.0f rows/s; %d missing",
                    p50, p99, max, counted, achieved, missing);
            String figure = String.format(Locale.ROOT, "lag p50 %d ms, p99 %d ms, max %d ms (%,.0f rows/s, %,d tx)",
                    p50, p99, max, achieved, counted);
            if (missing > 0) {
                figure += ", " + missing + " not captured within " + CATCH_UP.toSeconds() + " s";
            }
            boolean rateMet = achieved >= MIN_RATE_SHARE * load.rowsPerSecond();
            if (!rateMet) {
                figure += " - below the target rate";
            }
            return new Outcome(NAME, figure, target,
                    Verdict.of(missing == 0 && rateMet && p99 < load.lagTarget().toMillis()), d);
        }
    }

    private static boolean awaitCaptured(EmulatorProcess emulator) {
        try {
            emulator.awaitCaptured(CATCH_UP);
            return true;
        } catch (BenchException e) {
            BenchRun.log("capture: %s", e.getMessage());
            return false;
        }
    }

    /** Samples the maximum LSN until {@code stop}; a failed poll ends the run with its error. */
    private static Thread startPoller(EmulatorProcess emulator, MaxLsnTrail trail, AtomicBoolean stop)
            throws SQLException {
        Connection c = BenchRun.connect(emulator);
        Thread t = new Thread(() -> {
            try (c; PreparedStatement ps = c.prepareStatement(MAX_LSN)) {
                while (!stop.get()) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        trail.sample(rs.getBytes(1), System.nanoTime());
                    }
                    LockSupport.parkNanos(POLL.toNanos());
                }
            } catch (SQLException e) {
                BenchRun.log("capture: polling sys.fn_cdc_get_max_lsn() failed: %s", e);
            }
        }, "bench-max-lsn-poller");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Each transaction's commit LSN, from the change rows of its tables; null where none was captured. */
    private static byte[][] commitLsns(Connection c, List<String> tables, int transactions) throws SQLException {
        byte[][] lsns = new byte[transactions][];
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery(String.format(COMMIT_LSNS, BenchSchema.captureInstance(table)))) {
                    while (rs.next()) {
                        int tx = (int) rs.getLong(1);
                        if (tx < transactions) {
                            lsns[tx] = rs.getBytes(2);
                        }
                    }
                }
            }
        }
        return lsns;
    }
}
