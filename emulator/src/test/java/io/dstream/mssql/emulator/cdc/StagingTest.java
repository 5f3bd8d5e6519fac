package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** The staged log records ({@code cdc.emulator_log_records}) as the capture process reads and removes them. */
class StagingTest extends CdcTestSupport {

    private static final String STAGED_ROWS = "SELECT COUNT(*) FROM cdc.\"emulator_log_records\"";

    /**
     * One scan captures many transactions of a session in one H2 transaction; the rows it already
     * deleted stay in the index until it commits. A range open at the bottom walked past all of them
     * for every further transaction: a scan cost quadratic in its transactions, which stalled capture
     * for minutes under load.
     */
    @Test
    void aTransactionsRowsAreReadAndDeletedByARangeBoundedOnBothEnds() throws Exception {
        enableDb();
        for (String sql : new String[] {ChangeTableWriter.SELECT_STAGED, ChangeTableWriter.DELETE_STAGED}) {
            String plan = String.valueOf(query("EXPLAIN " + sql, 1, 10L, 20L).get(0)[0]);
            String index = plan.substring(plan.indexOf("/*"), plan.indexOf("*/")).replaceAll("\\s+", " ");
            assertThat(index).as(sql).contains("emulator_log_records_idx: session_id = ?1 AND seq >= ?2 AND seq <= ?3");
        }
    }

    @Test
    void aBacklogOfManyTransactionsIsCapturedWhileAnotherSessionsTransactionStaysOpen() throws Exception {
        transaction("CREATE TABLE dbo.events (id INT PRIMARY KEY, v INT)");
        enableDb();
        enableTable("dbo", "events");
        db.call("sys.sp_cdc_change_job", "maxtrans", 100);
        cdc.pauseCapture();
        int committed = 0;
        try (Connection writer = db.session(); Connection other = db.session();
             PreparedStatement insert = writer.prepareStatement("INSERT INTO dbo.events VALUES (?, ?)");
             PreparedStatement otherInsert = other.prepareStatement("INSERT INTO dbo.events VALUES (?, ?)")) {
            for (int t = 0; t < 600; t++) {
                for (int r = 0; r < 2; r++) {
                    insert.setInt(1, t * 2 + r);
                    insert.setInt(2, t);
                    insert.executeUpdate();
                }
                if (t % 100 == 0) { // the other session's open transaction stages rows between these
                    otherInsert.setInt(1, 1_000_000 + t);
                    otherInsert.setInt(2, t);
                    otherInsert.executeUpdate();
                }
                if (t % 7 == 6) {
                    db.rollback(writer);
                } else {
                    db.commit(writer);
                    committed++;
                }
            }
            cdc.resumeCapture();
            captured();
            assertThat(query("SELECT COUNT(*) FROM cdc.\"dbo_events_CT\"").get(0)[0]).isEqualTo((long) committed * 2);
            assertThat(query("SELECT COUNT(*) FROM cdc.\"lsn_time_mapping\"").get(0)[0]).isEqualTo((long) committed);
            db.commit(other);
        }
        captured();
        assertThat(query("SELECT COUNT(*) FROM cdc.\"dbo_events_CT\" WHERE id >= 1000000").get(0)[0]).isEqualTo(6L);
        assertThat(query(STAGED_ROWS).get(0)[0]).isEqualTo(0L);
    }
}
