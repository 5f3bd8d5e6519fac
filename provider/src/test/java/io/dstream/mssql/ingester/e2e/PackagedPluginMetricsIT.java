package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics endpoint on the linux_amd64 plugin's jlink'd runtime (installed as {@link PackagedPlugin} does, no
 * java on the PATH): its HTTP server (jdk.httpserver) answers, and the JVM's process metrics (jdk.management) are
 * there. Needs {@code target/dist} (a package without {@code -Ddist.skip}).
 */
class PackagedPluginMetricsIT extends EmulatorTestBase {

    @TempDir
    static Path temp;

    @Test
    void thePluginServesMetricsOnItsBundledRuntime() throws IOException, InterruptedException {
        Path plugin = PackagedPlugin.install(temp.resolve("home"), "linux_amd64");
        db.createTracked("dbo", "pm_orders", "id INT PRIMARY KEY");
        db.exec("INSERT INTO dbo.pm_orders VALUES (1)");
        ProcessBuilder command = PackagedPlugin.command(plugin, temp.resolve("work"));
        Path bin = Files.createDirectories(temp.resolve("bin-without-java"));
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        command.environment().put("PATH", bin.toString());
        command.environment().remove("JAVA_HOME");
        ObjectNode config = config("dbo.pm_orders");
        config.put("metrics_address", "127.0.0.1:0");
        ProviderProcess provider = track(ProviderProcess.startCommand(command, Json.envelope("run", config), "plugin-metrics"));

        Matcher bound = MetricsIT.BOUND.matcher(provider.awaitStderr(l -> MetricsIT.BOUND.matcher(l).find(), STARTUP));
        assertThat(bound.find()).isTrue();
        provider.awaitReady(STARTUP);
        envelopeChangesUntil(provider, "dbo.pm_orders", change("insert", 1));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(bound.group(1) + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> m = MetricsIT.samples(scrape.body());
        assertThat(MetricsIT.value(m, "dstream_mssql_ready")).isEqualTo(1.0);
        assertThat(MetricsIT.value(m, "process_start_time_seconds")).isPositive();
        assertThat(MetricsIT.value(m, "process_cpu_seconds_total")).as("com.sun.management (jdk.management)").isPositive();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(bound.group(1) + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        stopCleanly(provider);
    }
}
