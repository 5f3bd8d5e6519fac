package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestTest {

    @Test
    void envelope() throws ConfigException {
        Request r = Request.parse("{\"command\":\"plan\",\"config\":{\"tables\":[\"a\"]}}");

        assertThat(r.command()).isEqualTo(Command.PLAN);
        assertThat(r.config().get("tables").get(0).asText()).isEqualTo("a");
    }

    @Test
    void bareConfigMeansRun() throws ConfigException {
        Request r = Request.parse("{\"tables\":[\"a\"]}");

        assertThat(r.command()).isEqualTo(Command.RUN);
        assertThat(r.config().has("tables")).isTrue();
    }

    /** stdin stays open: reading must return after the first line, not wait for EOF. */
    @Test
    void readsOneLineWithoutWaitingForEndOfInput() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        InputStream stdin = new PipedInputStream(writer);
        writer.write("{\"command\":\"run\",\"config\":{}}\n".getBytes(StandardCharsets.UTF_8));
        writer.flush();

        Request r = Request.read(stdin);

        assertThat(r.command()).isEqualTo(Command.RUN);
        writer.close();
    }

    @Test
    void mistakes() {
        assertThatThrownBy(() -> Request.parse("{\"command\":\"run\",\"config\":{\"tables\":["))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Request.parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> Request.parse("{\"command\":\"launch\",\"config\":{}}"))
                .hasMessageContaining("unknown command \"launch\"");
        assertThatThrownBy(() -> Request.parse("{\"command\":\"run\"}")).hasMessageContaining("no \"config\" object");
        assertThatThrownBy(() -> Request.parse("{\"command\":1,\"config\":{}}")).hasMessageContaining("\"command\" must be a string");
        assertThatThrownBy(() -> Request.read(new ByteArrayInputStream(new byte[0]))).hasMessageContaining("no config on stdin");
    }

    /** A stdin that stays open without a line must not hold the provider forever. */
    @Test
    void noLineBeforeTheDeadlineIsAnError() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        InputStream stdin = new PipedInputStream(writer);
        writer.write("{\"command\":\"run\"".getBytes(StandardCharsets.UTF_8)); // no newline: not a line yet

        assertThatThrownBy(() -> Request.read(stdin, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("no complete config line on stdin within 1 s");
        writer.close();
    }

    @Test
    void theLastLineNeedsNoNewline() throws ConfigException {
        Request r = Request.read(new ByteArrayInputStream("{\"command\":\"plan\",\"config\":{}}\r".getBytes(StandardCharsets.UTF_8)));

        assertThat(r.command()).isEqualTo(Command.PLAN);
    }

    static Stream<Arguments> pastTheLimits() {
        return Stream.of(
                Arguments.of("a 2,000-digit number", "{\"max_message_bytes\":" + "9".repeat(2_000) + "}",
                        "Number value length \\(2000\\) exceeds the maximum allowed \\(100\\)"),
                Arguments.of("2,000 nested arrays", "{\"tables\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}",
                        "nesting depth \\(33\\) exceeds the maximum allowed \\(32\\)"),
                Arguments.of("a 60k-character key", "{\"" + "k".repeat(60_000) + "\":1}",
                        "Name length \\(\\d+\\) exceeds the maximum allowed \\(256\\)"),
                Arguments.of("a 21 MB string", "{\"db_connection_string\":\"" + "x".repeat(21_000_000) + "\"}",
                        "the config line is longer than 1048576 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pastTheLimits")
    void aLinePastTheLimitsSaysWhichLimitWithoutEchoingIt(String name, String line, String whatPattern) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Request.read(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8))));

        assertThat(e).as(name).isNotNull();
        assertThat(e.getMessage()).containsPattern(whatPattern).contains(Request.LIMITS).doesNotContain("xxxxxxxx", "kkkkkkkk", "99999999")
                .doesNotContain("StreamReadConstraints").hasSizeLessThan(1_000);
    }
}
