package io.dstream.mssql.ingester.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dstream.mssql.emulator.Emulator;
import io.dstream.mssql.ingester.e2e.Db;
import io.dstream.mssql.ingester.e2e.Json;
import io.dstream.mssql.ingester.locking.AzuriteExtension;
import io.dstream.mssql.ingester.locking.LeaseTiming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chaos suite: a random workload on several CDC tables of the emulator, read by two provider instances sharing
 * the tables through Azure Blob leases (Azurite), while faults are injected at random: {@code kill -9} and SIGTERM of
 * a provider (then started again), dropped database connections, SQL Server errors 1205, 1222 and 40613, a paused
 * capture job, a consumer that stops reading a provider's stdout, Azurite restarted with and without its data.
 * Then the workload stops, every fault is undone, and the providers get time to write everything committed. The union
 * of all output is checked against everything committed: nothing missing, nothing stuck for long, nothing
 * uncommitted, each run of a table in commit order, duplicates only as replays after a restart or takeover, one writer
 * per table at a time.
 *
 * <p>Seeded: the seed is printed and {@code -Dchaos.seed=N} runs the same choices again (timing still differs).
 * {@code -Dchaos.minutes=30} makes a soak run (default 1.5 minutes of faults); {@code -Dchaos.faults=kill_9,sigterm}
 * injects only the faults named (see {@link Faults.Kind}). The report (also in
 * {@code target/chaos-report.txt}) ends with {@code N passed, N failed}.
 */
class ChaosIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final List<String> TABLES = List.of("dbo.chaos_a", "dbo.chaos_b", "dbo.chaos_c", "dbo.chaos_d");
    private static final Duration LEASE = Duration.ofSeconds(15);
    /** One transaction at most this often: ~60 row changes a second over the tables. */
    private static final Duration WORKLOAD_PERIOD = Duration.ofMillis(40);
    /** Time for the providers to write what is left: lease expiry after a kill, then catching up. */
    private static final Duration DRAIN = Duration.ofMinutes(2);
    /**
     * Longer than any one fault can hold a change back (faults come one at a time): a killed holder's lease expiring
     * (15 s) and its table taken over, or Azurite's outage (up to 5 s, then up to ~25 s to start on a busy machine)
     * and the leases taken again; well below two such outages back to back.
     */
    private static final Duration STUCK = Duration.ofSeconds(45);
    /**
     * How soon every table is written again after a fault ended (the workload changes each table several times a
     * second): a killed holder's leases expire (15 s) and are taken over; Azurite is back and the leases are taken again.
     */
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Path REPORT = Path.of("target", "chaos-report.txt");

    @Test
    void everyCommittedChangeIsWrittenThroughRandomFaults() throws Exception {
        long seed = Long.getLong("chaos.seed", new SecureRandom().nextLong());
        List<Faults.Kind> kinds = Faults.chosen(System.getProperty("chaos.faults"));
        Duration length = Duration.ofMillis(Math.round(Double.parseDouble(System.getProperty("chaos.minutes", "1.5")) * 60_000));
        System.out.println("chaos: seed " + seed + " (run again with -Dchaos.seed=" + seed + "), " + length.toSeconds()
                + " s of faults");
        Random random = new Random(seed);
        try (Emulator emulator = Emulator.builder().database("chaosdb").captureLatency(Duration.ofMillis(50)).start()) {
            Db db = new Db(emulator.jdbcUrl());
            db.exec("EXEC sys.sp_cdc_enable_db", Workload.CREATE_LEDGER);
            TABLES.forEach(t -> db.createTracked("dbo", t.substring("dbo.".length()), Workload.COLUMNS));
            ObjectNode config = config(emulator, AzuriteExtension.uniqueContainer());
            Workload workload = new Workload(emulator.jdbcUrl(), TABLES, random.nextLong());
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            try (Providers providers = new Providers(() -> Json.envelope("run", config), "a", "b")) {
                Faults faults = new Faults(emulator, AZURITE, providers, random, kinds);
                for (int slot = 0; slot < providers.size(); slot++) {
                    providers.start(slot);
                }
                writer.scheduleWithFixedDelay(workload::step, 0, WORKLOAD_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                faults.log("workload started; providers " + providers.all());

                injectFaults(faults, providers, length);

                writer.shutdown();
                if (!writer.awaitTermination(90, TimeUnit.SECONDS)) {
                    throw new AssertionError("the workload did not stop within 90 s");
                }
                workload.close();
                faults.log("workload stopped: " + workload.summary());
                Output output = drain(faults, providers, workload);
                providers.stopAll();
                output.update(providers.all(), faults.stalls());

                Checks checks = new Checks(workload.committed(), output.emissions(), output.runStarts(TABLES), faults.origin());
                Verdict verdict = verdict(checks, workload, output, providers, faults);
                String report = report(seed, length, workload, output, checks, providers, faults) + verdict.lines();
                System.out.println(report);
                Files.writeString(REPORT, report, StandardCharsets.UTF_8);
                assertThat(verdict.failed()).as(report).isZero();
            } finally {
                writer.shutdownNow();
                workload.close();
            }
        }
    }

    /** Faults one after another, 1-4 s after the last one healed, until {@code length} has passed; every fault is undone when it ends. */
    private static void injectFaults(Faults faults, Providers providers, Duration length) {
        long end = System.nanoTime() + length.toNanos();
        Deque<Faults.Kind> firstRound = new ArrayDeque<>(faults.firstRound());
        while (System.nanoTime() < end) {
            faults.hold(faults.seconds(1, 4));
            providers.replaceUnexpectedlyExited();
            Faults.Kind kind = firstRound.isEmpty() ? faults.any() : firstRound.poll();
            faults.inject(kind);
            faults.awaitRecovery(kind, TABLES, RECOVERY, LeaseTiming.of(LEASE).trusted());
        }
        providers.replaceUnexpectedlyExited();
    }

    /** Waits (bounded) until every committed change was written by some provider; a timeout is reported by the checks. */
    private static Output drain(Faults faults, Providers providers, Workload workload) {
        Set<String> committed = workload.committed().stream().map(Workload.Change::key).collect(Collectors.toSet());
        Output output = new Output();
        long from = System.nanoTime();
        try {
            await("every committed change written").atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).until(() -> {
                providers.replaceUnexpectedlyExited();
                output.update(providers.all(), faults.stalls());
                return output.seen().containsAll(committed);
            });
            faults.log("every committed change written " + (System.nanoTime() - from) / 1_000_000_000 + " s after the workload stopped");
        } catch (ConditionTimeoutException e) {
            faults.log("NOT every committed change written within " + DRAIN.toSeconds() + " s after the workload stopped");
        }
        return output;
    }

    private static Verdict verdict(Checks checks, Workload workload, Output output, Providers providers, Faults faults) {
        Verdict verdict = new Verdict();
        verdict.check("nothing missing: every committed row change was written", checks.nothingMissing(output.seen()));
        verdict.check("nothing stuck: every change written within " + STUCK.toSeconds() + " s of its commit",
                checks.writtenWithin(STUCK));
        verdict.check("every fault healed by itself: each table written again within " + RECOVERY.toSeconds()
                + " s of the fault's end (of the old leases' end after a lock service fault), with no new provider started",
                faults.unrecovered());
        verdict.check("nothing written that was not committed", checks.nothingUncommitted(output.seen(), workload.notCommitted()));
        verdict.check("each process wrote each table in commit order (a replay only after a new start of the table)",
                checks.orderKeptWithinEachRun());
        verdict.check("duplicates only as replays after a restart or takeover (or within " + LeaseTiming.of(LEASE).trusted().toSeconds()
                + " s of a lease store that lost its leases)", checks.duplicatesOnlyReplays(faults.leaseLosses(), LeaseTiming.of(LEASE).trusted()));
        verdict.check("one writer per table at a time (overlap only within " + LeaseTiming.of(LEASE).trusted().toSeconds()
                + " s of a lease store that lost its leases)", checks.oneWriterPerTable(faults.leaseLosses(), LeaseTiming.of(LEASE).trusted()));
        verdict.check("SIGTERM ends a provider with exit code 0 within " + Providers.STOP.toSeconds() + " s ("
                + providers.sigterms() + " sent)", providers.badStops());
        verdict.check("no provider exited or failed to start unless stopped", providers.unexpectedExits());
        List<String> database = new ArrayList<>(workload.problems());
        database.addAll(workload.differencesFromDatabase());
        verdict.check("the tables hold what the committed transactions left (the workload's record is true)", database);
        return verdict;
    }

    private static String report(long seed, Duration length, Workload workload, Output output, Checks checks,
                                 Providers providers, Faults faults) {
        int written = output.emissions().values().stream().mapToInt(List::size).sum();
        return "chaos: seed " + seed + " (run again with -Dchaos.seed=" + seed + "), " + length.toSeconds() + " s of faults, "
                + providers.all().size() + " provider processes in " + providers.size() + " slots\n"
                + "faults: " + faults.counts() + "\n"
                + "workload: " + workload.summary() + "\n"
                + "timeline:\n  " + String.join("\n  ", faults.timeline()) + "\n"
                + "writers:\n  " + String.join("\n  ", checks.writers()) + "\n"
                + "output: " + written + " row changes written; lost " + checks.nothingMissing(output.seen()).size()
                + ", duplicates " + checks.duplicates() + ", slowest " + checks.slowest().toMillis() + " ms from commit to stdout"
                + ", uncommitted "
                + checks.nothingUncommitted(output.seen(), workload.notCommitted()).size() + "\n";
    }

    private static ObjectNode config(Emulator emulator, String container) {
        ObjectNode config = Json.object();
        config.put("db_connection_string", emulator.connectionString());
        TABLES.forEach(config.putArray("tables")::add);
        config.put("poll_interval", "200ms");
        config.put("max_poll_interval", "1s");
        config.put("start_position", "earliest");
        AZURITE.putLockConfig(config, container, LEASE);
        return config;
    }
}
