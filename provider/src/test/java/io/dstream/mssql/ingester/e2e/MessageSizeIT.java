package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max_message_bytes}: every stdout line stays within it (UTF-8 bytes), however many changes wait; a single
 * change too big for any line is written alone, never dropped, with a WARN.
 */
class MessageSizeIT extends EmulatorTestBase {

    private static final int LIMIT = 1024;

    @Test
    void noLineIsLongerThanTheLimit() {
        db.createTracked("dbo", "ms_many", "id INT PRIMARY KEY, payload NVARCHAR(200)");
        ObjectNode config = config("dbo.ms_many");
        config.put("max_message_bytes", LIMIT);
        ProviderProcess provider = run(config);

        // multi-byte characters: the limit is in UTF-8 bytes, not in characters
        String payload = "ü✓ ".repeat(20);
        for (int batch = 0; batch < 3; batch++) {
            List<String> statements = new ArrayList<>();
            for (int id = batch * 100 + 1; id <= batch * 100 + 100; id++) {
                statements.add("INSERT INTO dbo.ms_many VALUES (" + id + ", N'" + payload + "')");
            }
            db.tx(statements.toArray(String[]::new));
        }

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_many", change("insert", 300));
        assertThat(Changes.ids(changes)).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
        assertThat(provider.stdout()).allSatisfy(line ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).as("bytes of %s", line).isLessThanOrEqualTo(LIMIT));
        assertThat(changes.get(0).path("data").path("payload").asText()).isEqualTo(payload);
    }

    /** The default (65000) keeps lines under the DStream CLI's 64 KiB line limit when much is waiting. */
    @Test
    void theDefaultLimitFitsTheDstreamLineLimit() {
        db.createTracked("dbo", "ms_default", "id INT PRIMARY KEY, payload NVARCHAR(200)");
        ProviderProcess provider = run(config("dbo.ms_default"));

        String payload = "p".repeat(150);
        List<String> statements = new ArrayList<>();
        for (int id = 1; id <= 1000; id++) {
            statements.add("INSERT INTO dbo.ms_default VALUES (" + id + ", N'" + payload + "')");
        }
        db.tx(statements.toArray(String[]::new));

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_default", change("insert", 1000));
        assertThat(changes).hasSize(1000);
        assertThat(provider.stdout()).allSatisfy(line ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65000));
    }

    @Test
    void aChangeTooLargeForAnyLineIsWrittenAloneWithAWarning() {
        db.createTracked("dbo", "ms_big", "id INT PRIMARY KEY, payload NVARCHAR(MAX)");
        ObjectNode config = config("dbo.ms_big");
        config.put("max_message_bytes", LIMIT);
        ProviderProcess provider = run(config);

        String big = "x".repeat(3000);
        db.tx("INSERT INTO dbo.ms_big VALUES (1, N'small')",
                "INSERT INTO dbo.ms_big VALUES (2, N'" + big + "')",
                "INSERT INTO dbo.ms_big VALUES (3, N'small')");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.ms_big", change("insert", 3));
        assertThat(Changes.ids(changes)).containsExactly(1, 2, 3);
        assertThat(changes.get(1).path("data").path("payload").asText()).isEqualTo(big);
        String bigLine = provider.stdout().stream().filter(l -> l.contains(big)).findFirst().orElseThrow();
        assertThat(Json.read(bigLine).path("changes")).as("the oversized change is alone in its line").hasSize(1);
        assertThat(provider.stdout()).filteredOn(l -> !l.contains(big)).allSatisfy(line ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LIMIT));
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line).contains("WARN").contains("dbo.ms_big"));
    }
}
