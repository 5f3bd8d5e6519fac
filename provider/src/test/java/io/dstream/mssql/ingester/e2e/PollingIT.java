package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Polling: a full page is followed at once by the next page, not after a poll interval. */
class PollingIT extends EmulatorTestBase {

    /**
     * 400 waiting changes in pages of 10 with a 2 s poll interval: 40 pages would take 80 s if each waited for the
     * next poll. Read at once, they all arrive well within the wait below.
     */
    @Test
    void aFullPageIsFollowedAtOnceByTheNextPage() {
        db.createTracked("dbo", "pl_backlog", "id INT PRIMARY KEY, v INT");
        ResumeIT.insert("dbo.pl_backlog", 1, 400);
        awaitCaptured();
        ObjectNode config = config("dbo.pl_backlog");
        config.put("max_rows_per_query", 10);
        config.put("poll_interval", "2s");
        config.put("max_poll_interval", "2s");
        ProviderProcess provider = run(config);

        provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.pl_backlog")
                && stream(l.path("changes")).anyMatch(change("insert", 400)), Duration.ofSeconds(25));
        List<JsonNode> changes = Changes.envelopeChanges(provider.stdout(), "dbo.pl_backlog");
        assertThat(Changes.ids(changes)).containsExactlyElementsOf(IntStream.rangeClosed(1, 400).boxed().toList());
        stopCleanly(provider);
    }
}
