package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.mssql.emulator.engine.SqlError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CdcFeatureTest {

    private TestDatabase db;
    private CdcFeature cdc;

    @BeforeEach
    void setUp() throws SQLException {
        db = new TestDatabase();
        cdc = new CdcFeature(Duration.ZERO);
        cdc.install(db);
        db.exec("CREATE TABLE \"dbo\".\"customers\" (id INT PRIMARY KEY, name NVARCHAR(100), email NVARCHAR(100), "
                + "city NVARCHAR(50), score INT)");
    }

    @AfterEach
    void tearDown() throws SQLException {
        cdc.close();
        db.close();
    }

    private void enable() throws SQLException {
        db.call("sys.sp_cdc_enable_db");
        db.call("sys.sp_cdc_enable_table", "source_schema", "dbo", "source_name", "customers", "role_name", null);
    }

    /** Scenario 1: two inserts, one update of one column, one delete → five change rows. */
    @Test
    void capturesInsertUpdateDeleteWithSharedCommitLsnAndMasks() throws Exception {
        enable();
        try (Connection c = db.session(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1), (2, 'b', 'b@x', 'Rome', 2)");
            s.execute("UPDATE dbo.customers SET city = 'Oslo' WHERE id = 1");
            s.execute("DELETE FROM dbo.customers WHERE id = 2");
            db.commit(c);
        }
        assertThat(cdc.awaitCaptured(Duration.ofSeconds(10))).isTrue();
        List<Object[]> rows = query("SELECT \"__$start_lsn\", \"__$seqval\", \"__$operation\", \"__$update_mask\", "
                + "id, city, \"__$command_id\" FROM cdc.\"dbo_customers_CT\" ORDER BY \"__$start_lsn\", \"__$seqval\", "
                + "\"__$operation\"");
        assertThat(rows).extracting(r -> r[2]).containsExactly(2, 2, 3, 4, 1);
        assertThat(rows).extracting(r -> Lsn.fromBytes((byte[]) r[0])).containsOnly(Lsn.fromBytes((byte[]) rows.get(0)[0]));
        assertThat((byte[]) rows.get(0)[3]).containsExactly(0x1F);
        assertThat((byte[]) rows.get(2)[3]).containsExactly(0x08);
        assertThat((byte[]) rows.get(3)[3]).containsExactly(0x08);
        assertThat(rows.get(2)[1]).isEqualTo(rows.get(3)[1]);
        assertThat(rows.get(2)[5]).isEqualTo("Paris");
        assertThat(rows.get(3)[5]).isEqualTo("Oslo");
        assertThat(rows).extracting(r -> r[6]).containsExactly(1, 2, 3, 3, 4);
        Lsn commit = Lsn.fromBytes((byte[]) rows.get(0)[0]);
        assertThat(rows).allSatisfy(r -> assertThat(Lsn.fromBytes((byte[]) r[1])).isLessThan(commit));

        byte[] min = scalarBytes("SELECT sys.fn_cdc_get_min_lsn('dbo_customers')");
        byte[] max = scalarBytes("SELECT sys.fn_cdc_get_max_lsn()");
        assertThat(Lsn.fromBytes(max)).isEqualTo(commit);
        List<Object[]> all = query("SELECT \"__$operation\" FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, N'all')",
                min, max);
        assertThat(all).extracting(r -> r[0]).containsExactly(2, 2, 4, 1);
        List<Object[]> old = query("SELECT \"__$operation\" FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, "
                + "N' ALL Update OLD ')", min, max);
        assertThat(old).extracting(r -> r[0]).containsExactly(2, 2, 3, 4, 1);
    }

    @Test
    void invalidRangesRaise313() throws Exception {
        enable();
        db.exec("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)");
        assertThat(cdc.awaitCaptured(Duration.ofSeconds(10))).isTrue();
        Lsn max = Lsn.fromBytes(scalarBytes("SELECT sys.fn_cdc_get_max_lsn()"));
        assertThat(query("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, N'all')", max.toBytes(),
                max.toBytes())).hasSize(1);
        assertThatThrownBy(() -> query("SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_customers(?, ?, N'all')",
                max.increment().toBytes(), max.toBytes()))
                .satisfies(e -> assertThat(sqlError(e).number()).isEqualTo(313))
                .satisfies(e -> assertThat(sqlError(e).getMessage()).isEqualTo("An insufficient number of arguments "
                        + "were supplied for the procedure or function cdc.fn_cdc_get_all_changes_ ... ."));
    }

    static SqlError sqlError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SqlError s) {
                return s;
            }
        }
        throw new AssertionError("no SqlError in " + e, e);
    }

    private byte[] scalarBytes(String sql) throws SQLException {
        return (byte[]) query(sql).get(0)[0];
    }

    private List<Object[]> query(String sql, Object... params) throws SQLException {
        try (Connection c = db.newConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Object[]> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] r = new Object[n];
                    for (int i = 0; i < n; i++) {
                        r[i] = rs.getObject(i + 1);
                    }
                    out.add(r);
                }
                return out;
            }
        }
    }
}
