package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDC cleanup removed changes the provider had not read ({@code purgeBelow} past the checkpoint): the table fails
 * loudly under {@code on_data_loss: fail}, or resumes from the oldest change kept under {@code resume}.
 */
class PurgeIT extends EmulatorTestBase {

    /** Per test, so that each is reported skipped with the reason. */
    @BeforeEach
    void embeddedOnly() {
        assumeEmbedded("CDC cleanup runs on request up to an LSN (the emulator's purgeBelow)");
    }

    @Test
    void withFailTheTableStopsWithAClearMessage() {
        purgedPastTheCheckpoint("pg_fail");

        ProviderProcess provider = start("run", config("dbo.pg_fail"));
        JsonNode first = Json.read(provider.firstLine(STARTUP));
        int exit = provider.awaitExit(STREAM);

        // Purge detection at startup (exit 2) or on the first poll (exit 1, the table was the only one) both
        // stop the table; what matters is that nothing is streamed over the gap and the reason is spelled out.
        if (first.path("status").asText().equals("ready")) {
            assertThat(exit).as("the only table failed").isEqualTo(1);
        } else {
            assertThat(first.path("status").asText()).isEqualTo("error");
            assertThat(first.path("message").asText()).contains("dbo.pg_fail");
            assertThat(exit).isEqualTo(2);
        }
        assertThat(Changes.envelopeChanges(provider.stdout(), "dbo.pg_fail")).as("nothing streamed across the gap").isEmpty();
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line)
                .contains("ERROR").contains("dbo.pg_fail").contains("on_data_loss").matches("(?i).*(purg|data loss|cleanup).*")
                // it only knows that the minimum LSN passed the position: loss is possible, and it has two causes
                .contains("may have been lost").contains("cleanup (retention)").contains("capture instance of the table was disabled"));
    }

    @Test
    void withFailTheOtherTablesKeepStreaming() {
        db.createTracked("dbo", "pg_ok", "id INT PRIMARY KEY, v INT");
        purgedPastTheCheckpoint("pg_fail2");

        ProviderProcess provider = run(config("dbo.pg_fail2", "dbo.pg_ok"));
        provider.awaitStderr(line -> line.contains("ERROR") && line.contains("dbo.pg_fail2"), STREAM);
        db.exec("INSERT INTO dbo.pg_ok VALUES (1, 1)");

        envelopeChangesUntil(provider, "dbo.pg_ok", change("insert", 1));
        assertThat(provider.isAlive()).isTrue();
        assertThat(Changes.envelopeChanges(provider.stdout(), "dbo.pg_fail2")).isEmpty();
        stopCleanly(provider);
    }

    @Test
    void withResumeAnErrorIsLoggedAndStreamingContinuesFromTheOldestChangeKept() {
        purgedPastTheCheckpoint("pg_resume");

        ObjectNode config = config("dbo.pg_resume");
        config.put("on_data_loss", "resume");
        ProviderProcess provider = run(config);
        db.exec("INSERT INTO dbo.pg_resume VALUES (6, 6)");

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.pg_resume", change("insert", 6));
        assertThat(Changes.ids(changes)).as("3 and 4 were purged; 5 is the oldest change kept").containsExactly(5, 6);
        assertThat(provider.stderr()).anySatisfy(line -> assertThat(line).contains("ERROR").contains("dbo.pg_resume"));
        stopCleanly(provider);
    }

    /**
     * Streams rows 1–2 and stops cleanly (checkpoint after 2); inserts 3–5 while stopped; then cleanup removes
     * everything below the commit LSN of 5.
     */
    private void purgedPastTheCheckpoint(String table) {
        db.createTracked("dbo", table, "id INT PRIMARY KEY, v INT");
        ResumeIT.insert("dbo." + table, 1, 2);
        ProviderProcess provider = run(config("dbo." + table));
        envelopeChangesUntil(provider, "dbo." + table, change("insert", 2));
        stopCleanly(provider);

        ResumeIT.insert("dbo." + table, 3, 5);
        awaitCaptured();
        emulator.purgeBelow(db.maxLsn());
    }
}
