package io.dstream.mssql.ingester.metrics;

import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.stream.TableStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The provider's Prometheus metrics ({@code dstream_mssql_*}) and the JVM's ({@code jvm_*}, {@code process_*}),
 * in a registry of their own.
 * <p>
 * Layering: {@code metrics} sits between the root package and {@code stream}. It reads what the streamer already
 * counts for its stats line ({@link TableStatus}), through callbacks run at scrape time: nothing is counted twice
 * and the streaming thread does no more than before (its counters are volatile fields it alone writes). The root
 * package wires it: it starts the {@link MetricsServer}, hands over the streamer's {@code status()} and says when
 * the provider answered ready.
 */
public final class ProviderMetrics {

    /** Every provider metric starts with this. */
    public static final String PREFIX = "dstream_mssql_";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicBoolean ready = new AtomicBoolean();
    private volatile Supplier<List<TableStatus>> tables = List::of;

    public ProviderMetrics() {
        JvmMetrics.builder().register(registry);
        GaugeWithCallback.builder().name(PREFIX + "ready")
                .help("1 once the provider answered {\"status\":\"ready\"} and streams, 0 while it starts")
                .callback(cb -> cb.call(ready.get() ? 1 : 0)).register(registry);
        // process_start_time_seconds says the same to PromQL (time() - it); this one reads without arithmetic
        GaugeWithCallback.builder().name(PREFIX + "uptime_seconds")
                .help("seconds since the provider's process started")
                .callback(cb -> cb.call(ManagementFactory.getRuntimeMXBean().getUptime() / 1e3)).register(registry);
        registerTableMetrics();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The provider answered ready: {@code dstream_mssql_ready} is 1 from now on. */
    public void ready() {
        ready.set(true);
    }

    /** Where the per-table metrics come from: the streamer's status, read at each scrape. */
    public void tables(Supplier<List<TableStatus>> status) {
        this.tables = status;
    }

    private void registerTableMetrics() {
        counter("changes", "changes written to stdout (snapshot rows included)", TableStatus::changes);
        counter("stdout_lines", "lines written to stdout", TableStatus::lines);
        counter("stdout_bytes", "bytes written to stdout (UTF-8, newlines included)", TableStatus::bytes);
        counter("checkpoint_saves", "checkpoint rows saved", TableStatus::checkpointSaves);
        CounterWithCallback.builder().name(PREFIX + "errors")
                .help("failed polls (the table retries) and permanent stops, by kind")
                .labelNames("table", "kind")
                .callback(cb -> each((t, table) -> t.errors().forEach((kind, n) -> cb.call(n, table, spelling(kind)))))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "last_commit_time_seconds")
                .help("commit time of the last change written (Unix seconds); absent before the first")
                .labelNames("table")
                .callback(cb -> each((t, table) -> t.lastCommitTime().ifPresent(at -> cb.call(unixSeconds(at), table))))
                .register(registry);
        GaugeWithCallback.builder().name(PREFIX + "lag_seconds")
                .help("0 when the last poll read everything captured, else seconds since the commit of the last change "
                        + "written; absent when unknown or the table is not streamed here")
                .labelNames("table")
                .callback(cb -> each((t, table) -> t.lag().ifPresent(lag -> cb.call(seconds(lag), table))))
                .register(registry);
        gauge("poll_interval_seconds", "the wait the table last chose between polls: poll_interval, doubling up to "
                + "max_poll_interval while the table is idle or failing", t -> seconds(t.pollInterval()));
        GaugeWithCallback.builder().name(PREFIX + "table_state")
                .help("1 for the table's state in this instance, 0 for the others")
                .labelNames("table", "state")
                .callback(cb -> each((t, table) -> {
                    for (TableStatus.State state : TableStatus.State.values()) {
                        cb.call(t.state() == state ? 1 : 0, table, spelling(state));
                    }
                }))
                .register(registry);
        gauge("table_failing", "1 while the table's last poll failed (it retries with backoff)", t -> t.failing() ? 1 : 0);
        gauge("lease_held", "1 while this instance holds the table's lock (with lock_config none: once it streams)",
                t -> t.state() == TableStatus.State.LOADING || t.state() == TableStatus.State.STREAMING ? 1 : 0);
        GaugeWithCallback.builder().name(PREFIX + "snapshot_state")
                .help("1 for the state of the table's snapshot (running, done), 0 for the other; absent without a snapshot")
                .labelNames("table", "state")
                .callback(cb -> each((t, table) -> {
                    if (t.snapshot().state() != SnapshotProgress.State.NONE) {
                        cb.call(t.snapshot().running() ? 1 : 0, table, "running");
                        cb.call(t.snapshot().running() ? 0 : 1, table, "done");
                    }
                }))
                .register(registry);
        snapshotGauge("snapshot_rows", "rows the table's current (or last) snapshot wrote", t -> t.snapshot().rows());
        snapshotGauge("snapshot_chunks", "snapshot chunks finished, over every snapshot of the table", t -> t.snapshot().chunks());
        GaugeWithCallback.builder().name(PREFIX + "snapshot_estimated_rows")
                .help("rows SQL Server estimates the table holds (sys.partitions), while a snapshot runs; absent when unknown")
                .labelNames("table")
                .callback(cb -> each((t, table) -> {
                    if (t.snapshot().running() && t.estimatedRows() >= 0) {
                        cb.call(t.estimatedRows(), table);
                    }
                }))
                .register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<TableStatus> value) {
        CounterWithCallback.builder().name(PREFIX + name).help(help).labelNames("table")
                .callback(cb -> each((t, table) -> cb.call(value.applyAsDouble(t), table))).register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<TableStatus> value) {
        GaugeWithCallback.builder().name(PREFIX + name).help(help).labelNames("table")
                .callback(cb -> each((t, table) -> cb.call(value.applyAsDouble(t), table))).register(registry);
    }

    private void snapshotGauge(String name, String help, ToDoubleFunction<TableStatus> value) {
        GaugeWithCallback.builder().name(PREFIX + name).help(help + "; absent without a snapshot").labelNames("table")
                .callback(cb -> each((t, table) -> {
                    if (t.snapshot().state() != SnapshotProgress.State.NONE) {
                        cb.call(value.applyAsDouble(t), table);
                    }
                }))
                .register(registry);
    }

    private void each(BiConsumer<TableStatus, String> action) {
        for (TableStatus t : tables.get()) {
            action.accept(t, t.table().toString());
        }
    }

    private static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double unixSeconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
