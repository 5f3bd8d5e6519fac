package io.dstream.mssql.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    @Test
    void writesACommandEnvelopeWithGoDurationsAndDboQualifiedTables() {
        String line = ProviderConfig.line("run", "server=localhost,1433;database=bench", List.of("a", "b"),
                Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(line).isEqualTo("{\"command\":\"run\",\"config\":{\"db_connection_string\":\"server=localhost,1433;database=bench\","
                + "\"tables\":[\"dbo.a\",\"dbo.b\"],\"poll_interval\":\"100ms\",\"max_poll_interval\":\"2s\"}}");
    }

    @Test
    void goDurationsUseSecondsWhenWholeAndMillisecondsOtherwise() {
        assertThat(ProviderConfig.goDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ProviderConfig.goDuration(Duration.ofSeconds(30))).isEqualTo("30s");
    }
}
