package io.dstream.mssql.ingester.chaos;

import static org.awaitility.Awaitility.await;

import io.dstream.mssql.emulator.Emulator;
import io.dstream.mssql.ingester.e2e.ProviderProcess;
import io.dstream.mssql.ingester.locking.AzuriteExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The faults the suite injects, one at a time: each is over (capture resumed, stdout read again, Azurite back, the
 * stopped provider replaced) before the next begins, so that each line's timing can be told apart. What was done and
 * when is kept as a timeline for the report.
 */
final class Faults {

    enum Kind {
        KILL_9, SIGTERM, DROP_CONNECTIONS, DEADLOCK_1205, LOCK_TIMEOUT_1222, DATABASE_UNAVAILABLE_40613, PAUSE_CAPTURE,
        STALL_STDOUT, RESTART_AZURITE, RESTART_AZURITE_WITHOUT_DATA
    }

    /** A time the suite stopped reading a provider's stdout ({@link System#nanoTime()}). */
    record Stall(long from, long to) {
    }

    private final Emulator emulator;
    private final AzuriteExtension azurite;
    private final Providers providers;
    private final Random random;
    private final List<Kind> kinds;
    private final long startedAt = System.nanoTime();
    private final List<String> timeline = new ArrayList<>();
    private final Map<ProviderProcess, List<Stall>> stalls = new HashMap<>();
    private final List<Long> leaseLosses = new ArrayList<>();
    private final List<String> unrecovered = new ArrayList<>();
    private final Map<Kind, Integer> counts = new HashMap<>();

    /** @param kinds the kinds of fault to choose from */
    Faults(Emulator emulator, AzuriteExtension azurite, Providers providers, Random random, List<Kind> kinds) {
        this.emulator = emulator;
        this.azurite = azurite;
        this.providers = providers;
        this.random = random;
        this.kinds = List.copyOf(kinds);
    }

