package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code metrics_address}: {@code run} serves {@code /metrics} whose per-table counters are what it wrote on stdout,
 * answers liveness, and a port it cannot listen on is a startup error (exit 2).
 */
class MetricsIT extends EmulatorTestBase {

    static final Pattern BOUND = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:(\\d+))/metrics");
    /** One sample line of the Prometheus text format: {@code name{labels} value}. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$");
    private static final String TABLE = "dbo.mt_orders";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theCountersAreWhatItWroteOnStdout() throws Exception {
        db.createTracked("dbo", "mt_orders", "id INT PRIMARY KEY, v INT");
        ResumeIT.insert(TABLE, 1, 25);
        db.exec("UPDATE dbo.mt_orders SET v = 7 WHERE id = 3", "DELETE FROM dbo.mt_orders WHERE id = 4");
        awaitCaptured();
        ObjectNode config = config(TABLE);
        config.put("metrics_address", "127.0.0.1:0");
        config.put("max_rows_per_query", 10);
        Instant startedAt = Instant.now();
        ProviderProcess provider = track(ProviderProcess.start("run", config));

        Matcher bound = BOUND.matcher(provider.awaitStderr(l -> BOUND.matcher(l).find(), STARTUP));
        assertThat(bound.find()).isTrue();
        String base = bound.group(1);
        provider.awaitReady();
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, TABLE) && stream(l.path("changes")).anyMatch(change("delete", 4)), STREAM);
        Instant caughtUpBy = Instant.now();

        List<String> lines = provider.stdout().stream().filter(l -> Changes.isEnvelopeOf(Json.read(l), TABLE)).toList();
        List<JsonNode> changes = Changes.envelopeChanges(provider.stdout(), TABLE);
        long bytes = lines.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1L).sum();
        assertThat(changes).hasSize(27);
        String label = "{table=\"" + TABLE + "\"}";
        // the counters move right after the line is flushed: the scrape may come a moment before
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Double> m = samples(get(base + "/metrics").body());
            assertThat(value(m, "dstream_mssql_changes_total" + label)).isEqualTo((double) changes.size());
            assertThat(value(m, "dstream_mssql_stdout_lines_total" + label)).isEqualTo((double) lines.size());
            assertThat(value(m, "dstream_mssql_stdout_bytes_total" + label)).isEqualTo((double) bytes);
            assertThat(value(m, "dstream_mssql_lag_seconds" + label)).as("caught up").isEqualTo(0.0);
        });
        HttpResponse<String> scrape = get(base + "/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        Map<String, Double> m = samples(scrape.body());
        assertThat(value(m, "dstream_mssql_ready")).isEqualTo(1.0);
        assertThat(value(m, "dstream_mssql_table_state{state=\"streaming\",table=\"" + TABLE + "\"}")).isEqualTo(1.0);
        assertThat(value(m, "dstream_mssql_lease_held" + label)).isEqualTo(1.0);
        assertThat(value(m, "dstream_mssql_table_failing" + label)).isEqualTo(0.0);
        assertThat(value(m, "dstream_mssql_checkpoint_saves_total" + label)).isPositive();
        assertThat(value(m, "dstream_mssql_poll_interval_seconds" + label)).isBetween(0.1, 0.2);
        assertThat(value(m, "dstream_mssql_last_commit_time_seconds" + label)).as("the commit of the delete, in Unix seconds")
                .isBetween((double) caughtUpBy.minusSeconds(60).getEpochSecond(), (double) caughtUpBy.getEpochSecond() + 1);
        assertThat(value(m, "process_start_time_seconds")).isPositive();
        assertThat(value(m, "dstream_mssql_uptime_seconds")).as("the process ran until it caught up").isPositive()
                .isLessThan(Duration.between(startedAt, Instant.now()).toMillis() / 1e3 + 1);
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("dstream_mssql_errors_total"));
        Files.writeString(Path.of("target", "metrics-sample.txt"), scrape.body());

        HttpResponse<String> openMetrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).contains("dstream_mssql_changes_total" + label + " 27.0").endsWith("# EOF\n");

        assertThat(get(base + "/-/healthy").statusCode()).isEqualTo(200);
        assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(base + "/nothing-here").statusCode()).isEqualTo(404);
        stopCleanly(provider);
    }

    @Test
    void aSnapshotShowsItsRowsChunksAndState() throws Exception {
        db.createTracked("dbo", "mt_snap", "id INT PRIMARY KEY, v INT");
        ResumeIT.insert("dbo.mt_snap", 1, 30);
        awaitCaptured();
        ObjectNode config = config("dbo.mt_snap");
        config.put("metrics_address", "127.0.0.1:0");
        config.put("snapshot_mode", "initial");
        config.put("snapshot_chunk_rows", 10);
        ProviderProcess provider = track(ProviderProcess.start("run", config));
        Matcher bound = BOUND.matcher(provider.awaitStderr(l -> BOUND.matcher(l).find(), STARTUP));
        assertThat(bound.find()).isTrue();
        provider.awaitReady();
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.mt_snap") && stream(l.path("changes")).anyMatch(change("snapshot", 30)),
                STREAM);
        db.exec("UPDATE dbo.mt_snap SET v = 7 WHERE id = 3");
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.mt_snap") && stream(l.path("changes")).anyMatch(change("update", 3)),
                STREAM);

        String label = "{table=\"dbo.mt_snap\"}";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Double> m = samples(get(bound.group(1) + "/metrics").body());
            assertThat(value(m, "dstream_mssql_snapshot_state{state=\"done\",table=\"dbo.mt_snap\"}")).isEqualTo(1.0);
            assertThat(value(m, "dstream_mssql_snapshot_state{state=\"running\",table=\"dbo.mt_snap\"}")).isEqualTo(0.0);
            assertThat(value(m, "dstream_mssql_snapshot_rows" + label)).isEqualTo(30.0);
            assertThat(value(m, "dstream_mssql_snapshot_chunks" + label)).as("3 of 10 rows and the empty last one").isEqualTo(4.0);
            assertThat(value(m, "dstream_mssql_changes_total" + label)).as("the rows and the update").isEqualTo(31.0);
            assertThat(m).doesNotContainKey("dstream_mssql_snapshot_estimated_rows" + label);
        });
        Files.writeString(Path.of("target", "metrics-sample-snapshot.txt"), get(bound.group(1) + "/metrics").body());
        stopCleanly(provider);
    }

    @Test
    void aTableWithoutItsCaptureInstanceCountsItsFailedPollsThenItsDataLoss() throws Exception {
        db.createTracked("dbo", "mt_err", "id INT PRIMARY KEY");
        db.createTracked("dbo", "mt_ok", "id INT PRIMARY KEY");
        ObjectNode config = config("dbo.mt_err", "dbo.mt_ok"); // mt_ok keeps the process running
        config.put("metrics_address", "127.0.0.1:0");
        ProviderProcess provider = track(ProviderProcess.start("run", config));
        Matcher bound = BOUND.matcher(provider.awaitStderr(l -> BOUND.matcher(l).find(), STARTUP));
        assertThat(bound.find()).isTrue();
        provider.awaitReady();
        String url = bound.group(1) + "/metrics";
        String failing = "dstream_mssql_table_failing{table=\"dbo.mt_err\"}";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(value(samples(get(url).body()), "dstream_mssql_table_state{state=\"streaming\",table=\"dbo.mt_err\"}"))
                        .isEqualTo(1.0));

        db.disableCdc("dbo", "mt_err", "dbo_mt_err");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> m = samples(get(url).body());
            assertThat(value(m, "dstream_mssql_errors_total{kind=\"capture_instance\",table=\"dbo.mt_err\"}")).isGreaterThanOrEqualTo(2.0);
            assertThat(value(m, failing)).isEqualTo(1.0);
        });

        // a new capture instance starts after the position: what was committed in between is lost (on_data_loss fail)
        db.enableCdc("dbo", "mt_err");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> m = samples(get(url).body());
            assertThat(value(m, "dstream_mssql_errors_total{kind=\"data_loss\",table=\"dbo.mt_err\"}")).isEqualTo(1.0);
            assertThat(value(m, "dstream_mssql_table_state{state=\"stopped\",table=\"dbo.mt_err\"}")).isEqualTo(1.0);
            assertThat(value(m, "dstream_mssql_lease_held{table=\"dbo.mt_err\"}")).isEqualTo(0.0);
            assertThat(value(m, "dstream_mssql_table_state{state=\"streaming\",table=\"dbo.mt_ok\"}")).isEqualTo(1.0);
        });
        assertThat(samples(get(url).body()).keySet()).as("the healthy table has no error")
                .noneMatch(k -> k.startsWith("dstream_mssql_errors_total") && k.contains("dbo.mt_ok"));
        stopCleanly(provider);
    }

    @Test
    void aPortInUseIsAStartupError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ObjectNode config = config("dbo.mt_orders");
            config.put("metrics_address", "127.0.0.1:" + taken.getLocalPort());
            ProviderProcess provider = start("run", config);

            JsonNode first = Json.read(provider.firstLine(STARTUP));
            assertThat(first.path("status").asText()).isEqualTo("error");
            assertThat(first.path("message").asText()).startsWith("metrics_address 127.0.0.1:" + taken.getLocalPort()
                    + ": cannot listen there").contains("choose a free port");
            assertThat(provider.awaitExit(STARTUP)).isEqualTo(2);
        }
    }

    @Test
    void anAddressWithoutAPortIsAConfigError() {
        ObjectNode config = config("dbo.mt_orders");
        config.put("metrics_address", "localhost");
        ProviderProcess provider = start("run", config);

        JsonNode first = Json.read(provider.firstLine(STARTUP));
        assertThat(first.path("status").asText()).isEqualTo("error");
        assertThat(first.path("message").asText()).contains("\"metrics_address\" must be \"host:port\"");
        assertThat(provider.awaitExit(STARTUP)).isEqualTo(2);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A sample's value; -1 when the scrape has no such sample (no metric here is ever negative). */
    static double value(Map<String, Double> samples, String name) {
        return samples.getOrDefault(name, -1.0);
    }

    /** The samples of a Prometheus text scrape, by {@code name{labels}} (labels as the exporter orders them). */
    static Map<String, Double> samples(String scrape) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return samples;
    }
}
