package io.dstream.mssql.ingester.metrics;

import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.stream.TableStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a scrape shows for given table statuses, in the Prometheus text format, without HTTP. */
class ProviderMetricsTest {

    private static final Instant COMMIT = Instant.parse("2026-01-01T00:00:00.500Z");

    private final ProviderMetrics metrics = new ProviderMetrics();
    private final List<TableStatus> tables = new ArrayList<>();

    @Test
    void beforeTheStreamerStartsOnlyReadyZeroAndTheJvmAreThere() {
        String scrape = scrape();
        assertThat(scrape).contains("dstream_mssql_ready 0.0\n").contains("process_start_time_seconds ")
                .contains("jvm_memory_used_bytes{").contains("jvm_threads_current ")
                .doesNotContain("dstream_mssql_changes_total{");
        metrics.ready();
        assertThat(scrape()).contains("dstream_mssql_ready 1.0\n");
        assertThat(sample(scrape(), "dstream_mssql_uptime_seconds")).as("this JVM's uptime").isPositive();
    }

    @Test
    void aStreamingTableShowsItsCountersLagAndState() {
        tables.add(new TableStatus(new TableName("dbo", "orders"), TableStatus.State.STREAMING, false, 5, 2, 812, 3,
                Map.of(TableStatus.ErrorKind.QUERY, 2L, TableStatus.ErrorKind.CHECKPOINT, 1L), Optional.of(COMMIT),
                Optional.of(Duration.ofMillis(1500)), Duration.ofSeconds(2), SnapshotProgress.NONE, -1));
        metrics.tables(() -> tables);

        String scrape = scrape();

        assertThat(scrape).contains(
                "dstream_mssql_changes_total{table=\"dbo.orders\"} 5.0\n",
                "dstream_mssql_stdout_lines_total{table=\"dbo.orders\"} 2.0\n",
                "dstream_mssql_stdout_bytes_total{table=\"dbo.orders\"} 812.0\n",
                "dstream_mssql_checkpoint_saves_total{table=\"dbo.orders\"} 3.0\n",
                "dstream_mssql_errors_total{kind=\"query\",table=\"dbo.orders\"} 2.0\n",
                "dstream_mssql_errors_total{kind=\"checkpoint\",table=\"dbo.orders\"} 1.0\n",
                "dstream_mssql_last_commit_time_seconds{table=\"dbo.orders\"} 1.7672256005E9\n",
                "dstream_mssql_lag_seconds{table=\"dbo.orders\"} 1.5\n",
                "dstream_mssql_poll_interval_seconds{table=\"dbo.orders\"} 2.0\n",
                "dstream_mssql_table_state{state=\"streaming\",table=\"dbo.orders\"} 1.0\n",
                "dstream_mssql_table_state{state=\"unheld\",table=\"dbo.orders\"} 0.0\n",
                "dstream_mssql_table_failing{table=\"dbo.orders\"} 0.0\n",
                "dstream_mssql_lease_held{table=\"dbo.orders\"} 1.0\n",
                "# TYPE dstream_mssql_changes_total counter\n",
                "# TYPE dstream_mssql_lag_seconds gauge\n");
        assertThat(scrape).as("no snapshot: no snapshot series").doesNotContain("dstream_mssql_snapshot_rows{");
    }

    @Test
    void aTableNotStreamedHereHasNoLagAndNoLease() {
        tables.add(new TableStatus(new TableName("sales", "odd name"), TableStatus.State.UNHELD, false, 0, 0, 0, 0, Map.of(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(4), SnapshotProgress.NONE, -1));
        metrics.tables(() -> tables);

        String scrape = scrape();

        assertThat(scrape).contains("dstream_mssql_table_state{state=\"unheld\",table=\"sales.odd name\"} 1.0\n",
                "dstream_mssql_lease_held{table=\"sales.odd name\"} 0.0\n",
                "dstream_mssql_changes_total{table=\"sales.odd name\"} 0.0\n");
        assertThat(scrape).doesNotContain("dstream_mssql_lag_seconds{", "dstream_mssql_last_commit_time_seconds{",
                "dstream_mssql_errors_total{");
    }

    @Test
    void aRunningSnapshotShowsRowsChunksAndTheEstimate() {
        SnapshotProgress running = new SnapshotProgress(SnapshotProgress.State.RUNNING, "[7]", 700, 7, COMMIT);
        tables.add(new TableStatus(new TableName("dbo", "orders"), TableStatus.State.STREAMING, false, 700, 7, 9000, 7, Map.of(),
                Optional.empty(), Optional.of(Duration.ZERO), Duration.ofSeconds(1), running, 10_000));
        tables.add(new TableStatus(new TableName("dbo", "items"), TableStatus.State.STOPPED, false, 0, 0, 0, 0,
                Map.of(TableStatus.ErrorKind.SNAPSHOT_REFUSED, 1L), Optional.empty(), Optional.empty(), Duration.ofSeconds(1),
                new SnapshotProgress(SnapshotProgress.State.DONE, "[3]", 3, 2, COMMIT), -1));
        metrics.tables(() -> tables);

        String scrape = scrape();

        assertThat(scrape).contains(
                "dstream_mssql_snapshot_state{state=\"running\",table=\"dbo.orders\"} 1.0\n",
                "dstream_mssql_snapshot_state{state=\"done\",table=\"dbo.orders\"} 0.0\n",
                "dstream_mssql_snapshot_rows{table=\"dbo.orders\"} 700.0\n",
                "dstream_mssql_snapshot_chunks{table=\"dbo.orders\"} 7.0\n",
                "dstream_mssql_snapshot_estimated_rows{table=\"dbo.orders\"} 10000.0\n",
                "dstream_mssql_snapshot_state{state=\"done\",table=\"dbo.items\"} 1.0\n",
                "dstream_mssql_snapshot_rows{table=\"dbo.items\"} 3.0\n",
                "dstream_mssql_table_state{state=\"stopped\",table=\"dbo.items\"} 1.0\n",
                "dstream_mssql_errors_total{kind=\"snapshot_refused\",table=\"dbo.items\"} 1.0\n",
                "dstream_mssql_lag_seconds{table=\"dbo.orders\"} 0.0\n");
        assertThat(scrape).as("a finished snapshot has no estimate").doesNotContain("dstream_mssql_snapshot_estimated_rows{table=\"dbo.items\"}");
    }

    /** The value of a sample without labels, e.g. {@code dstream_mssql_uptime_seconds}. */
    private static double sample(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in the scrape"));
    }

    private String scrape() {
        return PrometheusTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    }
}
