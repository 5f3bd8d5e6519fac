package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trouble while streaming: a table dropped under the provider, connections dropped by the server, a transient
 * deadlock. The other tables keep streaming and no change is lost.
 */
class FailuresIT extends EmulatorTestBase {

    @Test
    void aDroppedTableIsLoggedWhileTheOthersKeepStreaming() {
        db.createTracked("dbo", "fl_keep", "id INT PRIMARY KEY, v INT");
        db.createTracked("dbo", "fl_gone", "id INT PRIMARY KEY, v INT");
        ProviderProcess provider = run(config("dbo.fl_keep", "dbo.fl_gone"));
        db.exec("INSERT INTO dbo.fl_keep VALUES (1, 1)", "INSERT INTO dbo.fl_gone VALUES (1, 1)");
        envelopeChangesUntil(provider, "dbo.fl_gone", change("insert", 1));

        db.exec("DROP TABLE dbo.fl_gone");
        provider.awaitStderr(line -> line.contains("dbo.fl_gone") && (line.contains("ERROR") || line.contains("WARN")),
                STREAM);
        db.exec("INSERT INTO dbo.fl_keep VALUES (2, 2)");

        List<JsonNode> kept = envelopeChangesUntil(provider, "dbo.fl_keep", change("insert", 2));
        assertThat(Changes.ids(kept)).containsExactly(1, 2);
        assertThat(provider.isAlive()).isTrue();
        stopCleanly(provider);
    }

    @Test
    void cdcDisabledOnATableIsLoggedWhileTheOthersKeepStreaming() {
        db.createTracked("dbo", "fl_stay", "id INT PRIMARY KEY, v INT");
        db.createTracked("dbo", "fl_off", "id INT PRIMARY KEY, v INT");
        ProviderProcess provider = run(config("dbo.fl_stay", "dbo.fl_off"));
        db.exec("INSERT INTO dbo.fl_off VALUES (1, 1)");
        envelopeChangesUntil(provider, "dbo.fl_off", change("insert", 1));

        db.disableCdc("dbo", "fl_off", "dbo_fl_off");
        provider.awaitStderr(line -> line.contains("dbo.fl_off") && (line.contains("ERROR") || line.contains("WARN")),
                STREAM);
        db.exec("INSERT INTO dbo.fl_stay VALUES (1, 1)");

        envelopeChangesUntil(provider, "dbo.fl_stay", change("insert", 1));
        assertThat(provider.isAlive()).isTrue();
        stopCleanly(provider);
    }

    @Test
    void droppedConnectionsLoseNoChange() {
        assumeEmbedded("the server drops every client connection on request");
        db.createTracked("dbo", "fl_drop", "id INT PRIMARY KEY, v INT");
        ProviderProcess provider = run(config("dbo.fl_drop"));

        ResumeIT.insert("dbo.fl_drop", 1, 5);
        envelopeChangesUntil(provider, "dbo.fl_drop", change("insert", 5));
        emulator.dropConnections();
        ResumeIT.insert("dbo.fl_drop", 6, 10);
        emulator.dropConnections();
        ResumeIT.insert("dbo.fl_drop", 11, 20);

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.fl_drop", change("insert", 20));
        assertThat(new LinkedHashSet<>(Changes.ids(changes))).as("every change, in order (repeats allowed)")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
        assertThat(provider.isAlive()).isTrue();
        stopCleanly(provider);
    }

    @Test
    void droppedConnectionsInTheMiddleOfABacklogLoseNoChange() {
        assumeEmbedded("the server drops every client connection on request");
        db.createTracked("dbo", "fl_backlog", "id INT PRIMARY KEY, v INT");
        ResumeIT.insert("dbo.fl_backlog", 1, 200);
        ObjectNode config = config("dbo.fl_backlog");
        config.put("max_rows_per_query", 10);
        ProviderProcess provider = run(config);
        provider.awaitJson(l -> Changes.isEnvelopeOf(l, "dbo.fl_backlog")
                && stream(l.path("changes")).anyMatch(c -> c.path("data").path("id").asInt() >= 50), STREAM);

        emulator.dropConnections();

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.fl_backlog", change("insert", 200));
        assertThat(new LinkedHashSet<>(Changes.ids(changes))).as("every change, in order (repeats allowed)")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
        stopCleanly(provider);
    }

    /** Error 1205 (chosen as deadlock victim) on the provider's next statement: retried, nothing lost. */
    @Test
    void aTransientDeadlockIsRetried() {
        assumeEmbedded("the server injects error 1205 into the provider's next statement");
        db.createTracked("dbo", "fl_deadlock", "id INT PRIMARY KEY, v INT");
        ProviderProcess provider = run(config("dbo.fl_deadlock"));
        ResumeIT.insert("dbo.fl_deadlock", 1, 2);
        envelopeChangesUntil(provider, "dbo.fl_deadlock", change("insert", 2));

        long requests = emulator.requestCount();
        emulator.injectError(1205, 0);
        // the provider polls every 100 ms: let its statements, not ours, meet the injected error
        Awaitility.await().atMost(STREAM).until(() -> emulator.requestCount() > requests + 5);
        ResumeIT.insert("dbo.fl_deadlock", 3, 4);

        List<JsonNode> changes = envelopeChangesUntil(provider, "dbo.fl_deadlock", change("insert", 4));
        assertThat(new LinkedHashSet<>(Changes.ids(changes))).containsExactly(1, 2, 3, 4);
        assertThat(provider.isAlive()).isTrue();
        stopCleanly(provider);
    }
}
