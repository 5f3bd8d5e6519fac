package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint table dropped while the provider runs: the next save re-creates it and holds the position, the
 * changes keep streaming, and a restart resumes after them instead of replaying from {@code earliest}.
 */
class CheckpointTableDroppedIT extends EmulatorTestBase {

    private static final String TABLE = "dbo.ctd_orders";
    private static final String CHECKPOINTS = "dbo.ctd_offsets";
    /** A save follows each written batch; the wait also covers a delayed checkpoint. */
    private static final Duration SAVED = Duration.ofSeconds(60);

    @Test
    void aDroppedCheckpointTableIsReCreatedWithThePositionAndARestartResumesFromIt() {
        db.createTracked("dbo", "ctd_orders", "id INT PRIMARY KEY, v INT");
        ResumeIT.insert(TABLE, 1, 3);
        ObjectNode config = config(TABLE);
        config.put("checkpoint_table", CHECKPOINTS);
        ProviderProcess first = run(config);
        envelopeChangesUntil(first, TABLE, change("insert", 3));
        awaitCheckpoint("the first checkpoint", row -> true);

        db.exec("DROP TABLE " + CHECKPOINTS);
        ResumeIT.insert(TABLE, 4, 6);
        List<JsonNode> firstRun = envelopeChangesUntil(first, TABLE, change("insert", 6));
        String lsnOfSix = Changes.lsnHex(firstRun.get(firstRun.size() - 1));

        awaitCheckpoint("the re-created table holding the position of row 6",
                row -> Db.lsnHex(row.get("last_lsn")).equals(lsnOfSix));
        assertThat(first.stderr()).anySatisfy(line -> assertThat(line).contains("WARN")
                .contains(TABLE + ": the checkpoint table " + CHECKPOINTS + " was missing").contains("re-created"));
        assertThat(first.stderr()).as("no save failed").noneMatch(line -> line.contains("Invalid object name"));
        stopCleanly(first);

        ResumeIT.insert(TABLE, 7, 7);
        ProviderProcess second = run(config);
        List<JsonNode> secondRun = envelopeChangesUntil(second, TABLE, change("insert", 7));

        assertThat(Changes.ids(firstRun)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Changes.ids(secondRun)).as("resumed after row 6, not from earliest").containsExactly(7);
    }

    private static void awaitCheckpoint(String what, java.util.function.Predicate<Map<String, Object>> matching) {
        Awaitility.await(what).atMost(SAVED).pollInterval(Duration.ofMillis(100))
                .until(() -> checkpointRow().filter(matching).isPresent());
    }

    /** The table's row in the configured checkpoint table; empty while the table or the row does not exist. */
    private static Optional<Map<String, Object>> checkpointRow() {
        Object exists = db.value("SELECT COUNT(*) FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id "
                + "WHERE s.name = 'dbo' AND t.name = 'ctd_offsets'");
        if (((Number) exists).intValue() == 0) {
            return Optional.empty();
        }
        return db.row("SELECT * FROM " + CHECKPOINTS + " WHERE table_name = ?", TABLE);
    }
}
