package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The online schema change SQL Server documents: ALTER TABLE, a second capture instance, then the old one
 * disabled. The provider switches at the new instance's start LSN: no gap, no duplicate.
 */
class SchemaChangeIT extends EmulatorTestBase {

    @Test
    void aSecondCaptureInstanceTakesOverWithoutGapOrDuplicate() {
        db.createTracked("dbo", "cis", "id INT PRIMARY KEY, name NVARCHAR(50)");
        ProviderProcess provider = run(config("dbo.cis"));
        db.exec("INSERT INTO dbo.cis VALUES (1, N'one')", "INSERT INTO dbo.cis VALUES (2, N'two')");
        envelopeChangesUntil(provider, "dbo.cis", change("insert", 2));

        db.exec("ALTER TABLE dbo.cis ADD extra INT");
        db.exec("INSERT INTO dbo.cis (id, name, extra) VALUES (3, N'three', 30)"); // only the old instance sees it
        db.enableCdc("dbo", "cis", "dbo_cis_v2");
        db.exec("INSERT INTO dbo.cis (id, name, extra) VALUES (4, N'four', 40)"); // both instances capture it
        envelopeChangesUntil(provider, "dbo.cis", change("insert", 4));
        db.disableCdc("dbo", "cis", "dbo_cis");
        db.exec("INSERT INTO dbo.cis (id, name, extra) VALUES (5, N'five', 50)");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.cis", change("insert", 5));
        assertThat(Changes.ids(changes)).as("no gap, no duplicate").containsExactly(1, 2, 3, 4, 5);
        assertThat(changes.get(2).path("data").has("extra")).as("the old instance never captured extra").isFalse();
        assertThat(changes.get(4).path("data")).isEqualTo(Json.read("{\"id\":5,\"name\":\"five\",\"extra\":50}"));
        assertThat(captureInstanceOf(provider, 1)).isEqualTo("dbo_cis");
        assertThat(captureInstanceOf(provider, 5)).isEqualTo("dbo_cis_v2");
        assertThat(provider.stderr()).as("the switch is logged").anySatisfy(line -> assertThat(line)
                .contains("dbo.cis").contains("dbo_cis_v2"));
        stopCleanly(provider);
    }

    /**
     * Started while the table has two capture instances and no checkpoint: the rows captured by both are read once,
     * from the old instance before the new one's start and from the new one after.
     */
    @Test
    void startingWhileTwoCaptureInstancesExistReadsEachChangeOnce() {
        db.createTracked("dbo", "cis2", "id INT PRIMARY KEY, name NVARCHAR(50)");
        db.exec("INSERT INTO dbo.cis2 VALUES (1, N'one')");
        db.exec("ALTER TABLE dbo.cis2 ADD extra INT");
        db.enableCdc("dbo", "cis2", "dbo_cis2_v2");
        db.exec("INSERT INTO dbo.cis2 (id, name, extra) VALUES (2, N'two', 20)",
                "UPDATE dbo.cis2 SET extra = 10 WHERE id = 1",
                "INSERT INTO dbo.cis2 (id, name, extra) VALUES (3, N'three', 30)");

        ProviderProcess provider = run(config("dbo.cis2"));

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.cis2", change("insert", 3));
        assertThat(changes).extracting(c -> c.path("change_type").asText() + " " + c.path("data").path("id").asInt())
                .containsExactly("insert 1", "insert 2", "update 1", "insert 3");
        assertThat(changes.get(2).path("data").path("extra").asInt()).as("read from the new instance").isEqualTo(10);
        stopCleanly(provider);
    }

    /** The capture instance named by the envelope line that carried the row with this id. */
    private static String captureInstanceOf(ProviderProcess provider, int id) {
        return provider.stdout().stream().map(Json::read)
                .filter(l -> Changes.isEnvelopeOf(l, "dbo.cis"))
                .filter(l -> stream(l.path("changes")).anyMatch(c -> c.path("data").path("id").asInt() == id))
                .map(l -> l.path("capture_instance").asText())
                .findFirst().orElseThrow();
    }
}
