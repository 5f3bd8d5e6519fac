package io.dstream.mssql.bench.scenario;

import io.dstream.mssql.bench.BenchSettings;
import io.dstream.mssql.bench.measure.ChangeCounter;
import io.dstream.mssql.bench.peer.DebeziumPeer;
import io.dstream.mssql.bench.process.BenchException;
import io.dstream.mssql.bench.process.EmulatorHost;
import io.dstream.mssql.bench.process.EmulatorProcess;
import io.dstream.mssql.bench.process.LineHandler;
import io.dstream.mssql.bench.process.ProcStatus;
import io.dstream.mssql.bench.process.ProviderProcess;
import io.dstream.mssql.bench.report.Outcome;
import io.dstream.mssql.bench.report.Verdict;
import io.dstream.mssql.bench.workload.BacklogLoader;
import io.dstream.mssql.bench.workload.BenchSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same captured backlog drained by Debezium's SQL Server connector (3.6.1, embedded engine, JSON
 * converter; {@link DebeziumPeer}) and by the provider, each in its own JVM with the same heap,
 * alternating Debezium, provider, Debezium, provider so that neither always runs on a colder or
 * warmer emulator. Each drain is timed from its ready line to the last change; CPU (utime + stime
 * of the whole process, JVM start included) and peak RSS are read from {@code /proc}. The best
 * round of each is reported, with the ratio of the provider's rate to Debezium's. A measurement,
 * not a target: the row is "met" when both drained the whole backlog.
 */
public final class PeerScenario {

    static final String NAME = "peer";
    private static final int ROUNDS = 2;
    private static final String HEAP = "-Xmx256m";
    private static final long DRAIN_TIMEOUT_MINUTES = 10;
    /** The provider's default checkpoint table; emptied so that each provider round starts at the earliest LSN. */
    private static final String CHECKPOINTS = "dbo.cdc_offsets";
    private static final String USER = "sa";
    private static final String PASSWORD = "emulator";

    private final BenchRun run;

    public PeerScenario(BenchRun run) {
        this.run = run;
    }

    /** One drain by one reader. */
    record Drain(String reader, int round, long changes, double seconds, double cpuSeconds, long peakRssMb) {

        double rate() {
            return changes / seconds;
        }
    }

