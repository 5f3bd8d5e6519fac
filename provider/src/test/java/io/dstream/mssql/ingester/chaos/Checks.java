package io.dstream.mssql.ingester.chaos;

import io.dstream.mssql.ingester.chaos.Output.Emission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The properties the union of all output must have, each returning its violations (none: it holds). Times are those
 * the suite read the lines and log lines at; {@link #JITTER} absorbs the delay between a write and its reading by the
 * suite's reader threads on a busy machine.
 */
final class Checks {

    static final Duration JITTER = Duration.ofSeconds(1);
    private static final long JITTER_NANOS = JITTER.toNanos();

    private final Map<String, List<Emission>> emissions;
    private final Map<String, Map<String, List<Long>>> runStarts;
    private final Map<String, Workload.Change> committed = new LinkedHashMap<>();
    private final long origin;

    /**
     * @param emissions by process name, each process's in the order it wrote them
     * @param runStarts by process name and table, the times a run of the table began in the process, in order
     * @param origin    the moment times in messages count from ({@link System#nanoTime()})
     */
    Checks(List<Workload.Change> committed, Map<String, List<Emission>> emissions, Map<String, Map<String, List<Long>>> runStarts,
           long origin) {
        committed.forEach(c -> this.committed.put(c.key(), c));
        this.emissions = emissions;
        this.runStarts = runStarts;
        this.origin = origin;
    }

    /** Every committed row change was written by some provider. */
    List<String> nothingMissing(Set<String> seen) {
        return committed.values().stream().filter(c -> !seen.contains(c.key()))
                .map(c -> c.key() + " (transaction " + c.tx() + ") was committed and never written").toList();
    }

    /**
     * Nothing stuck: every change written was first written within {@code bound} of its commit (a change found
     * committed only through the ledger counts from when that was known, so it is never early).
     */
    List<String> writtenWithin(Duration bound) {
        List<String> violations = new ArrayList<>();
        firstWritten().forEach((key, first) -> {
            Workload.Change c = committed.get(key);
            if (c != null && first.readAt() - c.committedAt() > bound.toNanos()) {
                violations.add(key + " committed at " + at(c.committedAt()) + " was first written at " + at(first.readAt())
                        + " by " + first.process());
            }
        });
        return violations;
    }

    /** The longest time from a commit to the first writing of its change. */
    Duration slowest() {
        long slowest = 0;
        for (Map.Entry<String, Emission> e : firstWritten().entrySet()) {
            Workload.Change c = committed.get(e.getKey());
            if (c != null) {
                slowest = Math.max(slowest, e.getValue().readAt() - c.committedAt());
            }
        }
        return Duration.ofNanos(slowest);
    }

    private Map<String, Emission> firstWritten() {
        Map<String, Emission> first = new HashMap<>();
        emissions.values().forEach(list -> list.forEach(e -> first.merge(e.key(), e, (a, b) -> b.readAt() < a.readAt() ? b : a)));
        return first;
    }

    /** Nothing was written that was not committed: neither rolled back nor unknown. */
    List<String> nothingUncommitted(Set<String> seen, Set<String> notCommitted) {
        return seen.stream().filter(k -> !committed.containsKey(k)).sorted()
                .map(k -> k + (notCommitted.contains(k) ? " was written although its transaction rolled back"
                        : " was written and no transaction made it")).toList();
    }

    /**
     * Within one process, a table's changes come in commit order; going back (a replay) is allowed only where the
     * process re-established the table's position in between (took its lock, loaded its checkpoint).
     */
    List<String> orderKeptWithinEachRun() {
        List<String> violations = new ArrayList<>();
        emissions.forEach((process, list) -> byTable(list).forEach((table, changes) -> {
            List<Long> starts = runStarts(process, table);
            int nextStart = 0;
            Emission prev = null;
            Set<String> sameStatement = new HashSet<>();
            for (Emission e : changes) {
                Workload.Change c = committed.get(e.key());
                if (c == null) {
                    continue; // not committed: reported by nothingUncommitted
                }
                if (prev == null) {
                    while (nextStart < starts.size() && starts.get(nextStart) <= e.readAt()) {
                        nextStart++; // the start of the first run
                    }
                } else {
                    int cmp = commitOrder(c, committed.get(prev.key()));
                    boolean inOrder = cmp > 0 || (cmp == 0 && !sameStatement.contains(e.key()));
                    if (!inOrder) {
                        while (nextStart < starts.size() && starts.get(nextStart) < prev.earliestWrite() - JITTER_NANOS) {
                            nextStart++;
                        }
                        if (nextStart < starts.size() && starts.get(nextStart) <= e.readAt() + JITTER_NANOS) {
                            nextStart++;
                        } else {
                            violations.add(process + " wrote " + e.key() + " (transaction " + c.tx() + ") at " + at(e.readAt())
                                    + " after " + prev.key() + " (transaction " + committed.get(prev.key()).tx()
                                    + ") at " + at(prev.readAt()) + ", with no new start of " + table + " in between");
                        }
                    }
                    if (!inOrder || cmp != 0) {
                        sameStatement.clear();
                    }
                }
                sameStatement.add(e.key());
                prev = e;
            }
        }));
        return violations;
    }

    /**
     * A change written twice was written again by a run (another process, or the same process after a new start of
     * the table) that began after the change was first written: a replay from a checkpoint. Excused: another process
     * still writing on a lease it trusts for at most {@code trusted} after the lease store lost its leases.
     */
    List<String> duplicatesOnlyReplays(List<Long> leaseLosses, Duration trusted) {
        Map<String, List<Emission>> byKey = new HashMap<>();
        emissions.values().forEach(list -> list.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e)));
        List<String> violations = new ArrayList<>();
        byKey.values().stream().filter(list -> list.size() > 1).forEach(list -> {
            list.sort(Comparator.comparingLong(Emission::readAt));
            Emission first = list.get(0);
            long firstRun = runStart(first);
            for (Emission again : list.subList(1, list.size())) {
                long run = runStart(again);
                boolean otherProcess = !again.process().equals(first.process());
                boolean replay = (otherProcess || run > firstRun) && run >= first.earliestWrite() - JITTER_NANOS;
                boolean overlapAfterLoss = otherProcess && afterLeaseLoss(leaseLosses, trusted, first.readAt(), again.earliestWrite());
                if (!replay && !overlapAfterLoss) {
                    violations.add(again.key() + " written by " + first.process() + " at " + at(first.readAt()) + " and again by "
                            + again.process() + " at " + at(again.readAt()) + " in a run of the table begun at " + at(run)
                            + ": not a replay after a restart or takeover");
                }
            }
        });
        return violations;
    }

    /**
     * No two processes write one table at once: while a run of one process is writing, no other process writes the
     * table. The one overlap a lease cannot prevent: after the lease store lost its leases (an Azurite restart),
     * another instance can take the table at once while the holder still trusts its lease for at most
     * {@code trusted} since its last renewal, which was before the loss.
     */
    List<String> oneWriterPerTable(List<Long> leaseLosses, Duration trusted) {
        Map<String, List<Emission>> byTable = new HashMap<>();
        emissions.values().forEach(list -> list.forEach(e -> byTable.computeIfAbsent(e.table(), k -> new ArrayList<>()).add(e)));
        byTable.values().forEach(list -> list.sort(Comparator.comparingLong(Emission::readAt)));
        List<String> violations = new ArrayList<>();
        emissions.forEach((process, list) -> byTable(list).forEach((table, changes) -> {
            Map<Long, Emission> lastOfRun = new LinkedHashMap<>();
            changes.forEach(e -> lastOfRun.merge(runStart(e), e, (a, b) -> b.earliestWrite() > a.earliestWrite() ? b : a));
            lastOfRun.forEach((start, last) -> byTable.get(table).stream()
                    .filter(y -> !y.process().equals(process) && y.earliestWrite() > start + JITTER_NANOS
                            && y.readAt() + JITTER_NANOS < last.earliestWrite())
                    .findFirst()
                    .filter(y -> !afterLeaseLoss(leaseLosses, trusted, y.readAt(), last.earliestWrite()))
                    .ifPresent(y -> violations.add(table + ": " + process + " wrote it from " + at(start) + " until "
                            + at(last.earliestWrite()) + " while " + y.process() + " wrote it at " + at(y.readAt()))));
        }));
        return violations;
    }

    /**
     * True when a new holder writing at {@code newWriteAt} and an old holder writing at {@code oldWriteAt} can both be
     * explained by a loss of the lease store's leases: the new holder wrote after it, the old holder within the time it
     * may still trust a lease renewed before it.
     */
    private static boolean afterLeaseLoss(List<Long> leaseLosses, Duration trusted, long newWriteAt, long oldWriteAt) {
        return leaseLosses.stream().anyMatch(loss -> loss <= newWriteAt + JITTER_NANOS
                && oldWriteAt <= loss + trusted.toNanos() + JITTER_NANOS);
    }

    /** Per table, who wrote it: each run (process, start time, row changes written) in the order the runs began. */
    List<String> writers() {
        Map<String, Map<String, Integer>> runs = new java.util.TreeMap<>();
        Map<String, Long> startOf = new HashMap<>();
        emissions.values().forEach(list -> list.forEach(e -> {
            long start = runStart(e);
            String run = e.process() + " from " + at(start);
            startOf.put(run, start);
            runs.computeIfAbsent(e.table(), t -> new LinkedHashMap<>()).merge(run, 1, Integer::sum);
        }));
        List<String> lines = new ArrayList<>();
        runs.forEach((table, counts) -> lines.add(table + ": " + counts.entrySet().stream()
                .sorted(Comparator.comparingLong(r -> startOf.get(r.getKey())))
                .map(r -> r.getKey() + " (" + r.getValue() + ")").collect(java.util.stream.Collectors.joining(", "))));
        return lines;
    }

    /** Row changes written more than once, counted once per extra writing. */
    int duplicates() {
        int total = emissions.values().stream().mapToInt(List::size).sum();
        Set<String> distinct = new HashSet<>();
        emissions.values().forEach(list -> list.forEach(e -> distinct.add(e.key())));
        return total - distinct.size();
    }

    private long runStart(Emission e) {
        long start = Long.MIN_VALUE;
        for (long s : runStarts(e.process(), e.table())) {
            if (s <= e.readAt() + JITTER_NANOS) {
                start = s;
            }
        }
        return start;
    }

    private List<Long> runStarts(String process, String table) {
        return runStarts.getOrDefault(process, Map.of()).getOrDefault(table, List.of());
    }

    private static Map<String, List<Emission>> byTable(List<Emission> list) {
        Map<String, List<Emission>> byTable = new LinkedHashMap<>();
        list.forEach(e -> byTable.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e));
        return byTable;
    }

    /** Transactions commit in the workload's order; a table's changes of one transaction in statement order. */
    private static int commitOrder(Workload.Change a, Workload.Change b) {
        int byTx = Long.compare(a.tx(), b.tx());
        return byTx != 0 ? byTx : Integer.compare(a.statement(), b.statement());
    }

    private String at(long nanos) {
        return nanos == Long.MIN_VALUE ? "(never)" : String.format("%.1fs", (nanos - origin) / 1e9);
    }
}
