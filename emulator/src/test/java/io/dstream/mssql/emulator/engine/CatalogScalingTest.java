package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.mssql.emulator.cdc.CdcFeature;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The statements a CDC reader sends at startup and on every poll, against 1, 10 and 100 CDC tables:
 * their answers must be right at every size, and their times are printed (not asserted: the machine
 * is shared) so that a catalog view whose cost grows with the number of tables shows up here.
 */
class CatalogScalingTest extends EngineTestSupport {

    /** The provider's capture-instance query (ingester.db.Catalog.CAPTURE_INSTANCES). */
    private static final String CAPTURE_INSTANCES = "SELECT s.name, t.name, ct.capture_instance, ct.object_id, ct.start_lsn, ct.create_date "
            + "FROM cdc.change_tables AS ct "
            + "JOIN sys.tables AS t ON t.object_id = ct.source_object_id "
            + "JOIN sys.schemas AS s ON s.schema_id = t.schema_id";

    /** The provider's "is this table tracked" query (ingester.db.Catalog.TABLE_TRACKED), with literals. */
    private static final String TABLE_TRACKED = "SELECT t.is_tracked_by_cdc FROM sys.tables AS t "
            + "JOIN sys.schemas AS s ON s.schema_id = t.schema_id WHERE s.name = 'dbo' AND t.name = 'T1'";

    private static final String MAX_LSN = "SELECT sys.fn_cdc_get_max_lsn()";

