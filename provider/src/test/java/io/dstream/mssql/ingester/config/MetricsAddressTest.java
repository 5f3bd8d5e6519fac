package io.dstream.mssql.ingester.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsAddressTest {

    @Test
    void hostAndPortEveryInterfaceAnIpv6LiteralAndAnyFreePort() {
        assertThat(MetricsAddress.parse("127.0.0.1:9464")).contains(new MetricsAddress("127.0.0.1", 9464));
        assertThat(MetricsAddress.parse(":9464")).contains(new MetricsAddress("", 9464));
        assertThat(MetricsAddress.parse("[::1]:0")).contains(new MetricsAddress("::1", 0));
        assertThat(MetricsAddress.parse("metrics.internal:80")).contains(new MetricsAddress("metrics.internal", 80));
        assertThat(new MetricsAddress("::1", 9464).urlHost()).isEqualTo("[::1]");
        assertThat(new MetricsAddress("", 9464).urlHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void aBadAddressSaysWhatIsExpected() {
        for (String bad : new String[] {"9464", "localhost", "localhost:", "localhost:x", "localhost:65536", "localhost:-1",
                "::1:9464", "[]:9464", "a b:9464", "http://localhost:9464"}) {
            assertThatThrownBy(() -> MetricsAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("must be \"host:port\" (e.g. \"127.0.0.1:9464\"), or \":port\" for every interface, got \"" + bad + "\"");
        }
    }

    @Test
    void offUnlessSetAndCheckedWithTheOtherKeys() throws Exception {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.put("db_connection_string", "server=localhost,1433;database=shop;user id=u;password=p");
        config.putArray("tables").add("dbo.orders");
        assertThat(ProviderConfig.from(config).get(ConfigKeys.METRICS_ADDRESS)).isEqualTo(Optional.empty());

        config.put("metrics_address", ":9464");
        assertThat(ProviderConfig.from(config).get(ConfigKeys.METRICS_ADDRESS)).contains(new MetricsAddress("", 9464));

        config.put("metrics_address", 9464);
        assertThatThrownBy(() -> ProviderConfig.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"metrics_address\" must be a string, got a number");
    }
}
