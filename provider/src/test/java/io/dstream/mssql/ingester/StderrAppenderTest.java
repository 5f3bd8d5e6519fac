package io.dstream.mssql.ingester;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dstream.mssql.ingester.config.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The appender's two formats, each masked, written to a captured stderr. */
class StderrAppenderTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream realErr;
    private LoggerContext context;

    @BeforeEach
    void captureStderr() {
        realErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogMask.hide(List.of("Hunter2-Secret"));
    }

    @AfterEach
    void restore() {
        System.setErr(realErr);
        LogMask.reset();
        MDC.clear();
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void textLinesKeepTheRelayPrefixAndHideSecrets() {
        Logger log = logger("text");
        log.info("connecting with password {}", "Hunter2-Secret");

        assertThat(output()).matches("\\[MSSQL-CDC] \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  t - connecting with password \\*\\*\\*\n");
    }

    @Test
    void jsonLinesCarryLevelLoggerTableAndAMaskedMessage() throws IOException {
        Logger log = logger("json");
        MDC.put("table", "dbo.orders");
        log.warn("retrying after {}", "Login failed; Password=Hunter2-Secret", new SQLException("bad Hunter2-Secret"));

        String[] lines = output().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("logger_name").asText()).isEqualTo("t");
        assertThat(line.path("table").asText()).isEqualTo("dbo.orders");
        assertThat(line.path("message").asText()).isEqualTo("retrying after Login failed; Password=***");
        assertThat(line.path("@timestamp").asText()).isNotEmpty();
        assertThat(line.path("stack_trace").asText()).contains("java.sql.SQLException: bad ***");
        assertThat(lines[0]).doesNotContain("Hunter2");
    }

    @Test
    void switchesFormatOnceTheConfigIsRead() throws IOException {
        Logger log = logger("text");
        log.info("before");
        switchTo(LogFormat.JSON);
        log.info("after");

        String[] lines = output().split("\n");
        assertThat(lines[0]).startsWith("[MSSQL-CDC] ").endsWith(" - before");
        assertThat(new ObjectMapper().readTree(lines[1]).path("message").asText()).isEqualTo("after");
    }

    @Test
    void anUnknownFormatIsTextAndSaysSo() {
        Logger log = logger("xml");
        log.info("hello");

        String[] lines = output().split("\n");
        assertThat(lines[0]).startsWith("[MSSQL-CDC] ").contains(" WARN ", "MSSQL_CDC_LOG_FORMAT must be text or json, got \"xml\"");
        assertThat(lines[1]).startsWith("[MSSQL-CDC] ").endsWith(" - hello");
    }

    @Test
    void theLevelVariableSetsTheThresholdAndAWrongOneSaysSo() {
        setUp("WARN", null);
        context.getLogger("t").info("not shown");
        context.getLogger("t").warn("shown");
        assertThat(output()).doesNotContain("not shown").contains(" WARN  t - shown");

        captured.reset();
        setUp("LOUD", "json");
        context.getLogger("t").info("shown at INFO");
        assertThat(output().lines().map(StderrAppenderTest::json).map(j -> j.path("message").asText()))
                .containsExactly("MSSQL_CDC_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF, got \"LOUD\"; logging at INFO",
                        "shown at INFO");
    }

    @Test
    void librariesAreQuieterAndLogbacksOwnWarningsGoToStderr() {
        setUp(null, null);
        context.getLogger("com.azure.storage.blob").error("an SDK line");
        context.getLogger("com.microsoft.sqlserver.jdbc").info("a driver line");
        context.getStatusManager().add(new ch.qos.logback.core.status.WarnStatus("an appender broke", this));

        assertThat(output()).doesNotContain("an SDK line", "a driver line").contains("[MSSQL-CDC] logback: an appender broke");
    }

    private Logger logger(String format) {
        setUp(null, format);
        return context.getLogger("t");
    }

    private void setUp(String level, String format) {
        context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        LogSetup.install(context, level, format);
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private void switchTo(LogFormat format) {
        StderrAppender.use(context, format);
    }

    private String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
