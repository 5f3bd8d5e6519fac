package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Capture behaviour: change rows, LSNs, masks, transactions, asynchrony. */
class CdcFeatureTest extends CdcTestSupport {

    private static final String CT_ROWS = "SELECT \"__$start_lsn\", \"__$seqval\", \"__$operation\", "
            + "\"__$update_mask\", id, city, \"__$command_id\", \"__$end_lsn\" FROM cdc.\"dbo_customers_CT\" "
            + "ORDER BY \"__$start_lsn\", \"__$seqval\", \"__$operation\"";

    @BeforeEach
    void createTables() throws SQLException {
        transaction("CREATE TABLE \"dbo\".\"customers\" (id INT PRIMARY KEY, name NVARCHAR(100), "
                + "email NVARCHAR(100), city NVARCHAR(50), score INT)",
                "CREATE TABLE \"dbo\".\"orders\" (id INT PRIMARY KEY, customer INT, total DECIMAL(10,2))");
    }

    private void enable() throws SQLException {
        enableDb();
        enableTable("dbo", "customers");
    }

    /** Acceptance scenario 1: two inserts, one update of one column, one delete → five change rows. */
    @Test
    void capturesInsertUpdateDeleteWithSharedCommitLsnAndMasks() throws Exception {
        enable();
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1), (2, 'b', 'b@x', 'Rome', 2)",
                "UPDATE dbo.customers SET city = 'Oslo' WHERE id = 1",
                "DELETE FROM dbo.customers WHERE id = 2");
        captured();
        List<Object[]> rows = query(CT_ROWS);
        assertThat(rows).extracting(r -> r[2]).containsExactly(2, 2, 3, 4, 1);
        Lsn commit = Lsn.fromBytes((byte[]) rows.get(0)[0]);
        assertThat(rows).extracting(r -> Lsn.fromBytes((byte[]) r[0])).containsOnly(commit);
        assertThat(rows).allSatisfy(r -> assertThat(Lsn.fromBytes((byte[]) r[1])).isLessThan(commit));
        assertThat(rows).allSatisfy(r -> assertThat(r[7]).isNull());
        assertThat((byte[]) rows.get(0)[3]).containsExactly(0x1F);
        assertThat((byte[]) rows.get(4)[3]).containsExactly(0x1F);
        assertThat((byte[]) rows.get(2)[3]).containsExactly(0x08);
        assertThat((byte[]) rows.get(3)[3]).containsExactly(0x08);
        assertThat(rows.get(2)[1]).isEqualTo(rows.get(3)[1]);
        assertThat(Lsn.fromBytes((byte[]) rows.get(1)[1])).isGreaterThan(Lsn.fromBytes((byte[]) rows.get(0)[1]));
        assertThat(rows.get(2)[5]).isEqualTo("Paris");
        assertThat(rows.get(3)[5]).isEqualTo("Oslo");
        assertThat(rows).extracting(r -> r[6]).containsExactly(1, 2, 3, 3, 4);

        // Acceptance scenario 2: 'all' 4 rows, 'all update old' 5.
        Lsn min = minLsn("dbo_customers");
        Lsn max = maxLsn();
        assertThat(max).isEqualTo(commit);
        assertThat(min).isLessThan(commit);
        assertThat(allChanges("dbo_customers", min, max, "all")).extracting(r -> r[2]).containsExactly(2, 2, 4, 1);
        assertThat(allChanges("dbo_customers", min, max, " ALL Update OLD ")).extracting(r -> r[2])
                .containsExactly(2, 2, 3, 4, 1);
        List<Object[]> transactions = query("SELECT \"start_lsn\", \"tran_begin_lsn\", \"tran_id\", "
                + "\"tran_begin_time\", \"tran_end_time\" FROM cdc.\"lsn_time_mapping\"");
        assertThat(transactions).hasSize(1);
        assertThat(Lsn.fromBytes((byte[]) transactions.get(0)[0])).isEqualTo(commit);
        assertThat(Lsn.fromBytes((byte[]) transactions.get(0)[1])).isLessThan(Lsn.fromBytes((byte[]) rows.get(0)[1]));
    }

    @Test
    void oneCommitLsnPerTransactionAcrossTablesAndIncreasingAcrossTransactions() throws Exception {
        enable();
        enableTable("dbo", "orders");
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)",
                "INSERT INTO dbo.orders VALUES (10, 1, 9.99)");
        transaction("INSERT INTO dbo.orders VALUES (11, 1, 1.50)");
        captured();
        Lsn customers = Lsn.fromBytes((byte[]) query(CT_ROWS).get(0)[0]);
        List<Object[]> orders = query("SELECT \"__$start_lsn\", total FROM cdc.\"dbo_orders_CT\" "
                + "ORDER BY \"__$start_lsn\"");
        assertThat(Lsn.fromBytes((byte[]) orders.get(0)[0])).isEqualTo(customers);
        assertThat(Lsn.fromBytes((byte[]) orders.get(1)[0])).isGreaterThan(customers);
        assertThat(orders.get(0)[1]).isEqualTo(new java.math.BigDecimal("9.99"));
        assertThat(query("SELECT COUNT(*) FROM cdc.\"lsn_time_mapping\"").get(0)[0]).isEqualTo(2L);
    }

    @Test
    void rollbackAndFailedStatementsLeaveNothing() throws Exception {
        enable();
        try (Connection c = db.session(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)");
            db.rollback(c);
        }
        try (Connection c = db.session(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO dbo.customers VALUES (2, 'b', 'b@x', 'Rome', 2)");
            assertThatThrownBy(() -> s.execute("INSERT INTO dbo.customers VALUES (3, 'c', 'c', 'c', 3), "
                    + "(2, 'dup', 'dup', 'dup', 0)")).isInstanceOf(SQLException.class);
            db.commit(c);
        }
        captured();
        assertThat(query(CT_ROWS)).extracting(r -> r[4]).containsExactly(2);
        assertThat(query("SELECT COUNT(*) FROM cdc.\"emulator_log_records\"").get(0)[0]).isEqualTo(0L);
    }

    @Test
    void maxLsnIsNullBeforeTheFirstCaptureAndChangesOfDisabledTablesAreIgnored() throws Exception {
        enable();
        assertThat(maxLsn()).isNull();
        transaction("INSERT INTO dbo.orders VALUES (1, 1, 1)");
        captured();
        assertThat(maxLsn()).isNull();
    }

    @Test
    void pausedCaptureKeepsChangesUntilResumedOrScanned() throws Exception {
        enable();
        cdc.pauseCapture();
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)");
        assertThat(cdc.awaitCaptured(Duration.ofMillis(200))).isFalse();
        assertThat(query(CT_ROWS)).isEmpty();
        assertThat(maxLsn()).isNull();
        cdc.resumeCapture();
        captured();
        assertThat(query(CT_ROWS)).hasSize(1);

        db.call("sys.sp_cdc_stop_job");
        transaction("INSERT INTO dbo.customers VALUES (2, 'b', 'b@x', 'Rome', 2)");
        assertThat(cdc.awaitCaptured(Duration.ofMillis(100))).isFalse();
        db.call("sys.sp_cdc_scan");
        assertThat(query(CT_ROWS)).hasSize(2);
        assertThat(cdc.awaitCaptured(Duration.ZERO)).isTrue();
        db.call("sys.sp_cdc_start_job", "job_type", "capture");
    }

    @Test
    void captureWaitsForTheLatency() throws Exception {
        enable();
        cdc.setCaptureLatency(Duration.ofHours(1));
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)");
        assertThat(cdc.awaitCaptured(Duration.ofMillis(200))).isFalse();
        assertThat(query(CT_ROWS)).isEmpty();
        cdc.setCaptureLatency(Duration.ofMillis(50));
        captured();
        assertThat(query(CT_ROWS)).hasSize(1);
    }

    @Test
    void keyChangingUpdateIsDeleteThenInsert() throws Exception {
        enable();
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)");
        transaction("UPDATE dbo.customers SET id = 5 WHERE id = 1");
        captured();
        List<Object[]> rows = query(CT_ROWS);
        assertThat(rows).extracting(r -> r[2]).containsExactly(2, 1, 2);
        assertThat(rows).extracting(r -> r[4]).containsExactly(1, 1, 5);
        assertThat(rows.get(1)[0]).isEqualTo(rows.get(2)[0]);
        assertThat(Lsn.fromBytes((byte[]) rows.get(2)[1])).isGreaterThan(Lsn.fromBytes((byte[]) rows.get(1)[1]));
    }

    @Test
    void unchangedMaxColumnsAreNullInTheBeforeImageOnly() throws Exception {
        enableDb();
        transaction("CREATE TABLE dbo.docs (id INT PRIMARY KEY, title NVARCHAR(20), body NVARCHAR(1000000))");
        db.declareTable("dbo", "docs", List.of(
                new io.dstream.mssql.emulator.engine.Column("id", Metadata.INT, false),
                new io.dstream.mssql.emulator.engine.Column("title", Metadata.SYSNAME, true),
                new io.dstream.mssql.emulator.engine.Column("body", io.dstream.mssql.emulator.engine.SqlType.sized(
                        io.dstream.mssql.emulator.engine.SqlType.Kind.NVARCHAR,
                        io.dstream.mssql.emulator.engine.SqlType.MAX), true)));
        enableTable("dbo", "docs");
        transaction("INSERT INTO dbo.docs VALUES (1, 't', 'long body')");
        transaction("UPDATE dbo.docs SET title = 'u' WHERE id = 1");
        transaction("UPDATE dbo.docs SET body = 'new body' WHERE id = 1");
        transaction("DELETE FROM dbo.docs WHERE id = 1");
        captured();
        List<Object[]> rows = query("SELECT \"__$operation\", title, body, \"__$update_mask\" FROM cdc.\"dbo_docs_CT\" "
                + "ORDER BY \"__$start_lsn\", \"__$seqval\", \"__$operation\"");
        assertThat(rows).extracting(r -> r[0]).containsExactly(2, 3, 4, 3, 4, 1);
        assertThat(rows.get(1)[2]).isNull();               // op 3, body unchanged → NULL
        assertThat(rows.get(2)[2]).isEqualTo("long body"); // op 4 carries it
        assertThat(rows.get(3)[2]).isEqualTo("long body"); // op 3, body changed → value
        assertThat((byte[]) rows.get(3)[3]).containsExactly(0x04);
        assertThat(rows.get(5)[2]).isEqualTo("new body");  // op 1 carries it
    }

    @Test
    void namesWithSpacesBracketsQuotesAndUnicodeWork() throws Exception {
        enableDb();
        transaction("CREATE SCHEMA \"Sales Ω\"",
                "CREATE TABLE \"Sales Ω\".\"my ]table\"\"x\" (\"id\" INT PRIMARY KEY, \"naïve col]\" NVARCHAR(10), "
                        + "\"a,b\" INT)");
        enableTable("Sales Ω", "my ]table\"x");
        transaction("INSERT INTO \"Sales Ω\".\"my ]table\"\"x\" VALUES (1, 'é', 2)",
                "UPDATE \"Sales Ω\".\"my ]table\"\"x\" SET \"a,b\" = 3");
        captured();
        String instance = "Sales Ω_my ]table\"x";
        List<Object[]> rows = allChanges(instance, minLsn(instance), maxLsn(), "all update old");
        assertThat(rows).extracting(r -> r[2]).containsExactly(2, 3, 4);
        assertThat(rows).extracting(r -> r[5]).containsExactly("é", "é", "é");
        assertThat((byte[]) rows.get(2)[3]).containsExactly(0x04);
        assertThat(query("SELECT sys.fn_cdc_get_column_ordinal(?, ?)", instance, "a,b").get(0)[0]).isEqualTo(3);
        TestDatabase.Recorded help = db.call("sys.sp_cdc_help_change_data_capture");
        assertThat(help.rows.get(0)[14]).isEqualTo("[id], [naïve col]]], [a,b]");
    }

    @Test
    void moreThanEightColumnsUseTwoMaskBytes() throws Exception {
        enableDb();
        transaction("CREATE TABLE dbo.wide (c1 INT PRIMARY KEY, c2 INT, c3 INT, c4 INT, c5 INT, c6 INT, c7 INT, "
                + "c8 INT, c9 INT, c10 INT)");
        enableTable("dbo", "wide");
        transaction("INSERT INTO dbo.wide VALUES (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)",
                "UPDATE dbo.wide SET c9 = 0, c2 = 0");
        captured();
        List<Object[]> rows = allChanges("dbo_wide", minLsn("dbo_wide"), maxLsn(), "all");
        assertThat((byte[]) rows.get(0)[3]).containsExactly(0x03, 0xFF);
        assertThat((byte[]) rows.get(1)[3]).containsExactly(0x01, 0x02);
        assertThat(query("SELECT sys.fn_cdc_is_bit_set(9, ?), sys.fn_cdc_is_bit_set(3, ?), "
                + "sys.fn_cdc_has_column_changed('dbo_wide', 'c2', ?)", rows.get(1)[3], rows.get(1)[3], rows.get(1)[3])
                .get(0)).containsExactly(true, false, true);
    }

    @Test
    void capturedColumnListLimitsTheChangeTable() throws Exception {
        enableDb();
        enableTable("dbo", "customers", "captured_column_list", "[city], id");
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'a@x', 'Paris', 1)",
                "UPDATE dbo.customers SET score = 5");
        captured();
        List<Object[]> rows = allChanges("dbo_customers", minLsn("dbo_customers"), maxLsn(), "all update old");
        assertThat(rows.get(0)).hasSize(6);
        assertThat(rows.get(0)[4]).isEqualTo(1);
        assertThat(rows.get(0)[5]).isEqualTo("Paris");
        assertThat((byte[]) rows.get(0)[3]).containsExactly(0x03);
        // An update of an uncaptured column still yields a pair, with no captured column changed.
        assertThat((byte[]) rows.get(2)[3]).containsExactly(0x00);
        assertThat(db.functionResult("cdc", "fn_cdc_get_all_changes_dbo_customers"))
                .extracting(io.dstream.mssql.emulator.engine.Column::name)
                .containsExactly("__$start_lsn", "__$seqval", "__$operation", "__$update_mask", "id", "city");
    }

    @Test
    void largeTransactionsGetDistinctSeqvalsBelowOneCommitLsn() throws Exception {
        enable();
        transaction("INSERT INTO dbo.customers SELECT X, 'n', 'e', 'c', 0 FROM SYSTEM_RANGE(1, 3000)");
        captured();
        List<Object[]> stats = query("SELECT COUNT(DISTINCT \"__$start_lsn\"), COUNT(DISTINCT \"__$seqval\"), "
                + "MAX(\"__$seqval\"), MAX(\"__$start_lsn\"), MAX(\"__$command_id\") FROM cdc.\"dbo_customers_CT\"");
        assertThat(stats.get(0)[0]).isEqualTo(1L);
        assertThat(stats.get(0)[1]).isEqualTo(3000L);
        assertThat(Lsn.fromBytes((byte[]) stats.get(0)[2])).isLessThan(Lsn.fromBytes((byte[]) stats.get(0)[3]));
        assertThat(stats.get(0)[4]).isEqualTo(3000);
    }
}