    public Outcome run() throws Exception {
        BenchSettings s = run.settings();
        int perTable = s.peerChanges() / s.drainTables();
        long total = (long) BacklogLoader.Mix.of(perTable).total() * s.drainTables();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changes", total);
        d.put("tables", s.drainTables());
        d.put("heap", HEAP);
        try (EmulatorProcess emulator = run.startEmulator(NAME, Duration.ZERO);
             Connection c = BenchRun.connect(emulator)) {
            List<String> tables = BenchSchema.createBacklogTables(c, s.drainTables());
            BenchSchema.createPeerMarkerTable(c);
            Path primed = prime(emulator, tables);
            DrainScenario.populate(emulator, c, tables, perTable, d);
            run.initCheckpoints(NAME, emulator, tables.get(0));
            List<Drain> debezium = new ArrayList<>();
            List<Drain> provider = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                debezium.add(drainDebezium(emulator, tables, primed, total, round));
                provider.add(drainProvider(emulator, c, tables, total, round));
            }
            return outcome(best(debezium), best(provider), debezium, provider, d);
        }
    }

    /**
     * Debezium's initial snapshot of the marker row, before the backlog exists: the offset and schema
     * history it leaves place every later drain's start before the backlog.
     */
    private Path prime(EmulatorProcess emulator, List<String> tables) throws InterruptedException {
        Path dir = run.workDir().resolve("peer-debezium-primed");
        deleteFiles(dir);
        ProviderProcess primer = startDebezium("prime", emulator, tables, dir, "peer-debezium-prime", LineHandler.IGNORE);
        primer.awaitReady(BenchRun.READY_TIMEOUT);
        int exit = primer.awaitExit(Duration.ofMinutes(2));
        if (exit != 0) {
            throw new BenchException("Debezium's priming run exited " + exit + "; see " + primer.stderrLog());
        }
        BenchRun.log("peer: Debezium primed (snapshot of the marker row) in %s", dir);
        return dir;
    }

    private Drain drainDebezium(EmulatorProcess emulator, List<String> tables, Path primed, long total, int round)
            throws Exception {
        Path dir = run.workDir().resolve("peer-debezium-" + round);
        deleteFiles(dir);
        Files.createDirectories(dir);
        for (String file : List.of(OFFSETS, HISTORY)) {
            Files.copy(primed.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        AtomicLong pid = new AtomicLong(-1);
        ChangeCounter counter = new ChangeCounter(total, () -> ProcStatus.cpuSeconds(pid.get()));
        ProviderProcess p = startDebezium("drain", emulator, tables, dir, "peer-debezium-" + round, counter::accept);
        pid.set(p.pid());
        return measure("debezium", round, p, counter, total);
    }

    private Drain drainProvider(EmulatorProcess emulator, Connection c, List<String> tables, long total, int round)
            throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + CHECKPOINTS);
        } catch (SQLException e) {
            throw new BenchException("could not reset the provider's checkpoints: " + e.getMessage(), e);
        }
        String line = ProviderConfig.line("run", emulator.connectionString(), tables, Duration.ofMillis(100),
                Duration.ofSeconds(1));
        AtomicLong pid = new AtomicLong(-1);
        ChangeCounter counter = new ChangeCounter(total, () -> ProcStatus.cpuSeconds(pid.get()));
        ProviderProcess p = run.startProvider(NAME, List.of(HEAP), line, counter::accept);
        pid.set(p.pid());
        return measure("provider", round, p, counter, total);
    }

    private static Drain measure(String reader, int round, ProviderProcess p, ChangeCounter counter, long total)
            throws Exception {
        try {
            p.awaitReady(BenchRun.READY_TIMEOUT);
            if (!counter.await(DRAIN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new BenchException(String.format(Locale.ROOT, "%s round %d drained %,d changes only; see %s",
                        reader, round, counter.changes(), p.stderrLog()));
            }
            ChangeCounter.Mark end = counter.at(total).orElse(null);
            double seconds = DrainScenario.seconds(counter.reachedAtNanos() - p.readyNanos());
            double cpu = end != null ? end.cpuSeconds() : ProcStatus.cpuSeconds(p.pid());
            long rss = ProcStatus.peakRssKb(p.pid()).orElse(-1) / 1024;
            Drain drain = new Drain(reader, round, counter.changes(), seconds, cpu, rss);
            BenchRun.log("peer: %s round %d drained %,d changes in %.2f s from ready (%,.0f/s), CPU %.2f s, peak RSS %d MB",
                    reader, round, drain.changes(), seconds, drain.rate(), cpu, rss);
            return drain;
        } finally {
            p.stop();
        }
    }

    private static final String OFFSETS = "offsets.dat";
    private static final String HISTORY = "schema-history.dat";

    private ProviderProcess startDebezium(String mode, EmulatorProcess emulator, List<String> tables, Path dir,
                                          String logName, LineHandler handler) {
        List<String> args = new ArrayList<>(List.of(mode, "127.0.0.1", Integer.toString(emulator.port()),
                EmulatorHost.DATABASE, USER,
                PASSWORD, dir.resolve(OFFSETS).toString(), dir.resolve(HISTORY).toString(), BenchSchema.PEER_MARKER_TABLE));
        args.addAll(tables);
        return ProviderProcess.startMain(Path.of(System.getProperty("java.class.path")), DebeziumPeer.class.getName(),
                List.of(HEAP), args, run.workDir().resolve(logName + ".log"), handler);
    }

    private static Drain best(List<Drain> drains) {
        return drains.stream().max(Comparator.comparingDouble(Drain::rate)).orElseThrow();
    }

    private static Outcome outcome(Drain debezium, Drain provider, List<Drain> allDebezium, List<Drain> allProvider,
                                   Map<String, Object> d) {
        double ratio = provider.rate() / debezium.rate();
        for (Drain x : concat(allDebezium, allProvider)) {
            String key = x.reader() + "_" + x.round() + "_";
            d.put(key + "changes_per_second", Math.round(x.rate()));
            d.put(key + "seconds", DrainScenario.round(x.seconds()));
            d.put(key + "cpu_seconds", DrainScenario.round(x.cpuSeconds()));
            d.put(key + "peak_rss_mb", x.peakRssMb());
        }
        d.put("ratio_provider_to_debezium", DrainScenario.round(ratio));
        String figure = String.format(Locale.ROOT, "%,d changes: provider %,d/s %.1f s CPU %d MB RSS; "
                        + "Debezium %,d/s %.1f s CPU %d MB RSS; ratio %.2f",
                (Long) d.get("changes"), Math.round(provider.rate()), provider.cpuSeconds(), provider.peakRssMb(),
                Math.round(debezium.rate()), debezium.cpuSeconds(), debezium.peakRssMb(), ratio);
        return new Outcome(NAME, figure, "both drain it (best of " + ROUNDS + ")", Verdict.MET, d);
    }

    private static List<Drain> concat(List<Drain> a, List<Drain> b) {
        List<Drain> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void deleteFiles(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new BenchException("could not clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
