package io.dstream.mssql.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/** The stdin line the bench gives the provider: a DStream command envelope around the config. */
final class ProviderConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderConfig() {
    }

    static String line(String command, String connectionString, List<String> tables, Duration poll, Duration maxPoll) {
        ObjectNode config = JSON.createObjectNode();
        config.put("db_connection_string", connectionString);
        ArrayNode names = config.putArray("tables");
        tables.forEach(t -> names.add("dbo." + t));
        config.put("poll_interval", goDuration(poll));
        config.put("max_poll_interval", goDuration(maxPoll));
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("command", command);
        envelope.set("config", config);
        return envelope.toString();
    }

    /** The Go duration text the provider's config takes ({@code 100ms}, {@code 5s}). */
    static String goDuration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
