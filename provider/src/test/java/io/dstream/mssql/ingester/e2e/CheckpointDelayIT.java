package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code checkpoint_delay}: DStream has no acknowledgement, so a line flushed to the pipe may still die with
 * whatever reads it. A checkpoint only covers lines written at least the delay ago, at a stop too: what was in
 * flight is sent again after a restart instead of being lost.
 */
class CheckpointDelayIT extends EmulatorTestBase {

    @Test
    void byDefaultLinesWrittenJustBeforeAStopAreSentAgainAfterTheRestart() {
        db.createTracked("dbo", "cd_default", "id INT PRIMARY KEY, v INT");
        db.exec("INSERT INTO dbo.cd_default VALUES (1, 1)", "INSERT INTO dbo.cd_default VALUES (2, 2)");
        ObjectNode config = config("dbo.cd_default");
        config.remove("checkpoint_delay"); // the default, 10s
        ProviderProcess first = run(config);
        List<JsonNode> firstRun = envelopeChangesUntil(first, "dbo.cd_default", change("insert", 2));
        stopCleanly(first); // the consumer may not have had them yet: not checkpointed

        db.exec("INSERT INTO dbo.cd_default VALUES (3, 3)");
        ProviderProcess second = run(config);
        List<JsonNode> secondRun = envelopeChangesUntil(second, "dbo.cd_default", change("insert", 3));

        assertThat(Changes.ids(firstRun)).containsExactly(1, 2);
        assertThat(Changes.ids(secondRun)).as("in flight at the stop: sent again").containsExactly(1, 2, 3);
    }

    @Test
    void linesOlderThanTheDelayAreCheckpointedEvenWhenTheTableTurnsIdle() {
        db.createTracked("dbo", "cd_settled", "id INT PRIMARY KEY, v INT");
        db.exec("INSERT INTO dbo.cd_settled VALUES (1, 1)", "INSERT INTO dbo.cd_settled VALUES (2, 2)");
        ObjectNode config = config("dbo.cd_settled");
        config.put("checkpoint_delay", "1s");
        ProviderProcess first = run(config);
        envelopeChangesUntil(first, "dbo.cd_settled", change("insert", 2));
        String lastLine = Changes.envelopeChanges(first.stdout(), "dbo.cd_settled").get(1).path("lsn").asText();
        await("the checkpoint reaches the last line once it is 1 s old").atMost(Duration.ofSeconds(10))
                .until(() -> db.checkpoint("dbo.cd_settled").map(r -> Db.lsnHex(r.get("last_lsn")))
                        .map(lsn -> lsn.compareTo(lastLine.replace(":", "").toLowerCase()) >= 0).orElse(false));
        stopCleanly(first);

        db.exec("INSERT INTO dbo.cd_settled VALUES (3, 3)");
        ProviderProcess second = run(config);
        List<JsonNode> secondRun = envelopeChangesUntil(second, "dbo.cd_settled", change("insert", 3));

        assertThat(Changes.ids(secondRun)).as("settled before the stop: not sent again").containsExactly(3);
    }
}
