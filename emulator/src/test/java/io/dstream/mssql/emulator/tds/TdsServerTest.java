package io.dstream.mssql.emulator.tds;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The server's lifecycle: binding, the port, counting and closing connections. */
class TdsServerTest {

    @Test
    void portZeroBindsAFreePortAndCloseIsIdempotent() throws IOException {
        TdsServer server = new TdsServer(new H2PassthroughEngine(), "127.0.0.1", 0);
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
        server.start();
        assertThat(server.port()).isPositive();
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        server.close();
        server.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(IOException.class);
    }

    @Test
    void aPortInUseFailsWithAMessageSayingSo() throws IOException {
        try (TdsServer first = new TdsServer(new H2PassthroughEngine(), "127.0.0.1", 0)) {
            first.start();
            TdsServer second = new TdsServer(new H2PassthroughEngine(), "127.0.0.1", first.port());
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port()).hasMessageContaining("Port 0 picks a free one");
        }
    }

    @Test
    void invalidPortsAreRejected() {
        assertThatThrownBy(() -> new TdsServer(new H2PassthroughEngine(), "127.0.0.1", 70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }

    @Test
    void connectionsAreCountedUntilTheyEndAndCloseEndsThem() throws IOException {
        TdsServer server = new TdsServer(new H2PassthroughEngine(), "127.0.0.1", 0);
        server.start();
        try (Socket a = new Socket("127.0.0.1", server.port()); Socket b = new Socket("127.0.0.1", server.port())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);
            a.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
            server.close();
            assertThat(server.openConnections()).isZero();
            assertThat(b.getInputStream().read()).isEqualTo(-1);
        }
    }
}
