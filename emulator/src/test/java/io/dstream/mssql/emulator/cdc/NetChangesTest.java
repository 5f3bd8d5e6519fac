package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Acceptance scenario 3: net changes over typical row histories inside one window. */
class NetChangesTest extends CdcTestSupport {

    private Lsn from;

    @BeforeEach
    void setUp() throws SQLException {
        transaction("CREATE TABLE dbo.t (id INT PRIMARY KEY, v INT, w INT)");
        enableDb();
        // Rows 4..9 exist before the window.
        transaction("INSERT INTO dbo.t VALUES (4, 0, 0), (5, 0, 0), (6, 0, 0), (7, 0, 0), (10, 0, 0)");
        enableTable("dbo", "t", "supports_net_changes", 1);
        from = null;
        transaction(
                "INSERT INTO dbo.t VALUES (1, 1, 1)",                                    // A: insert
                "INSERT INTO dbo.t VALUES (2, 1, 1)", "UPDATE dbo.t SET v = 2 WHERE id = 2", // B: insert, update
                "INSERT INTO dbo.t VALUES (3, 1, 1)", "DELETE FROM dbo.t WHERE id = 3",  // C: insert, delete
                "UPDATE dbo.t SET v = 4 WHERE id = 4",                                   // D: update
                "DELETE FROM dbo.t WHERE id = 5");                                       // E: delete
        transaction(
                "UPDATE dbo.t SET v = 6 WHERE id = 6",                                   // F: update, update
                "UPDATE dbo.t SET w = 6 WHERE id = 6",
                "UPDATE dbo.t SET v = 7 WHERE id = 7", "DELETE FROM dbo.t WHERE id = 7", // G: update, delete
                "INSERT INTO dbo.t VALUES (8, 1, 1)", "UPDATE dbo.t SET v = 8 WHERE id = 8",
                "UPDATE dbo.t SET w = 8 WHERE id = 8",                                   // H: insert, update, update
                "INSERT INTO dbo.t VALUES (9, 1, 1)", "UPDATE dbo.t SET v = 9 WHERE id = 9",
                "DELETE FROM dbo.t WHERE id = 9",                                        // I: insert, update, delete
                "DELETE FROM dbo.t WHERE id = 10", "INSERT INTO dbo.t VALUES (10, 5, 5)"); // delete, re-insert
        captured();
        from = minLsn("dbo_t");
    }

    private Map<Integer, Object[]> net(String option) throws SQLException {
        List<Object[]> rows = query("SELECT * FROM cdc.fn_cdc_get_net_changes_dbo_t(?, ?, ?)", from.toBytes(),
                maxLsn().toBytes(), option);
        Map<Integer, Object[]> byId = new TreeMap<>();
        rows.forEach(r -> byId.put((Integer) r[3], r));
        return byId;
    }

    @Test
    void allGivesOneRowPerKeyWithTheNetOperation() throws Exception {
        Map<Integer, Object[]> net = net("all");
        assertThat(net.keySet()).containsExactly(1, 2, 4, 5, 6, 7, 8, 10);
        assertThat(net.values()).extracting(r -> r[1]).containsExactly(2, 2, 4, 1, 4, 1, 2, 4);
        assertThat(net.values()).allSatisfy(r -> assertThat(r[2]).isNull());
        assertThat(net.get(2)[4]).isEqualTo(2);   // the last image
        assertThat(net.get(7)[4]).isEqualTo(7);   // a delete shows the last known image
        assertThat(net.get(0 + 6)[5]).isEqualTo(6);
        assertThat(net.get(10)[4]).isEqualTo(5);
        assertThat(net.get(1)).hasSize(6);        // no __$seqval
    }

    @Test
    void withMergeReportsFiveForInsertOrUpdate() throws Exception {
        assertThat(net("all with merge").values()).extracting(r -> r[1]).containsExactly(5, 5, 5, 1, 5, 1, 5, 5);
    }

    @Test
    void withMaskOrsTheMasksOfNetUpdates() throws Exception {
        Map<Integer, Object[]> net = net("All With Mask");
        assertThat((byte[]) net.get(6)[2]).containsExactly(0x06);
        assertThat((byte[]) net.get(4)[2]).containsExactly(0x02);
        assertThat(net.get(1)[2]).isNull();
        assertThat(net.get(5)[2]).isNull();
    }

    @Test
    void netFunctionValidatesLikeAllChanges() {
        assertThatThrownBy(() -> query("SELECT * FROM cdc.fn_cdc_get_net_changes_dbo_t(?, ?, N'all update old')",
                from.toBytes(), maxLsn().toBytes()))
                .satisfies(e -> assertThat(sqlError(e).getMessage()).isEqualTo("An insufficient number of arguments "
                        + "were supplied for the procedure or function cdc.fn_cdc_get_net_changes_ ... ."));
    }
}
