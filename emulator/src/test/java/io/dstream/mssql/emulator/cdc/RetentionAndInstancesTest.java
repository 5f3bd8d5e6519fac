package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cleanup (scenario 4), range validation (scenario 5), two instances (scenario 6), time mapping. */
class RetentionAndInstancesTest extends CdcTestSupport {

    @BeforeEach
    void setUp() throws SQLException {
        transaction("CREATE TABLE dbo.customers (id INT PRIMARY KEY, name NVARCHAR(100))");
        enableDb();
        enableTable("dbo", "customers");
        transaction("INSERT INTO dbo.customers VALUES (1, 'a')");
        transaction("INSERT INTO dbo.customers VALUES (2, 'b')");
        transaction("UPDATE dbo.customers SET name = 'c' WHERE id = 2");
        captured();
    }

    @Test
    void cleanupToMaxLeavesOnlyTheRowsAtMaxAndRaisesTheFloor() throws Exception {
        // A low water mark resolves to the smallest LSN committed in the same datetime tick: let the
        // clock pass the last commit time so that the update below is alone in its tick.
        Timestamp lastTime = (Timestamp) query("SELECT MAX(\"tran_end_time\") FROM cdc.\"lsn_time_mapping\"")
                .get(0)[0];
        Awaitility.await().atMost(WAIT).until(() -> SqlDateTime.round(LocalDateTime.now())
                .isAfter(lastTime.toLocalDateTime()));
        transaction("UPDATE dbo.customers SET name = 'z' WHERE id = 1");
        captured();
        Lsn before = minLsn("dbo_customers");
        Lsn max = maxLsn();
        db.call("sys.sp_cdc_cleanup_change_table", "capture_instance", "dbo_customers", "low_water_mark",
                max.toBytes());
        assertThat(minLsn("dbo_customers")).isEqualTo(max).isGreaterThan(before);
        assertThat(query("SELECT \"__$operation\" FROM cdc.\"dbo_customers_CT\" ORDER BY \"__$operation\""))
                .extracting(r -> r[0]).containsExactly(3, 4);
        // A reader whose position is below the new floor gets 313.
        assertThatThrownBy(() -> allChanges("dbo_customers", before, max, "all"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(313));
        assertThat(allChanges("dbo_customers", max, max, "all")).extracting(r -> r[5]).containsExactly("z");
        // The floor never moves down.
        List<Object[]> mapping = query("SELECT \"start_lsn\" FROM cdc.\"lsn_time_mapping\" ORDER BY 1");
        db.call("sys.sp_cdc_cleanup_change_table", "capture_instance", "dbo_customers", "low_water_mark",
                mapping.get(0)[0]);
        assertThat(minLsn("dbo_customers")).isEqualTo(max);
    }

    @Test
    void lowWaterMarkResolvesToTheSmallestLsnOfItsCommitTime() throws Exception {
        List<Object[]> mapping = query("SELECT \"start_lsn\", \"tran_end_time\" FROM cdc.\"lsn_time_mapping\" "
                + "ORDER BY 1");
        Object maxTime = mapping.get(2)[1];
        byte[] expected = (byte[]) mapping.stream().filter(r -> r[1].equals(maxTime)).findFirst().orElseThrow()[0];
        db.call("sys.sp_cdc_cleanup_change_table", "capture_instance", "dbo_customers", "low_water_mark",
                mapping.get(2)[0]);
        assertThat(minLsn("dbo_customers")).isEqualTo(Lsn.fromBytes(expected));
    }

    @Test
    void cleanupValidatesTheLowWaterMark() throws Exception {
        assertThatThrownBy(() -> db.call("sys.sp_cdc_cleanup_change_table", "capture_instance", "dbo_customers",
                "low_water_mark", maxLsn().increment().toBytes()))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22964));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_cleanup_change_table", "capture_instance", "dbo_customers",
                "low_water_mark", maxLsn().toBytes(), "threshold", 0))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22850));
        db.call("sys.sp_cdc_cleanup_change_table", "capture_instance", "dbo_customers", "low_water_mark", null);
        assertThat(query("SELECT COUNT(*) FROM cdc.\"dbo_customers_CT\"").get(0)[0]).isEqualTo(4L);
    }

    @Test
    void purgeBelowMovesEveryInstanceAndPrunesTheMapping() throws Exception {
        Lsn max = maxLsn();
        cdc.purgeBelow(db.name(), max.toBytes());
        assertThat(minLsn("dbo_customers")).isEqualTo(max);
        assertThat(maxLsn()).isEqualTo(max);
        assertThat(query("SELECT COUNT(*) FROM cdc.\"lsn_time_mapping\"").get(0)[0]).isEqualTo(1L);
        assertThat(query("SELECT COUNT(*) FROM cdc.\"dbo_customers_CT\"").get(0)[0]).isEqualTo(2L);
    }

    @Test
    void rangeChecksOfTheAllChangesFunction() throws Exception {
        Lsn min = minLsn("dbo_customers");
        Lsn max = maxLsn();
        assertThat(allChanges("dbo_customers", max, max, "all")).hasSize(1);
        for (Lsn[] bad : new Lsn[][] {{max.increment(), max}, {min.decrement(), max}, {min, max.increment()},
                {null, max}, {min, null}}) {
            assertThatThrownBy(() -> allChanges("dbo_customers", bad[0], bad[1], "all"))
                    .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(313));
        }
        assertThatThrownBy(() -> allChanges("dbo_customers", min, max, "net"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(313));
        // Inclusive bounds: a window of exactly one commit LSN returns that transaction.
        List<Object[]> mapping = query("SELECT \"start_lsn\" FROM cdc.\"lsn_time_mapping\" ORDER BY 1");
        Lsn second = Lsn.fromBytes((byte[]) mapping.get(1)[0]);
        assertThat(allChanges("dbo_customers", second, second, "all")).extracting(r -> r[4]).containsExactly(2);
        assertThat(allChanges("dbo_customers", min, second.decrement(), "all")).extracting(r -> r[4])
                .containsExactly(1);
    }

    @Test
    void secondInstanceAfterAddColumnCapturesTheNewColumnAndBothReceiveChanges() throws Exception {
        transaction("ALTER TABLE dbo.customers ADD COLUMN email NVARCHAR(100)");
        transaction("INSERT INTO dbo.customers VALUES (3, 'd', 'd@x')");
        enableTable("dbo", "customers", "capture_instance", "dbo_customers_v2");
        Lsn boundary = minLsn("dbo_customers_v2");
        assertThat(boundary).isGreaterThan(maxLsn());
        transaction("INSERT INTO dbo.customers VALUES (4, 'e', 'e@x')");
        captured();
        Lsn max = maxLsn();
        List<Object[]> old = allChanges("dbo_customers", boundary, max, "all");
        List<Object[]> v2 = allChanges("dbo_customers_v2", boundary, max, "all");
        assertThat(old).singleElement().satisfies(r -> assertThat(r).hasSize(6));
        assertThat(v2).singleElement().satisfies(r -> assertThat(r[6]).isEqualTo("e@x"));
        assertThat(old.get(0)[0]).isEqualTo(v2.get(0)[0]);
        assertThat(query("SELECT \"end_lsn\" FROM cdc.\"change_tables\"")).extracting(r -> r[0]).containsOnlyNulls();
        // The ADD COLUMN is in the old instance's DDL history, between the changes before and after it.
        Awaitility.await().atMost(WAIT).until(() -> !db.call("sys.sp_cdc_get_ddl_history", "capture_instance",
                "dbo_customers").rows.isEmpty());
        Object[] ddl = db.call("sys.sp_cdc_get_ddl_history", "capture_instance", "dbo_customers").rows.get(0);
        assertThat(ddl[4]).isEqualTo("ALTER TABLE [dbo].[customers] ADD [email] nvarchar(100)");
        Lsn ddlLsn = Lsn.fromBytes((byte[]) ddl[5]);
        List<Object[]> commits = query("SELECT \"start_lsn\" FROM cdc.\"lsn_time_mapping\" ORDER BY 1");
        assertThat(ddlLsn).isGreaterThan(Lsn.fromBytes((byte[]) commits.get(2)[0]))
                .isLessThan(Lsn.fromBytes((byte[]) commits.get(3)[0]));
        // ... and back-filled onto the instance created after it, whenever the capture process wrote it.
        Awaitility.await().atMost(WAIT).until(() -> db.call("sys.sp_cdc_get_ddl_history", "capture_instance",
                "dbo_customers_v2").rows.size() == 1);
        assertThat(db.call("sys.sp_cdc_get_ddl_history", "capture_instance", "dbo_customers_v2").rows.get(0)[5])
                .isEqualTo(ddl[5]);
        assertThat(db.call("sys.sp_cdc_get_ddl_history", "capture_instance", "dbo_customers").rows).hasSize(1);
        // The old instance saw the insert made between the ALTER and the new instance; the new one did not.
        assertThat(allChanges("dbo_customers", minLsn("dbo_customers"), max, "all")).hasSize(5);
        assertThat(allChanges("dbo_customers_v2", boundary, max, "all")).hasSize(1);
    }

    /** The capture keeps its statements across scans: a re-created instance of the same name gets its new table's. */
    @Test
    void anInstanceDisabledAndEnabledAgainWithAnotherColumnIsCapturedIntoItsNewTable() throws Exception {
        db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name", "customers",
                "capture_instance", "dbo_customers");
        transaction("ALTER TABLE dbo.customers ADD COLUMN email NVARCHAR(100)");
        enableTable("dbo", "customers");
        transaction("INSERT INTO dbo.customers VALUES (3, 'd', 'd@x')");
        captured();
        List<Object[]> rows = allChanges("dbo_customers", minLsn("dbo_customers"), maxLsn(), "all");
        assertThat(rows).singleElement().satisfies(r -> assertThat(r).containsSubsequence(3, "d", "d@x"));
    }

    /** H2 widens a varchar in place; the next capture scan notices it before writing change rows. */
    @Test
    void typeChangesOfCapturedColumnsReachTheChangeTable() throws Exception {
        transaction("ALTER TABLE dbo.customers ALTER COLUMN name SET DATA TYPE NVARCHAR(300)");
        String longName = "x".repeat(250);
        transaction("INSERT INTO dbo.customers VALUES (9, '" + longName + "')");
        captured();
        assertThat(allChanges("dbo_customers", minLsn("dbo_customers"), maxLsn(), "all"))
                .extracting(r -> r[5]).contains(longName);
        Object[] ddl = db.call("sys.sp_cdc_get_ddl_history", "capture_instance", "dbo_customers").rows.get(0);
        assertThat(ddl[3]).isEqualTo(true);
        assertThat(ddl[4]).isEqualTo("ALTER TABLE [dbo].[customers] ALTER COLUMN [name] nvarchar(300)");
        assertThat(query("SELECT CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'cdc' "
                + "AND TABLE_NAME = 'dbo_customers_CT' AND COLUMN_NAME = 'name'").get(0)[0]).isEqualTo(300L);
        assertThat(db.declaredColumns("cdc", "dbo_customers_CT")).filteredOn(c -> c.name().equals("name"))
                .singleElement().satisfies(c -> assertThat(c.type().length()).isEqualTo(300));
    }

    /** H2 rebuilds the table for INT → BIGINT: the DDL is seen at once, without any later DML. */
    @Test
    void rebuildingTypeChangeIsRecordedAtOnce() throws Exception {
        transaction("ALTER TABLE dbo.customers ALTER COLUMN id SET DATA TYPE BIGINT");
        Awaitility.await().atMost(WAIT).until(() -> !db.call("sys.sp_cdc_get_ddl_history", "capture_instance",
                "dbo_customers").rows.isEmpty());
        Object[] ddl = db.call("sys.sp_cdc_get_ddl_history", "capture_instance", "dbo_customers").rows.get(0);
        assertThat(ddl[3]).isEqualTo(true);
        assertThat(ddl[4]).isEqualTo("ALTER TABLE [dbo].[customers] ALTER COLUMN [id] bigint");
        assertThat(query("SELECT \"column_type\" FROM cdc.\"captured_columns\" WHERE \"column_name\" = 'id'")
                .get(0)[0]).isEqualTo("bigint");
        transaction("INSERT INTO dbo.customers VALUES (5000000000, 'big')");
        captured();
        assertThat(allChanges("dbo_customers", minLsn("dbo_customers"), maxLsn(), "all"))
                .extracting(r -> r[4]).contains(5000000000L);
    }

    @Test
    void timeMappingFunctions() throws Exception {
        List<Object[]> mapping = query("SELECT \"start_lsn\", \"tran_end_time\" FROM cdc.\"lsn_time_mapping\" "
                + "ORDER BY 1");
        byte[] first = (byte[]) mapping.get(0)[0];
        byte[] last = (byte[]) mapping.get(2)[0];
        Timestamp firstTime = (Timestamp) query("SELECT sys.fn_cdc_map_lsn_to_time(?)", first).get(0)[0];
        assertThat(firstTime.toLocalDateTime()).isEqualTo(((Timestamp) mapping.get(0)[1]).toLocalDateTime());
        assertThat(firstTime.toLocalDateTime()).isEqualTo(SqlDateTime.round(firstTime.toLocalDateTime()));
        Timestamp lastTime = (Timestamp) mapping.get(2)[1];
        assertThat(query("SELECT sys.fn_cdc_map_time_to_lsn('largest less than or equal', ?)", lastTime).get(0)[0])
                .isEqualTo(last);
        assertThat(query("SELECT sys.fn_cdc_map_time_to_lsn('smallest greater than', ?)", lastTime).get(0)[0])
                .isNull();
        assertThat(query("SELECT sys.fn_cdc_map_time_to_lsn('smallest greater than or equal', ?)", firstTime)
                .get(0)[0]).isEqualTo(first);
        assertThat(query("SELECT sys.fn_cdc_map_time_to_lsn('largest less than', ?)", firstTime).get(0)[0])
                .satisfiesAnyOf(v -> assertThat(v).isNull(),
                        v -> assertThat(Lsn.fromBytes((byte[]) v)).isLessThan(Lsn.fromBytes(first)));
        assertThat(query("SELECT sys.fn_cdc_increment_lsn(?), sys.fn_cdc_decrement_lsn(?)", first, first).get(0))
                .containsExactly(Lsn.fromBytes(first).increment().toBytes(), Lsn.fromBytes(first).decrement().toBytes());
        assertThat(query("SELECT sys.fn_cdc_get_column_ordinal('dbo_customers', 'NAME'), "
                + "sys.fn_cdc_get_column_ordinal('dbo_customers', 'nope')").get(0)).containsExactly(2, null);
    }

    @Test
    void datetimeRoundsToThreeHundredths() {
        assertThat(SqlDateTime.round(java.time.LocalDateTime.parse("2024-01-01T10:00:00.001")))
                .isEqualTo(java.time.LocalDateTime.parse("2024-01-01T10:00:00.000"));
        assertThat(SqlDateTime.round(java.time.LocalDateTime.parse("2024-01-01T10:00:00.002")))
                .isEqualTo(java.time.LocalDateTime.parse("2024-01-01T10:00:00.003"));
        assertThat(SqlDateTime.round(java.time.LocalDateTime.parse("2024-01-01T10:00:00.0055")))
                .isEqualTo(java.time.LocalDateTime.parse("2024-01-01T10:00:00.007"));
        assertThat(SqlDateTime.round(java.time.LocalDateTime.parse("2024-01-01T23:59:59.999")))
                .isEqualTo(java.time.LocalDateTime.parse("2024-01-02T00:00:00.000"));
    }
}
