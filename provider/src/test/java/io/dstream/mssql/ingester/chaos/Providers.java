package io.dstream.mssql.ingester.chaos;

import io.dstream.mssql.ingester.e2e.Json;
import io.dstream.mssql.ingester.e2e.ProviderProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Provider slots, each running one provider process at a time with the same config (so the slots share the tables
 * through their leases). A process stopped by the suite is replaced by a new one in its slot; every process ever
 * started is kept, because the output of all of them is checked at the end.
 */
final class Providers implements AutoCloseable {

    /** The contract: SIGTERM → exit 0 within 5 s. */
    static final Duration STOP = Duration.ofSeconds(5);
    /** Generous: a JVM starts slowly on a machine shared with other builds. */
    private static final Duration READY = Duration.ofSeconds(60);
    /** C1 only: a restarted provider is back in a few seconds on a busy machine, so that the faults keep coming. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    private final String[] names;
    private final Supplier<String> firstLine;
    private final ProviderProcess[] slots;
    private final List<ProviderProcess> all = new ArrayList<>();
    private final Set<ProviderProcess> told = new HashSet<>();
    private final List<String> badStops = new ArrayList<>();
    private final List<String> unexpectedExits = new ArrayList<>();
    private int sigterms;

    /** @param firstLine the {@code {"command":"run","config":..}} line each process is started with */
    Providers(Supplier<String> firstLine, String... names) {
        this.names = names.clone();
        this.firstLine = firstLine;
        this.slots = new ProviderProcess[names.length];
    }

    int size() {
        return slots.length;
    }

    String name(int slot) {
        return names[slot];
    }

    /** The slot's running process, or null while it is down. */
    ProviderProcess get(int slot) {
        return slots[slot];
    }

    /** Starts the slot's process and waits for its handshake; a process that does not start is reported, not thrown. */
    void start(int slot) {
        ProviderProcess process = ProviderProcess.startWithStdin(firstLine.get(), names[slot], JVM_OPTIONS);
        all.add(process);
        try {
            process.awaitReady(READY);
            slots[slot] = process;
        } catch (AssertionError e) {
            unexpectedExits.add(process + " did not start: " + e.getMessage());
            told.add(process);
            process.close();
        }
    }

    void kill9(int slot) {
        ProviderProcess process = slots[slot];
        slots[slot] = null;
        told.add(process);
        process.kill9();
    }

    /** SIGTERM as DStream stops a provider; an exit other than 0 within 5 s is remembered as a broken contract. */
    void sigterm(int slot) {
        ProviderProcess process = slots[slot];
        slots[slot] = null;
        told.add(process);
        sigterms++;
        long sent = System.nanoTime();
        process.sigterm();
        try {
            int code = process.awaitExit(STOP.plusSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            if (code != 0 || took.compareTo(STOP) > 0) {
                badStops.add(process + " exited with " + code + " after " + took.toMillis() + " ms");
            }
        } catch (AssertionError e) {
            badStops.add(process + " did not exit within " + STOP.plusSeconds(10) + " of SIGTERM");
            process.kill9();
        }
    }

    /** Restarts every slot whose process exited although the suite did not stop it, and remembers why it died. */
    void replaceUnexpectedlyExited() {
        for (int slot = 0; slot < slots.length; slot++) {
            ProviderProcess process = slots[slot];
            if (process != null && !process.isAlive()) {
                int code = process.awaitExit(Duration.ofSeconds(5));
                List<String> stderr = process.stderr();
                unexpectedExits.add(process + " exited by itself with " + code + "; last stderr lines:\n  "
                        + String.join("\n  ", stderr.subList(Math.max(0, stderr.size() - 5), stderr.size())));
                told.add(process);
                slots[slot] = null;
            }
            if (slots[slot] == null) {
                start(slot);
            }
        }
    }

    /** The tables some process wrote a line of after {@code since} ({@link System#nanoTime()}). */
    Set<String> tablesWrittenSince(long since) {
        Set<String> tables = new HashSet<>();
        for (ProviderProcess process : all) {
            List<ProviderProcess.Timed> lines = process.stdoutTimed();
            for (int i = lines.size() - 1; i >= 0 && lines.get(i).nanos() > since; i--) {
                String text = lines.get(i).text();
                if (Json.isJson(text)) {
                    tables.add(Json.read(text).path("table_name").asText());
                }
            }
        }
        return tables;
    }

    /** Every process started so far, in start order. */
    List<ProviderProcess> all() {
        return List.copyOf(all);
    }

    List<String> badStops() {
        return List.copyOf(badStops);
    }

    int sigterms() {
        return sigterms;
    }

    List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }

    /** Stops every running process with SIGTERM (counted like any other stop). */
    void stopAll() {
        for (int slot = 0; slot < slots.length; slot++) {
            if (slots[slot] != null) {
                sigterm(slot);
            }
        }
    }

    @Override
    public void close() {
        all.forEach(ProviderProcess::close);
    }
}
