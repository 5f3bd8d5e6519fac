package io.dstream.mssql.ingester.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle table's checkpoint follows the upper bound it read to, so that CDC cleanup of other tables' old
 * changes is not mistaken for data loss.
 */
class IdleCheckpointIT extends EmulatorTestBase {

    @Test
    void anIdleTablesCheckpointAdvancesAndCleanupIsNotDataLoss() {
        assumeEmbedded("CDC cleanup runs on request up to the max LSN (the emulator's purgeBelow)");
        db.createTracked("dbo", "hb_idle", "id INT PRIMARY KEY, v INT");
        db.createTracked("dbo", "hb_busy", "id INT PRIMARY KEY, v INT");
        db.exec("INSERT INTO dbo.hb_idle VALUES (1, 1)");
        ObjectNode config = config("dbo.hb_idle");
        config.put("heartbeat_interval", "200ms");
        ProviderProcess provider = run(config);
        envelopeChangesUntil(provider, "dbo.hb_idle", change("insert", 1));

        ResumeIT.insert("dbo.hb_busy", 1, 5); // another table moves the database's max LSN
        awaitCaptured();
        String busyMax = HexFormat.of().formatHex(db.maxLsn());

        Awaitility.await("the checkpoint of dbo.hb_idle reaches " + busyMax)
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> checkpointReach("dbo.hb_idle").compareTo(busyMax) >= 0);

        emulator.purgeBelow(db.maxLsn());
        db.exec("INSERT INTO dbo.hb_idle VALUES (2, 2)");
        envelopeChangesUntil(provider, "dbo.hb_idle", change("insert", 2));
        assertThat(provider.stderr()).as("cleanup below the checkpoint is not data loss")
                .noneMatch(line -> line.contains("ERROR"));
        stopCleanly(provider);
    }

    /** How far the checkpoint row says the table was read: its last change or the upper bound read to. */
    private static String checkpointReach(String table) {
        Map<String, Object> row = db.checkpoint(table).orElse(Map.of());
        String last = Db.lsnHex(row.get("last_lsn"));
        String upper = Db.lsnHex(row.get("upper_bound_lsn"));
        return last.compareTo(upper) >= 0 ? last : upper;
    }
}