    private static final int RUNS = 5;

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void providerStatementsAnswerRightAtEverySize(int tables) {
        try (CdcFeature cdc = new CdcFeature(Duration.ZERO);
             H2Engine engine = new H2Engine(H2Engine.Options.defaults(), List.of(cdc));
             Session s = engine.openSession("testdb", "sa", "x")) {
            ok(s, "EXEC sys.sp_cdc_enable_db");
            List<String> probe = new ArrayList<>();
            for (int i = 1; i <= tables; i++) {
                ok(s, "CREATE TABLE dbo.t" + i + " (id INT PRIMARY KEY, name NVARCHAR(50), amount DECIMAL(10,2))");
                ok(s, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N't" + i + "', @role_name = NULL");
                probe.add("SELECT " + (i - 1) + " AS idx, MAX([__$start_lsn]) AS max_lsn FROM [cdc].[dbo_t" + i + "_CT]");
            }
            ok(s, "INSERT INTO dbo.t1 VALUES (1, N'a', 1.50)");
            assertThat(cdc.awaitCaptured(Duration.ofSeconds(10))).isTrue();

            String catalog = time(s, CAPTURE_INSTANCES, r -> {
                assertThat(r.rows()).hasSize(tables);
                assertThat(r.rows()).allSatisfy(row -> {
                    assertThat(row[0]).isEqualTo("dbo");
                    assertThat(row[2]).isEqualTo("dbo_" + row[1]);
                });
            });
            String tracked = time(s, TABLE_TRACKED, r -> assertThat(r.rows()).containsExactly(new Object[] {true}));
            String maxLsn = time(s, MAX_LSN, r -> assertThat(r.value(0, 0)).isNotNull());
            String probed = time(s, String.join(" UNION ALL ", probe), r -> {
                assertThat(r.rows()).hasSize(tables);
                assertThat(r.rows().stream().filter(row -> row[1] != null)).hasSize(1);
            });
            System.out.printf("catalog scaling, %3d CDC tables (min/median of %d, ms): capture instances %s, "
                    + "table tracked %s, max lsn %s, probe %s%n", tables, RUNS, catalog, tracked, maxLsn, probed);
        }
    }

    @Test
    void objectIdsStayDistinctPastHundredsOfObjects() {
        // the provider joins cdc.change_tables to sys.tables on object ids: one repeated id maps a
        // capture instance to the wrong table (seen with 120 CDC tables: tables stopped being read)
        int tables = 400;
        try (H2Engine engine = new H2Engine(); Session s = engine.openSession("testdb", "sa", "x")) {
            for (int i = 1; i <= tables; i++) {
                ok(s, "CREATE TABLE dbo.o" + i + " (id INT PRIMARY KEY)");
            }
            CollectingSink.Result objects = ok(s, "SELECT object_id, name FROM sys.objects").last();
            List<Object> ids = objects.rows().stream().map(row -> row[0]).toList();
            assertThat(ids).hasSizeGreaterThanOrEqualTo(2 * tables).doesNotHaveDuplicates();
            assertThat(ids).allSatisfy(id -> assertThat((Integer) id).isPositive());
            assertThat(scalar(s, "SELECT name FROM sys.tables WHERE object_id = OBJECT_ID('dbo.o399')")).isEqualTo("o399");
        }
    }

    @Test
    void aJoinComputesACatalogViewOnceAndTheNextStatementSeesNewTables() {
        try (H2Engine engine = new H2Engine(); Session s = engine.openSession("testdb", "sa", "x")) {
            for (int i = 1; i <= 5; i++) {
                ok(s, "CREATE TABLE dbo.j" + i + " (id INT PRIMARY KEY)");
            }
            String join = "SELECT COUNT(*) FROM sys.tables AS a JOIN sys.tables AS b ON b.object_id = a.object_id "
                    + "JOIN sys.schemas AS s ON s.schema_id = b.schema_id";
            long before = Catalog.materialized();
            CollectingSink sink = ok(s, join + "; CREATE TABLE dbo.j6 (id INT); " + join);
            // sys.tables and sys.schemas once per statement, not once per joined row
            assertThat(Catalog.materialized() - before).isEqualTo(4);
            assertThat(sink.results.get(0).value(0, 0)).isEqualTo(5);
            assertThat(sink.results.get(1).value(0, 0)).isEqualTo(6);
        }
    }

    @Test
    void catalogViewsFollowDdlFromAnyConnectionAndDeclaredTypes() throws Exception {
        try (H2Engine engine = new H2Engine(); Session s = engine.openSession("testdb", "sa", "x")) {
            LocalDateTime start = LocalDateTime.now().minusSeconds(1);
            ok(s, "CREATE TABLE dbo.a (id INT PRIMARY KEY)");
            assertThat(scalar(s, "SELECT create_date FROM sys.tables WHERE name = 'a'"))
                    .isInstanceOfSatisfying(LocalDateTime.class, created -> assertThat(created).isAfter(start));
            String columns = "SELECT COUNT(*) FROM sys.columns WHERE object_id = OBJECT_ID('dbo.a')";
            assertThat(scalar(s, columns)).isEqualTo(1);
            DatabaseContext db = engine.findDatabase("testdb");
            try (Connection c = db.newConnection(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE \"dbo\".\"a\" ADD \"amount\" NUMERIC(19,4)");
            }
            assertThat(scalar(s, columns)).isEqualTo(2);
            String typeOfAmount = "SELECT t.name FROM sys.columns AS c JOIN sys.types AS t ON t.user_type_id = c.user_type_id "
                    + "WHERE c.object_id = OBJECT_ID('dbo.a') AND c.name = 'amount'";
            assertThat(scalar(s, typeOfAmount)).isEqualTo("decimal");
            db.declareTable("dbo", "a", List.of(new Column("id", SqlType.of(SqlType.Kind.INT), false),
                    new Column("amount", SqlType.of(SqlType.Kind.MONEY), true)));
            assertThat(scalar(s, typeOfAmount)).isEqualTo("money");
            ok(s, "CREATE INDEX ix_amount ON dbo.a (amount)");
            assertThat(scalar(s, "SELECT COUNT(*) FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.a')")).isEqualTo(2);
        }
    }

    /** Runs the query {@link #RUNS} times, checks each answer, and returns "min/median" in milliseconds. */
    private static String time(Session s, String sql, Consumer<CollectingSink.Result> check) {
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            CollectingSink sink = ok(s, sql);
            ms[i] = (System.nanoTime() - start) / 1e6;
            check.accept(sink.last());
        }
        Arrays.sort(ms);
        return String.format("%.1f/%.1f", ms[0], ms[RUNS / 2]);
    }
}
