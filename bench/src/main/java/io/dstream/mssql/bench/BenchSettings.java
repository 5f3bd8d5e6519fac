package io.dstream.mssql.bench;

import java.time.Duration;
import java.util.List;

/**
 * The sizes and timings of one bench run. {@link #quick()} keeps every scenario but shrinks it so
 * the whole run takes about three minutes; {@link #full()} is the size the targets are stated for.
 * {@code drainWarmup} changes are drained by the same provider process before the measured
 * {@code drainChanges}: a 50,000-change drain is otherwise over before the provider's JIT has
 * compiled its hot path, while a million-change drain warms up within its first tenth.
 * {@code peerChanges} is the backlog the peer scenario drains with Debezium and with the provider.
 */
public record BenchSettings(
        String mode,
        int drainChanges,
        int drainWarmup,
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
        CaptureLoad capture,
        int scaleTables,
        int peerChanges) {

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
    /** Time to ready of the packaged linux_amd64 plugin, with its class-data-sharing archive (issue #12). */
    public static final Duration PACKAGED_READY_TARGET = Duration.ofMillis(300);
    /** The provider's whole-process CPU per million drained changes (issue #9). */
    public static final double CPU_SECONDS_PER_MILLION_TARGET = 10;
    /** The provider's CPU per change once past the start of the drain (issue #9). */
    public static final double MARGINAL_MICROS_TARGET = 5;
    /** The marginal cost is measured from this change on, or from 10 % of a smaller backlog. */
    public static final long MARGINAL_FROM_CHANGE = 100_000;
    /** The provider's live heap halfway through the drain, read-ahead on (issue #9). */
    public static final long LIVE_HEAP_MB_TARGET = 32;
        /** Time to ready with {@link #scaleTables} CDC tables (issue #9). */
    public static final Duration SCALE_READY_TARGET = Duration.ofSeconds(5);

    public static BenchSettings quick(Duration captureLatency) {
        return new BenchSettings("quick", 50_000, 50_000, 4, "-Xmx128m", List.of(1, 10, 100),
                Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1500), Duration.ofSeconds(10),
                200, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(100), captureLatency, 3,
                new CaptureLoad(100, 10_000, 4, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2)),
                200, 20_000);
    }

    public static BenchSettings full(Duration captureLatency) {
        return new BenchSettings("full", 1_000_000, 0, 4, "-Xmx128m", List.of(1, 10, 100),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60),
                200, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(100), captureLatency, 10,
                new CaptureLoad(100, 10_000, 4, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(2)),
                1_000, 200_000);
    }

    public BenchSettings withDrainChanges(int changes) {
        return new BenchSettings(mode, changes, drainWarmup, drainTables, providerHeap, idleTableCounts, idlePoll,
                idleMaxPoll, idleSettle, idleWindow, latencyRate, latencyDuration, latencyWarmup, latencyPoll,
                captureLatency, startupRuns, capture, scaleTables, peerChanges);
    }

    public BenchSettings withScaleTables(int tables) {
        return new BenchSettings(mode, drainChanges, drainWarmup, drainTables, providerHeap, idleTableCounts, idlePoll,
                idleMaxPoll, idleSettle, idleWindow, latencyRate, latencyDuration, latencyWarmup, latencyPoll,
                captureLatency, startupRuns, capture, tables, peerChanges);
    }

    /**
     * The change after which the marginal CPU cost is measured, counted from the first measured
     * change: {@value #MARGINAL_FROM_CHANGE}, or 10 % of a backlog smaller than a million.
     */
    public long marginalFrom() {
        return Math.min(MARGINAL_FROM_CHANGE, drainChanges / 10);
    }

    /** The latency target: a change may wait one poll interval, the capture latency, and 100 ms of work. */
    public Duration latencyTarget() {
        return latencyPoll.plus(captureLatency).plusMillis(100);
    }
}
