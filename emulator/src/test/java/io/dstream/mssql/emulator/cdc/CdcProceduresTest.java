package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.mssql.emulator.engine.Column;
import io.dstream.mssql.emulator.engine.ProcedureCall.Argument;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** sys.sp_cdc_* procedures: effects, result sets and SQL Server's error numbers. */
class CdcProceduresTest extends CdcTestSupport {

    @BeforeEach
    void createTables() throws SQLException {
        transaction("CREATE TABLE dbo.customers (id INT PRIMARY KEY, name NVARCHAR(100), city NVARCHAR(50))",
                "CREATE TABLE dbo.heap (a INT NOT NULL, b INT)",
                "CREATE UNIQUE INDEX heap_a ON dbo.heap (a)",
                "CREATE INDEX heap_b ON dbo.heap (b)",
                "CREATE UNIQUE INDEX heap_ab ON dbo.heap (a, b)");
    }

    @Test
    void enableDbCreatesTheCdcSchemaAndSetsTheFlag() throws Exception {
        assertThat(db.flags.databaseEnabled()).isFalse();
        enableDb();
        assertThat(db.flags.databaseEnabled()).isTrue();
        assertThat(query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'cdc' "
                + "ORDER BY TABLE_NAME")).extracting(r -> r[0]).contains("captured_columns", "change_tables",
                "ddl_history", "index_columns", "lsn_time_mapping");
        assertThat(db.call("sys.sp_cdc_enable_db").infos).singleElement().asString().startsWith("22905: ");
        assertThat(db.declaredColumns("cdc", "change_tables")).extracting(Column::name).containsExactly("object_id",
                "version", "source_object_id", "capture_instance", "start_lsn", "end_lsn", "supports_net_changes",
                "has_drop_pending", "role_name", "index_name", "filegroup_name", "create_date", "partition_switch");
    }

    @Test
    void enableDbRefusesAnExistingCdcSchema() throws Exception {
        transaction("CREATE SCHEMA \"cdc\"");
        assertThatThrownBy(() -> enableDb()).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22906));
    }

    @Test
    void maxLsnRaises208WithoutCdcAndMinLsnIsZeroForUnknownInstances() throws Exception {
        assertThatThrownBy(() -> maxLsn()).satisfies(e -> assertThat(sqlError(e).getMessage())
                .isEqualTo("Invalid object name 'cdc.lsn_time_mapping'."));
        enableDb();
        assertThat(minLsn("nope")).isEqualTo(Lsn.ZERO);
        assertThat(query("SELECT sys.fn_cdc_get_min_lsn(NULL)").get(0)[0]).isEqualTo(new byte[10]);
    }

    @Test
    void enableTableValidations() throws Exception {
        assertThatThrownBy(() -> enableTable("dbo", "customers"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22901));
        enableDb();
        assertThatThrownBy(() -> db.call("sys.sp_cdc_enable_table", "source_schema", "dbo", "source_name", "customers"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(201))
                .hasMessageContaining("@role_name");
        assertThatThrownBy(() -> enableTable("dbo", "missing")).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22931));
        assertThatThrownBy(() -> enableTable("cdc", "change_tables"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22974));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_enable_table", "source_schema", "dbo", "source_name",
                "customers", "role_name", "  ")).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22907));
        assertThatThrownBy(() -> enableTable("dbo", "customers", "capture_instance", "x".repeat(101)))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22927));
        assertThatThrownBy(() -> enableTable("dbo", "heap", "supports_net_changes", 1))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22939));
        assertThatThrownBy(() -> enableTable("dbo", "heap", "index_name", "nope"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22928));
        assertThatThrownBy(() -> enableTable("dbo", "heap", "index_name", "heap_b"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22929));
        assertThatThrownBy(() -> enableTable("dbo", "heap", "index_name", "heap_ab"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22838));
        assertThatThrownBy(() -> enableTable("dbo", "customers", "captured_column_list", "name, nope"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22930));
        assertThatThrownBy(() -> enableTable("dbo", "customers", "captured_column_list", "name"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22943));
        assertThatThrownBy(() -> enableTable("dbo", "customers", "filegroup_name", "FG2"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22973));
        assertThatThrownBy(() -> enableTable("dbo", "customers", "enable_extended_ddl_handling", 1))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22874));
        enableTable("dbo", "customers");
        assertThatThrownBy(() -> enableTable("dbo", "customers"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22926));
        enableTable("dbo", "customers", "capture_instance", "second");
        assertThatThrownBy(() -> enableTable("dbo", "customers", "capture_instance", "third"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22962))
                .hasMessageStartingWith("Two capture instances already exist for source table 'dbo.customers'.");
    }

    @Test
    void partitionSwitchZeroIsIgnoredWithAWarning() throws Exception {
        enableDb();
        TestDatabase.Recorded r = db.call("sys.sp_cdc_enable_table", "source_schema", "dbo", "source_name", "customers",
                "role_name", null, "allow_partition_switch", 0);
        assertThat(r.infos).anySatisfy(i -> assertThat(i).startsWith("22857: Warning: The @allow_partition_switch"));
        assertThat(query("SELECT \"partition_switch\" FROM cdc.\"change_tables\"").get(0)[0]).isEqualTo(true);
    }

    @Test
    void netChangesNeedAtMostFourteenKeyColumns() throws Exception {
        enableDb();
        StringBuilder cols = new StringBuilder();
        StringBuilder key = new StringBuilder();
        for (int i = 1; i <= 15; i++) {
            cols.append("k").append(i).append(" INT NOT NULL, ");
            key.append(i > 1 ? ", " : "").append("k").append(i);
        }
        transaction("CREATE TABLE dbo.wide_key (" + cols + "PRIMARY KEY (" + key + "))");
        assertThatThrownBy(() -> enableTable("dbo", "wide_key", "supports_net_changes", 1))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22865));
        enableTable("dbo", "wide_key", "supports_net_changes", 0);
    }

    @Test
    void reservedColumnNamesNeedAColumnList() throws Exception {
        enableDb();
        transaction("CREATE TABLE dbo.odd (id INT PRIMARY KEY, \"__$seqval\" INT)");
        assertThatThrownBy(() -> enableTable("dbo", "odd")).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22975));
        enableTable("dbo", "odd", "captured_column_list", "id");
    }

    @Test
    void enableTableRecordsMetadataAndNetChangesDefault() throws Exception {
        enableDb();
        enableTable("dbo", "customers");
        enableTable("dbo", "heap", "index_name", "heap_a", "capture_instance", "heap_ci ");
        transaction("CREATE TABLE dbo.nokey (a INT)");
        enableTable("dbo", "nokey");
        assertThat(db.flags.tableTracked("dbo", "customers")).isTrue();
        assertThat(db.flags.tableTracked("dbo", "orders")).isFalse();
        List<Object[]> tables = query("SELECT \"capture_instance\", \"supports_net_changes\", \"index_name\", "
                + "\"start_lsn\", \"end_lsn\", \"version\", \"partition_switch\" FROM cdc.\"change_tables\" "
                + "ORDER BY \"capture_instance\"");
        assertThat(tables).extracting(r -> r[0]).containsExactly("dbo_customers", "dbo_nokey", "heap_ci");
        assertThat(tables).extracting(r -> r[1]).containsExactly(true, false, true);
        assertThat(tables.get(2)[2]).isEqualTo("heap_a");
        assertThat(tables).allSatisfy(r -> assertThat(r[3]).isNotNull());
        assertThat(tables).allSatisfy(r -> assertThat(r[4]).isNull());
        assertThat(query("SELECT \"column_name\", \"column_ordinal\", \"column_id\" FROM cdc.\"captured_columns\" "
                + "cc JOIN cdc.\"change_tables\" ct ON ct.\"object_id\" = cc.\"object_id\" "
                + "WHERE ct.\"capture_instance\" = 'dbo_customers' ORDER BY \"column_ordinal\""))
                .extracting(r -> r[0] + ":" + r[1] + ":" + r[2]).containsExactly("id:1:1", "name:2:2", "city:3:3");
        assertThat(query("SELECT \"column_name\", \"index_ordinal\" FROM cdc.\"index_columns\" ic "
                + "JOIN cdc.\"change_tables\" ct ON ct.\"object_id\" = ic.\"object_id\" "
                + "WHERE ct.\"capture_instance\" = 'heap_ci'")).extracting(r -> r[0]).containsExactly("a");
        assertThat(query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA = 'cdc' "
                + "AND ROUTINE_NAME = 'fn_cdc_get_net_changes_dbo_nokey'").get(0)[0]).isEqualTo(0L);
        assertThat(db.declaredColumns("cdc", "dbo_customers_CT")).extracting(Column::name).containsExactly(
                "__$start_lsn", "__$end_lsn", "__$seqval", "__$operation", "__$update_mask", "id", "name", "city",
                "__$command_id");
        assertThat(db.declaredColumns("cdc", "dbo_customers_CT")).filteredOn(c -> c.name().equals("id"))
                .singleElement().satisfies(c -> assertThat(c.nullable()).isTrue());
        assertThat(query("SELECT IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'cdc' "
                + "AND TABLE_NAME = 'dbo_customers_CT' AND COLUMN_NAME = 'id'").get(0)[0]).isEqualTo("YES");
    }

    @Test
    void helpListsInstancesWithTheDocumentedShape() throws Exception {
        enableDb();
        enableTable("dbo", "customers");
        enableTable("dbo", "heap", "index_name", "heap_a");
        TestDatabase.Recorded all = db.call("sys.sp_cdc_help_change_data_capture");
        assertThat(all.columns).extracting(Column::name).containsExactly("source_schema", "source_table",
                "capture_instance", "object_id", "source_object_id", "start_lsn", "end_lsn", "supports_net_changes",
                "has_drop_pending", "role_name", "index_name", "filegroup_name", "create_date", "index_column_list",
                "captured_column_list");
        assertThat(all.rows).extracting(r -> r[2]).containsExactly("dbo_customers", "dbo_heap");
        Object[] customers = all.rows.get(0);
        assertThat(customers[13]).isEqualTo("[id]");
        assertThat(customers[14]).isEqualTo("[id], [name], [city]");
        assertThat(customers[5]).isEqualTo(minLsn("dbo_customers").toBytes());
        TestDatabase.Recorded one = db.call("sys.sp_cdc_help_change_data_capture", "source_schema", "dbo",
                "source_name", "HEAP");
        assertThat(one.rows).extracting(r -> r[2]).containsExactly("dbo_heap");
        assertThatThrownBy(() -> db.call("sys.sp_cdc_help_change_data_capture", "source_schema", "dbo"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22972));
        TestDatabase.Recorded columns = db.call("sys.sp_cdc_get_captured_columns", "capture_instance", "dbo_customers");
        assertThat(columns.rows).extracting(r -> r[3] + ":" + r[6] + ":" + r[7])
                .containsExactly("id:int:null", "name:nvarchar:100", "city:nvarchar:50");
        assertThatThrownBy(() -> db.call("sys.sp_cdc_get_captured_columns", "capture_instance", "nope"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22981));
    }

    @Test
    void positionalArgumentsFollowTheDeclaredOrder() throws Exception {
        enableDb();
        db.callArgs("sys.sp_cdc_enable_table", List.of(new Argument(null, "dbo", false),
                new Argument(null, "customers", false), new Argument(null, "pos_ci", false),
                new Argument(null, 0, false), new Argument(null, null, false)));
        assertThat(query("SELECT \"supports_net_changes\" FROM cdc.\"change_tables\" WHERE \"capture_instance\" = "
                + "'pos_ci'").get(0)[0]).isEqualTo(false);
    }

    @Test
    void disableTableDropsTheInstanceAndDisableDbDropsEverything() throws Exception {
        enableDb();
        enableTable("dbo", "customers");
        enableTable("dbo", "customers", "capture_instance", "second");
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'Paris')");
        captured();
        assertThatThrownBy(() -> db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name",
                "customers", "capture_instance", "nope")).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22960));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name",
                "customers", "capture_instance", null)).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22963));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name",
                "heap", "capture_instance", "all")).satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22985));
        db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name", "customers",
                "capture_instance", "second");
        assertThat(query("SELECT \"capture_instance\" FROM cdc.\"change_tables\"")).extracting(r -> r[0])
                .containsExactly("dbo_customers");
        assertThatThrownBy(() -> allChanges("second", Lsn.ZERO, Lsn.ZERO, "all")).isInstanceOf(SQLException.class);
        assertThat(db.flags.tableTracked("dbo", "customers")).isTrue();
        db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name", "customers",
                "capture_instance", "all");
        assertThat(db.flags.tableTracked("dbo", "customers")).isFalse();
        assertThat(maxLsn()).isNull(); // the mapping is emptied with the last tracked table
        transaction("INSERT INTO dbo.customers VALUES (2, 'b', 'Rome')"); // no trigger left: no error, nothing staged
        assertThat(query("SELECT COUNT(*) FROM cdc.\"emulator_log_records\"").get(0)[0]).isEqualTo(0L);
        enableTable("dbo", "customers");
        db.call("sys.sp_cdc_disable_db");
        assertThat(db.flags.databaseEnabled()).isFalse();
        assertThat(db.flags.tableTracked("dbo", "customers")).isFalse();
        assertThat(query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = 'cdc'").get(0)[0])
                .isEqualTo(0L);
        transaction("INSERT INTO dbo.customers VALUES (3, 'c', 'Oslo')");
        enableDb();
        enableTable("dbo", "customers");
    }

    @Test
    void jobsExistWhileTablesAreTrackedAndValidateTheirParameters() throws Exception {
        enableDb();
        assertThat(db.call("sys.sp_cdc_help_jobs").rows).isEmpty();
        assertThatThrownBy(() -> db.call("sys.sp_cdc_stop_job"))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22997));
        assertThat(db.call("sys.sp_cdc_enable_table", "source_schema", "dbo", "source_name", "customers",
                "role_name", null).infos).containsExactly("14243: Job 'cdc." + db.name() + "_capture' started "
                + "successfully.");
        assertThat(db.call("sys.sp_cdc_enable_table", "source_schema", "dbo", "source_name", "customers",
                "role_name", null, "capture_instance", "second").infos).isEmpty();
        TestDatabase.Recorded jobs = db.call("sys.sp_cdc_help_jobs");
        assertThat(jobs.rows).extracting(r -> r[1] + " " + r[2] + " " + r[3] + " " + r[4] + " " + r[5] + " " + r[6]
                + " " + r[7] + " " + r[8]).containsExactly(
                "capture cdc." + db.name() + "_capture 500 10 true 5 null null",
                "cleanup cdc." + db.name() + "_cleanup null null null null 4320 5000");
        db.call("sys.sp_cdc_change_job", "job_type", "cleanup", "retention", 60);
        db.call("sys.sp_cdc_change_job", "maxtrans", 1000, "continuous", 0);
        assertThat(db.call("sys.sp_cdc_help_jobs").rows).extracting(r -> r[3] + " " + r[5] + " " + r[6] + " " + r[7])
                .containsExactly("1000 false 0 null", "null null null 60");
        for (Object[] bad : new Object[][] {{"job_type", "nope", 22992}, {"maxtrans", 0, 22991},
                {"maxscans", -1, 22970}, {"continuous", 2, 22998}, {"pollinginterval", 86400, 22990},
                {"retention", 5, 22995}}) {
            assertThatThrownBy(() -> db.call("sys.sp_cdc_change_job", bad[0], bad[1]))
                    .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(bad[2]));
        }
        assertThatThrownBy(() -> db.call("sys.sp_cdc_change_job", "job_type", "cleanup", "maxtrans", 5))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22996));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_change_job", "job_type", "cleanup", "retention", 52594801))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22994));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_change_job", "job_type", "cleanup", "threshold", 0))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22850));
        assertThatThrownBy(() -> db.call("sys.sp_cdc_scan", "pollinginterval", 5))
                .satisfies(e -> assertThat(errorNumber(e)).isEqualTo(22999));
        db.call("sys.sp_cdc_disable_table", "source_schema", "dbo", "source_name", "customers",
                "capture_instance", "all");
        assertThat(db.call("sys.sp_cdc_help_jobs").rows).isEmpty();
    }

    @Test
    void droppingATrackedTableRemovesItsInstancesButRebuildingItDoesNot() throws Exception {
        enableDb();
        enableTable("dbo", "customers");
        enableTable("dbo", "heap", "index_name", "heap_a");
        transaction("ALTER TABLE dbo.customers ADD COLUMN extra INT"); // H2 rebuilds the table
        transaction("INSERT INTO dbo.customers VALUES (1, 'a', 'Paris', 5)");
        captured();
        assertThat(db.flags.tableTracked("dbo", "customers")).isTrue();
        assertThat(query("SELECT COUNT(*) FROM cdc.\"dbo_customers_CT\"").get(0)[0]).isEqualTo(1L);
        transaction("DROP TABLE dbo.customers");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !db.flags.tableTracked("dbo", "customers"));
        assertThat(query("SELECT \"capture_instance\" FROM cdc.\"change_tables\"")).extracting(r -> r[0])
                .containsExactly("dbo_heap");
        assertThat(query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'cdc' "
                + "AND TABLE_NAME = 'dbo_customers_CT'").get(0)[0]).isEqualTo(0L);
        assertThat(db.call("sys.sp_cdc_help_jobs").rows).hasSize(2);
    }
}