    /**
     * The kinds named in {@code -Dchaos.faults} (comma-separated, e.g. {@code kill_9,stall_stdout}), to look at some
     * faults alone; all of them when the property is not set.
     */
    static List<Kind> chosen(String property) {
        if (property == null || property.isBlank()) {
            return List.of(Kind.values());
        }
        List<Kind> chosen = new ArrayList<>();
        for (String name : property.split(",")) {
            try {
                chosen.add(Kind.valueOf(name.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("chaos.faults: unknown fault \"" + name.trim() + "\"; the faults are "
                        + java.util.Arrays.stream(Kind.values()).map(k -> k.name().toLowerCase()).toList(), e);
            }
        }
        return chosen;
    }

    /** Every kind once in a random order (so that a short run meets them all), then kinds at random. */
    List<Kind> firstRound() {
        List<Kind> round = new ArrayList<>(kinds);
        java.util.Collections.shuffle(round, random);
        return round;
    }

    Kind any() {
        return kinds.get(random.nextInt(kinds.size()));
    }

    void inject(Kind kind) {
        int slot = random.nextInt(providers.size());
        boolean needsProcess = kind == Kind.KILL_9 || kind == Kind.SIGTERM || kind == Kind.STALL_STDOUT;
        if (needsProcess && providers.get(slot) == null) {
            log(kind + " skipped: slot " + providers.name(slot) + " has no running provider");
            return;
        }
        counts.merge(kind, 1, Integer::sum);
        switch (kind) {
            case KILL_9 -> {
                log("kill -9 " + providers.get(slot));
                providers.kill9(slot);
                restartLater(slot);
            }
            case SIGTERM -> {
                log("SIGTERM " + providers.get(slot));
                providers.sigterm(slot);
                restartLater(slot);
            }
            case DROP_CONNECTIONS -> {
                log("drop every connection to the emulator");
                emulator.dropConnections();
            }
            case DEADLOCK_1205 -> injectError(1205);
            case LOCK_TIMEOUT_1222 -> injectError(1222);
            case DATABASE_UNAVAILABLE_40613 -> injectError(40613);
            case PAUSE_CAPTURE -> {
                Duration d = seconds(2, 8);
                log("pause the emulator's capture for " + d.toSeconds() + " s");
                emulator.pauseCapture();
                hold(d);
                emulator.resumeCapture();
                log("capture resumed");
            }
            case STALL_STDOUT -> stall(slot, seconds(5, 15));
            case RESTART_AZURITE -> {
                Duration d = seconds(0, 5);
                log("stop Azurite for " + d.toSeconds() + " s (its blobs kept; its leases read as expired when it is back)");
                leaseLosses.add(System.nanoTime());
                azurite.stop();
                hold(d);
                startAzurite(false);
                log("Azurite is back");
            }
            case RESTART_AZURITE_WITHOUT_DATA -> {
                log("restart Azurite without its data (container, blobs and leases gone)");
                leaseLosses.add(System.nanoTime());
                startAzurite(true);
                log("Azurite is back, empty");
            }
        }
    }

    /**
     * Waits until every table was written again after the fault ended, by the processes running now (no new one is
     * started meanwhile): what a fault leaves behind must heal by itself. A table that stays silent longer than
     * {@code within} is remembered as a fault not recovered from. After a lock service fault, lines count only from
     * when every lease taken before it can no longer be trusted ({@code trusted} later): until then a holder may
     * still write on an old lease, which says nothing about the locks working again.
     */
    void awaitRecovery(Kind kind, List<String> tables, Duration within, Duration trusted) {
        Duration settle = kind == Kind.RESTART_AZURITE || kind == Kind.RESTART_AZURITE_WITHOUT_DATA ? trusted : Duration.ZERO;
        long from = System.nanoTime() + settle.toNanos();
        try {
            await("every table written again after " + kind).atMost(settle.plus(within)).pollInterval(Duration.ofMillis(250))
                    .until(() -> providers.tablesWrittenSince(from).containsAll(tables));
        } catch (ConditionTimeoutException e) {
            List<String> silent = tables.stream().filter(t -> !providers.tablesWrittenSince(from).contains(t)).toList();
            String what = "after " + kind.name().toLowerCase() + " (over at " + seconds(from - settle.toNanos())
                    + (settle.isZero() ? "" : ", lines counted from " + seconds(from)) + "), " + silent
                    + " not written again within " + within.toSeconds() + " s by the running providers";
            unrecovered.add(what);
            log(what);
        }
    }

    /** The faults after which some table stayed silent (see {@link #awaitRecovery}). */
    List<String> unrecovered() {
        return List.copyOf(unrecovered);
    }

    private void injectError(int number) {
        int after = random.nextInt(20);
        log("inject SQL Server error " + number + " into the statement after the next " + after);
        emulator.injectError(number, after);
    }

    private void stall(int slot, Duration d) {
        ProviderProcess process = providers.get(slot);
        log("stop reading the stdout of " + process + " for " + d.toSeconds() + " s");
        long from = System.nanoTime();
        process.pauseReading();
        hold(d);
        process.resumeReading();
        log("reading the stdout of " + process + " again");
        stalls.computeIfAbsent(process, p -> new ArrayList<>()).add(new Stall(from, System.nanoTime()));
    }

    private void restartLater(int slot) {
        hold(seconds(0, 4));
        providers.start(slot);
        log("started " + providers.get(slot));
    }

    private void startAzurite(boolean withoutData) {
        try {
            if (withoutData) {
                azurite.restartWithoutData();
            } else {
                azurite.startAgain();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite again", e);
        }
    }

    /** A pause between or inside faults: the chaos itself, nothing to wait for but time. */
    void hold(Duration d) {
        await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
    }

    Duration seconds(int min, int max) {
        return Duration.ofMillis(min * 1000L + random.nextInt((max - min) * 1000 + 1));
    }

    void log(String what) {
        timeline.add(String.format("[%6.1fs] %s", (System.nanoTime() - startedAt) / 1e9, what));
    }

    private String seconds(long nanos) {
        return String.format("%.1fs", (nanos - startedAt) / 1e9);
    }

    /** The moment the timeline's times count from ({@link System#nanoTime()}). */
    long origin() {
        return startedAt;
    }

    List<String> timeline() {
        return List.copyOf(timeline);
    }

    Map<ProviderProcess, List<Stall>> stalls() {
        return Map.copyOf(stalls);
    }

    /**
     * When the lease store lost its leases ({@link System#nanoTime()}): each Azurite restart, with or without its
     * data. Azurite (3.x) keeps blobs across a restart but every lease reads as expired afterwards, so another
     * instance can take a table at once (measured; the Azure service keeps an acknowledged lease).
     */
    List<Long> leaseLosses() {
        return List.copyOf(leaseLosses);
    }

    String counts() {
        StringBuilder out = new StringBuilder();
        for (Kind kind : kinds) {
            out.append(out.isEmpty() ? "" : ", ").append(kind.name().toLowerCase()).append(' ').append(counts.getOrDefault(kind, 0));
        }
        return out.toString();
    }
}
