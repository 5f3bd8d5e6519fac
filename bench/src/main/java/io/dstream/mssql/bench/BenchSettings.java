package io.dstream.mssql.bench;

import java.time.Duration;
import java.util.List;

/**
 * The sizes and timings of one bench run. {@link #quick()} keeps every scenario but shrinks it so
 * the whole run fits in three minutes; {@link #full()} is the size the targets are stated for.
 */
public record BenchSettings(
        String mode,
        int drainChanges,
        int drainTables,
        String providerHeap,
        List<Integer> idleTableCounts,
        Duration idlePoll,
        Duration idleMaxPoll,
        Duration idleSettle,
        Duration idleWindow,
        int latencyRate,
        Duration latencyDuration,
        Duration latencyWarmup,
        Duration latencyPoll,
        Duration captureLatency,
        int startupRuns,
        CaptureLoad capture) {

    /**
     * The capture scenario: {@code rowsPerSecond} inserted over {@code tables} CDC tables from
     * {@code writers} connections for {@code duration}; the first {@code warmup} does not count.
     */
    public record CaptureLoad(int tables, int rowsPerSecond, int writers, Duration duration, Duration warmup,
                              Duration lagTarget) {
    }

    /** Idle statements/min that 100 tables may cost beyond 1 table: a few statements that do not scale with tables. */
    public static final double IDLE_ALLOWANCE_PER_MINUTE = 10;
    public static final double DRAIN_RATIO_TARGET = 0.8;
    public static final Duration READY_TARGET = Duration.ofMillis(1500);

    public static BenchSettings quick(Duration captureLatency) {
        return new BenchSettings("quick", 50_000, 4, "-Xmx128m", List.of(1, 10, 100),
                Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1500), Duration.ofSeconds(10),
                200, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(100), captureLatency, 3,
                new CaptureLoad(100, 10_000, 4, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }

    public static BenchSettings full(Duration captureLatency) {
        return new BenchSettings("full", 1_000_000, 4, "-Xmx128m", List.of(1, 10, 100),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60),
                200, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(100), captureLatency, 10,
                new CaptureLoad(100, 10_000, 4, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(2)));
    }

    public BenchSettings withDrainChanges(int changes) {
        return new BenchSettings(mode, changes, drainTables, providerHeap, idleTableCounts, idlePoll, idleMaxPoll,
                idleSettle, idleWindow, latencyRate, latencyDuration, latencyWarmup, latencyPoll, captureLatency,
                startupRuns, capture);
    }

    /** The latency target: a change may wait one poll interval, the capture latency, and 100 ms of work. */
    public Duration latencyTarget() {
        return latencyPoll.plus(captureLatency).plusMillis(100);
    }
}
