package io.dstream.mssql.bench.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Commit-to-stdout latency per row: the workload records when each row's commit returned, the
 * reader records when the provider's line carrying that row arrived. Both clocks are this JVM's
 * {@link System#nanoTime()}, so no clock skew enters the figure. Row ids are 1..capacity; a row
 * written twice (at-least-once) counts at its first arrival.
 */
public final class LatencyProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLongArray committedAt;
    private final AtomicLongArray arrivedAt;
    private final java.util.concurrent.atomic.AtomicLong lines = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger lastCommitted = new java.util.concurrent.atomic.AtomicInteger();

    public LatencyProbe(int capacity) {
        committedAt = new AtomicLongArray(capacity + 1);
        arrivedAt = new AtomicLongArray(capacity + 1);
    }

    public void committed(int id, long nanos) {
        committedAt.set(id, nanos);
        lastCommitted.accumulateAndGet(id, Math::max);
    }

    /** The highest id committed so far (0 before the first). */
    public int lastCommitted() {
        return lastCommitted.get();
    }

    /** Called by the stdout reader thread for every envelope line. */
    public void accept(String line, long arrivalNanos) {
        if (!line.startsWith("{\"table_name\"")) {
            return;
        }
        lines.incrementAndGet();
        try {
            for (JsonNode change : JSON.readTree(line).path("changes")) {
                JsonNode id = change.path("data").path("id");
                if (id.canConvertToInt() && id.intValue() > 0 && id.intValue() < arrivedAt.length()) {
                    arrivedAt.compareAndSet(id.intValue(), 0, arrivalNanos);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the provider wrote a line that is not JSON: " + line, e);
        }
    }

    /** Envelope lines seen: one per poll that found changes, so lines per second is the provider's poll rate under load. */
    public long lines() {
        return lines.get();
    }

    /** How many of the rows 1..lastId have arrived. */
    public int arrived(int lastId) {
        int n = 0;
        for (int id = 1; id <= lastId; id++) {
            if (arrivedAt.get(id) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Latencies in nanoseconds of the rows firstId..lastId that arrived. */
    public long[] latencies(int firstId, int lastId) {
        long[] out = new long[lastId - firstId + 1];
        int n = 0;
        for (int id = firstId; id <= lastId; id++) {
            long arrived = arrivedAt.get(id);
            if (arrived != 0) {
                out[n++] = Math.max(0, arrived - committedAt.get(id));
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
