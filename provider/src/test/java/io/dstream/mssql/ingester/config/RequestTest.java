package io.dstream.mssql.ingester.config;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
