package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of a change: the envelope around a batch, updates with {@code before} and {@code changed_columns},
 * large values an update did not touch, and the {@code dstream} format.
 */
class ChangeShapesIT extends EmulatorTestBase {

    @Test
    void theEnvelopeNamesServerDatabaseAndCaptureInstance() {
        db.createTracked("dbo", "sh_env", "id INT PRIMARY KEY, name NVARCHAR(50)");
        ProviderProcess provider = run(config("dbo.sh_env"));

        db.exec("INSERT INTO dbo.sh_env VALUES (1, N'Ann')");

        JsonNode line = provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.sh_env"), STREAM);
        assertThat(line.path("server_name").asText()).as("default: the connection string's host").isEqualTo(serverName());
        assertThat(line.path("database").asText()).isEqualTo(database());
        assertThat(line.path("capture_instance").asText()).isEqualTo("dbo_sh_env");
        assertThat(line.path("metadata").path("poll_interval").asText()).as("the configured text").isEqualTo("100ms");
        assertThat(line.path("metadata").path("batch_size").asInt()).isEqualTo(1);
        assertThat(line.path("changes").get(0).path("data")).isEqualTo(Json.read("{\"id\":1,\"name\":\"Ann\"}"));
    }

    /** Changes waiting together go out together: one line per batch of a table, not one line per change. */
    @Test
    void changesCapturedTogetherShareLines() {
        assumeEmbedded("it pauses the capture job so that 20 changes are captured at once");
        db.createTracked("dbo", "sh_batch", "id INT PRIMARY KEY, v INT");
        ProviderProcess provider = run(config("dbo.sh_batch"));

        emulator.pauseCapture();
        try {
            for (int id = 1; id <= 20; id++) {
                db.exec("INSERT INTO dbo.sh_batch VALUES (" + id + ", " + id + ")");
            }
        } finally {
            emulator.resumeCapture();
        }

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.sh_batch", change("insert", 20));
        assertThat(Changes.ids(changes)).hasSize(20);
        long lines = provider.stdout().stream().map(Json::read).filter(l -> Changes.isEnvelopeOf(l, "dbo.sh_batch")).count();
        assertThat(lines).as("lines for 20 changes captured at once").isLessThanOrEqualTo(2);
    }

    @Test
    void updates() {
        db.createTracked("dbo", "up_people", "id INT PRIMARY KEY, name NVARCHAR(50), age INT, city NVARCHAR(50)");
        ProviderProcess provider = run(config("dbo.up_people"));

        db.exec("INSERT INTO dbo.up_people VALUES (1, N'Ann', 30, N'Oslo')",
                "INSERT INTO dbo.up_people VALUES (2, N'Bob', 40, N'Rome')",
                "UPDATE dbo.up_people SET city = N'Bergen', name = N'Anna' WHERE id = 1",
                "UPDATE dbo.up_people SET age = 31 WHERE id = 1",
                "UPDATE dbo.up_people SET age = 41 WHERE id = 2",
                "DELETE FROM dbo.up_people WHERE id = 2");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.up_people", change("delete", 2));
        Golden.assertMatches("updates", new Changes.Normaliser().normalise(changes));
    }

