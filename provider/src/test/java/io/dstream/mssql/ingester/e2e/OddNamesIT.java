package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names SQL Server allows and a careless reader breaks on: {@code ]}, spaces, unicode, the same table name in two
 * schemas. Config names may be bracketed; output and checkpoints use the plain {@code schema.table}.
 */
class OddNamesIT extends EmulatorTestBase {

    @Test
    void bracketsSpacesAndUnicodeInNames() {
        db.createTracked("dbo", "odd]name", "id INT PRIMARY KEY, [my col] NVARCHAR(20)");
        db.createTracked("dbo", "my table", "id INT PRIMARY KEY, [prix €] DECIMAL(6,2)");
        db.createTracked("dbo", "données", "id INT PRIMARY KEY, [clé] NVARCHAR(20)");
        db.exec("CREATE SCHEMA sales");
        db.createTracked("sales", "my table", "id INT PRIMARY KEY, [my col] NVARCHAR(20)");
        ProviderProcess provider = run(config("dbo.[odd]]name]", "[my table]", "dbo.données", "[sales].[my table]"));

        db.exec("INSERT INTO dbo.[odd]]name] VALUES (1, N'a]b')",
                "INSERT INTO dbo.[my table] VALUES (1, 9.90)",
                "INSERT INTO dbo.[données] VALUES (1, N'été')",
                "INSERT INTO sales.[my table] VALUES (7, N'other schema')");

        assertThat(only(provider, "dbo.odd]name")).isEqualTo(Json.read("{\"id\":1,\"my col\":\"a]b\"}"));
        assertThat(only(provider, "dbo.my table")).isEqualTo(Json.read("{\"id\":1,\"prix €\":\"9.90\"}"));
        assertThat(only(provider, "dbo.données")).isEqualTo(Json.read("{\"id\":1,\"clé\":\"été\"}"));
        assertThat(only(provider, "sales.my table")).isEqualTo(Json.read("{\"id\":7,\"my col\":\"other schema\"}"));
        stopCleanly(provider);

        // one checkpoint row per table, keyed by schema too, so the two "my table"s do not collide
        for (String table : List.of("dbo.odd]name", "dbo.my table", "dbo.données", "sales.my table")) {
            assertThat(db.checkpoint(table)).as("checkpoint row of %s", table).isPresent();
        }
    }

    @Test
    void planResolvesOddNamesToTheirCaptureInstances() {
        db.createTracked("dbo", "plan]odd", "id INT PRIMARY KEY");
        ProviderProcess provider = start("plan", config("[dbo].[plan]]odd]")).awaitReady();

        assertThat(provider.awaitExit(STARTUP)).isZero();
        JsonNode line = Json.read(provider.stdout().get(1));
        assertThat(line.path("table").asText()).isEqualTo("dbo.plan]odd");
        assertThat(line.path("capture_instance").asText()).isNotEmpty();
        assertThat(line.path("captured_columns")).extracting(JsonNode::asText).containsExactly("id");
    }

    /** The data of the single change streamed for this table. */
    private static JsonNode only(ProviderProcess provider, String table) {
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, table), STREAM);
        List<JsonNode> changes = Changes.envelopeChanges(provider.stdout(), table);
        assertThat(changes).as("changes of %s", table).hasSize(1);
        return changes.get(0).path("data");
    }
}
