package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code log_format json}: stderr as one JSON object per line, for a log collector; secrets masked as in text. */
class LogsIT extends EmulatorTestBase {

    @Test
    void aRunLogsJsonLinesWithTheTableTheyAreAbout() {
        db.createTracked("dbo", "lg_run", "id INT PRIMARY KEY");
        ObjectNode config = config("dbo.lg_run");
        config.put("log_format", "json");
        ProviderProcess provider = run(config);
        db.exec("INSERT INTO dbo.lg_run VALUES (1)");
        envelopeChangesUntil(provider, "dbo.lg_run", change("insert", 1));
        stopCleanly(provider);

        List<String> stderr = provider.stderr();
        assertThat(stderr.get(0)).as("logged before the config line is read: MSSQL_CDC_LOG_FORMAT decides")
                .startsWith("[MSSQL-CDC] ").contains("waiting for the config line");
        List<JsonNode> lines = stderr.subList(1, stderr.size()).stream().map(Json::read).toList();
        assertThat(lines).isNotEmpty().allSatisfy(LogsIT::isLogObject);
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).startsWith("config loaded"));
        assertThat(lines).as("lines about the table name it").anySatisfy(l -> assertThat(l.path("table").asText()).isEqualTo("dbo.lg_run"));
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).startsWith("stopped"));
        assertThat(stderr).noneMatch(line -> line.contains(PASSWORD));
    }

    @Test
    void theEnvironmentVariableMakesEvenTheFirstLineJson() {
        db.createTracked("dbo", "lg_env", "id INT PRIMARY KEY");
        ProviderProcess provider = track(ProviderProcess.start("plan", config("dbo.lg_env"),
                Map.of("MSSQL_CDC_LOG_FORMAT", "json")));

        assertThat(provider.awaitExit(STARTUP)).isZero();
        assertThat(provider.stderr()).isNotEmpty().allSatisfy(line -> isLogObject(Json.read(line)));
        assertThat(Json.read(provider.stderr().get(0)).path("message").asText()).contains("waiting for the config line");
    }

    @Test
    void wrongLogVariablesAreWarnedOnStderrAndStdoutStaysTheProtocols() {
        db.createTracked("dbo", "lg_wrong_env", "id INT PRIMARY KEY");
        ProviderProcess provider = track(ProviderProcess.start("run", config("dbo.lg_wrong_env"),
                Map.of("MSSQL_CDC_LOG_FORMAT", "xml", "MSSQL_CDC_LOG_LEVEL", "LOUD")));

        assertThat(provider.firstLine(STARTUP)).as("Logback's own report must not come first").isEqualTo("{\"status\":\"ready\"}");
        stopCleanly(provider);
        assertThat(provider.stdout()).allSatisfy(line -> assertThat(line).startsWith("{"));
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line).startsWith("[MSSQL-CDC] ").contains(" WARN ",
                "MSSQL_CDC_LOG_FORMAT must be text or json, got \"xml\""));
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line).contains("MSSQL_CDC_LOG_LEVEL must be one of"));
    }

    @Test
    void aConfigErrorIsLoggedInTheFormatTheConfigAsksFor() {
        ObjectNode config = config("dbo.lg_bad");
        config.put("log_format", "json");
        config.put("poll_interval", "soon");
        ProviderProcess provider = start("run", config);

        assertThat(provider.awaitExit(STARTUP)).isEqualTo(2);
        assertThat(Json.read(provider.stdout().get(0)).path("status").asText()).isEqualTo("error");
        List<JsonNode> lines = provider.stderr().subList(1, provider.stderr().size()).stream().map(Json::read).toList();
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("level").asText()).isEqualTo("ERROR");
            assertThat(l.path("message").asText()).contains("poll_interval");
        });
    }

    @Test
    void anUnknownLogFormatIsAConfigError() {
        ObjectNode config = config("dbo.lg_bad");
        config.put("log_format", "xml");
        ProviderProcess provider = start("run", config);

        assertThat(provider.awaitExit(STARTUP)).isEqualTo(2);
        assertThat(Json.read(provider.stdout().get(0)).path("message").asText())
                .contains("\"log_format\" must be one of \"text\", \"json\"");
    }

    private static void isLogObject(JsonNode line) {
        assertThat(line.path("@timestamp").asText()).as("@timestamp of %s", line).isNotEmpty();
        assertThat(line.path("level").asText()).as("level of %s", line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
        assertThat(line.path("logger_name").asText()).as("logger_name of %s", line).startsWith("io.dstream.mssql.ingester");
        assertThat(line.has("message")).as("message of %s", line).isTrue();
    }
}