    /**
     * SQL Server leaves an (n)varchar(max)/varbinary(max) column an update did not touch NULL in the before image
     * (mask bit clear): that is "unknown", not NULL, so it must not be reported as null.
     */
    @Test
    void largeValuesAnUpdateLeftUntouchedAreUnavailableNotNull() {
        db.createTracked("dbo", "up_lob", "id INT PRIMARY KEY, name NVARCHAR(50), notes NVARCHAR(MAX), "
                + "payload VARBINARY(MAX)");
        ProviderProcess provider = run(config("dbo.up_lob"));

        db.exec("INSERT INTO dbo.up_lob VALUES (1, N'Ann', N'long notes', 0x01)",
                "UPDATE dbo.up_lob SET name = N'Anna' WHERE id = 1",
                "UPDATE dbo.up_lob SET notes = NULL WHERE id = 1",
                "DELETE FROM dbo.up_lob WHERE id = 1");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.up_lob", change("delete", 1));
        assertThat(changes).extracting(c -> c.path("change_type").asText())
                .containsExactly("insert", "update", "update", "delete");

        JsonNode renamed = changes.get(1);
        assertThat(renamed.path("changed_columns")).extracting(JsonNode::asText).containsExactly("name");
        assertThat(renamed.path("unavailable_columns")).extracting(JsonNode::asText).containsExactly("notes", "payload");
        assertThat(renamed.path("before").has("notes")).as("before: %s", renamed).isFalse();
        assertThat(renamed.path("before").has("payload")).as("before: %s", renamed).isFalse();
        assertThat(renamed.path("before").path("name").asText()).isEqualTo("Ann");
        assertThat(renamed.path("data").path("name").asText()).isEqualTo("Anna");
        assertNeverNull(renamed.path("data"), "notes", "long notes");
        assertNeverNull(renamed.path("data"), "payload", "AQ==");

        JsonNode cleared = changes.get(2);
        assertThat(cleared.path("changed_columns")).extracting(JsonNode::asText).containsExactly("notes");
        assertThat(cleared.path("data").has("notes")).as("a column set to NULL is null, not unavailable").isTrue();
        assertThat(cleared.path("data").path("notes").isNull()).isTrue();
        assertThat(cleared.path("before").path("notes").asText()).isEqualTo("long notes");
        assertThat(cleared.path("unavailable_columns")).extracting(JsonNode::asText).doesNotContain("notes");

        JsonNode deleted = changes.get(3);
        assertThat(deleted.path("data")).as("a delete carries the whole before image")
                .isEqualTo(Json.read("{\"id\":1,\"name\":\"Anna\",\"notes\":null,\"payload\":\"AQ==\"}"));
        assertThat(deleted.has("unavailable_columns")).isFalse();
    }

    /** Left out (unavailable) is acceptable for an untouched large value; null or another value is not. */
    private static void assertNeverNull(JsonNode image, String column, String value) {
        if (image.has(column)) {
            assertThat(image.path(column).asText()).as("%s in %s", column, image).isEqualTo(value);
        }
    }

    @Test
    void dstreamFormat() {
        db.createTracked("dbo", "ds_people", "id INT PRIMARY KEY, name NVARCHAR(50), age INT");
        ObjectNode config = config("dbo.ds_people");
        config.put("output_format", "dstream");
        config.put("server_name", "e2e-server");
        ProviderProcess provider = run(config);

        db.exec("INSERT INTO dbo.ds_people VALUES (1, N'Ann', 30)",
                "UPDATE dbo.ds_people SET age = 31 WHERE id = 1",
                "DELETE FROM dbo.ds_people WHERE id = 1");

        List<JsonNode> changes = dstreamChangesUntil(provider, "dbo.ds_people", change("delete", 1));
        assertThat(provider.stdout().stream().skip(1).map(Json::read))
                .as("every line after the handshake is one change").allMatch(l -> l.has("metadata") && l.has("data"));
        assertThat(changes).extracting(c -> c.path("source").asText()).containsOnly("e2e-server/" + database());
        Golden.assertMatches("dstream-format", new Changes.Normaliser().normalise(recordedOnTestdb(changes)));
    }

    /** The transcript was recorded on the embedded emulator's database {@code testdb}; an external one has its own. */
    private static List<JsonNode> recordedOnTestdb(List<JsonNode> changes) {
        return changes.stream().map(c -> (JsonNode) ((ObjectNode) c.deepCopy()).put("source", "e2e-server/testdb")).toList();
    }

    @Test
    void dstreamFormatReportsUnavailableColumnsInMetadata() {
        db.createTracked("dbo", "ds_lob", "id INT PRIMARY KEY, name NVARCHAR(50), notes NVARCHAR(MAX)");
        ObjectNode config = config("dbo.ds_lob");
        config.put("output_format", "dstream");
        ProviderProcess provider = run(config);

        db.exec("INSERT INTO dbo.ds_lob VALUES (1, N'Ann', N'long notes')",
                "UPDATE dbo.ds_lob SET name = N'Anna' WHERE id = 1");

        JsonNode update = dstreamChangesUntil(provider, "dbo.ds_lob", change("update", 1)).get(1);
        assertThat(update.path("metadata").path("UnavailableColumns")).extracting(JsonNode::asText)
                .containsExactly("notes");
        assertThat(update.path("metadata").path("Before").has("notes")).isFalse();
        assertThat(update.path("source").asText()).isEqualTo(serverName() + "/" + database());
    }
}
