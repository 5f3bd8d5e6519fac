package io.dstream.mssql.ingester;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dstream.mssql.ingester.output.Json;
import io.dstream.mssql.ingester.output.Stdout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Startup failures decided in {@code Main}: one error line, exit code 2, and no secret anywhere. */
class MainTest {

    private static final String SECRET = "S3cret-Pa55word";

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    private int run(String stdin) {
        return new Main(new Stdout(stdout)).run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> lines() {
        return stdout.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private JsonNode onlyLine() throws IOException {
        assertThat(lines()).hasSize(1);
        return Json.MAPPER.readTree(lines().get(0));
    }

    @Test
    void everyConfigProblemInOneErrorLine() throws IOException {
        int code = run("{\"command\":\"run\",\"config\":{\"db_connection_string\":\"server=h;database=d;password=" + SECRET
                + "\",\"tables\":[],\"poll_interval\":\"soon\"}}\n");

        assertThat(code).isEqualTo(2);
        JsonNode error = onlyLine();
        assertThat(error.path("status").asText()).isEqualTo("error");
        assertThat(error.path("message").asText()).startsWith("invalid configuration: 2 configuration problems: ")
                .contains("\"tables\" must name at least one table").contains("\"poll_interval\" \"soon\" is not a Go duration");
        assertNoSecret();
    }

    @Test
    void malformedJsonIsAStartupError() throws IOException {
        assertThat(run("{\"command\":\"run\",\n")).isEqualTo(2);

        assertThat(onlyLine().path("message").asText()).contains("not valid JSON");
    }

    /** Jackson's limits used to end in a NullPointerException, exit 1 and an empty stdout. */
    @Test
    void aConfigLinePastTheParsersLimitsIsAStartupError() throws IOException {
        int code = run("{\"db_connection_string\":\"server=h;database=d;password=" + SECRET + "\",\"max_message_bytes\":"
                + "1".repeat(2_000) + "}\n");

        assertThat(code).isEqualTo(2);
        assertThat(onlyLine().path("message").asText()).startsWith("invalid configuration: the config line is past a limit")
                .contains("numbers of at most 100 digits");
        assertNoSecret();
    }

    @Test
    void saysItWaitsForTheConfigLine() {
        run("{}\n");

        assertThat(logs.list).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO
                && e.getFormattedMessage().equals("waiting for the config line on stdin (giving up after 30 s)"));
    }

    @Test
    void anUnreachableServerIsAStartupErrorNamingWhereItTried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        int code = run("{\"db_connection_string\":\"server=127.0.0.1," + port + ";database=testdb;user id=sa;password=" + SECRET
                + ";encrypt=false\",\"tables\":[\"dbo.t\"]}\n");

        assertThat(code).isEqualTo(2);
        String message = onlyLine().path("message").asText();
        assertThat(message).contains("127.0.0.1:" + port).contains("testdb").contains("check host, port");
        assertNoSecret();
    }

    private void assertNoSecret() {
        assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(SECRET));
    }
}
