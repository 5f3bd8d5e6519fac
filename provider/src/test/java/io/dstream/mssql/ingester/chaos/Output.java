package io.dstream.mssql.ingester.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.dstream.mssql.ingester.e2e.Json;
import io.dstream.mssql.ingester.e2e.ProviderProcess;
import io.dstream.mssql.ingester.e2e.ProviderProcess.Timed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the providers wrote: every row change of every {@code envelope} line, with the process that wrote it and when,
 * and the moments each process (re)established a table's position (the starts of its runs).
 */
final class Output {

    /**
     * Lines read this soon after the suite resumed reading a stalled stdout may have waited in the pipe since the
     * stall began (the pipe is drained in milliseconds; this is generous for a busy machine).
     */
    private static final Duration DRAIN_AFTER_STALL = Duration.ofSeconds(2);

    /**
     * One row change as written: {@code readAt} is when the suite read the line; the provider wrote it no earlier than
     * {@code earliestWrite} (the same moment, unless the line waited in a stalled pipe).
     */
    record Emission(String process, String table, String key, long readAt, long earliestWrite) {
    }

    private final Map<ProviderProcess, List<Emission>> emissions = new LinkedHashMap<>();
    private final Map<ProviderProcess, Integer> linesParsed = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();

    /** Parses the lines written since the last call. */
    void update(List<ProviderProcess> processes, Map<ProviderProcess, List<Faults.Stall>> stalls) {
        for (ProviderProcess process : processes) {
            List<Timed> lines = process.stdoutTimed();
            List<Emission> list = emissions.computeIfAbsent(process, p -> new ArrayList<>());
            int from = linesParsed.getOrDefault(process, 0);
            for (Timed line : lines.subList(from, lines.size())) {
                parse(process, line, stalls.getOrDefault(process, List.of()), list);
            }
            linesParsed.put(process, lines.size());
        }
    }

    private void parse(ProviderProcess process, Timed line, List<Faults.Stall> stalls, List<Emission> into) {
        if (!Json.isJson(line.text())) {
            return;
        }
        JsonNode node = Json.read(line.text());
        if (!node.path("changes").isArray()) {
            return; // the handshake
        }
        String table = node.path("table_name").asText();
        long earliest = earliestWrite(line.nanos(), stalls);
        for (JsonNode change : node.path("changes")) {
            String key = Workload.key(table, change.path("change_type").asText(), change.path("data").path("v").asLong());
            into.add(new Emission(process.toString(), table, key, line.nanos(), earliest));
            seen.add(key);
        }
    }

    private static long earliestWrite(long readAt, List<Faults.Stall> stalls) {
        for (Faults.Stall stall : stalls) {
            if (readAt >= stall.from() && readAt <= stall.to() + DRAIN_AFTER_STALL.toNanos()) {
                return stall.from();
            }
        }
        return readAt;
    }

    /** Every row change written by anyone. */
    Set<String> seen() {
        return Set.copyOf(seen);
    }

    /** The processes' row changes by process name, each process's in the order it wrote them. */
    Map<String, List<Emission>> emissions() {
        Map<String, List<Emission>> copy = new LinkedHashMap<>();
        emissions.forEach((p, list) -> copy.put(p.toString(), List.copyOf(list)));
        return copy;
    }

    /**
     * By process name and table: when the process (re)established the table's position, in order — it took the
     * table's lock, or loaded the table's checkpoint (at a start, a takeover, a recovery). A run of the table starts
     * there.
     */
    Map<String, Map<String, List<Long>>> runStarts(List<String> tables) {
        Map<String, Map<String, List<Long>>> starts = new LinkedHashMap<>();
        for (ProviderProcess process : emissions.keySet()) {
            Map<String, List<Long>> byTable = new LinkedHashMap<>();
            tables.forEach(t -> byTable.put(t, new ArrayList<>()));
            for (Timed line : process.stderrTimed()) {
                for (String table : tables) {
                    if (startsRun(line.text(), table)) {
                        byTable.get(table).add(line.nanos());
                    }
                }
            }
            starts.put(process.toString(), byTable);
        }
        return starts;
    }

    private static boolean startsRun(String logLine, String table) {
        return logLine.contains(table + ": lock acquired") || logLine.contains(table + ": resuming after checkpoint")
                || logLine.contains(table + ": no checkpoint");
    }
}
