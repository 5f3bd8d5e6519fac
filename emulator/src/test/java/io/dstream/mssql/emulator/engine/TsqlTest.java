package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public class TsqlTest extends SessionTestBase {

    @Test
    void schemaNamesAreCaseInsensitiveLikeSqlServer() {
        ok(session, "CREATE SCHEMA Sales");
        ok(session, "CREATE TABLE sales.Items (id INT)");
        ok(session, "CREATE TABLE dbo.Items (id INT)");
        ok(session, "INSERT INTO [SALES].[items] VALUES (1)");
        assertThat(scalar(session, "SELECT COUNT(*) FROM SaLeS.ITEMS")).isEqualTo(1);
        assertThat(scalar(session, "SELECT COUNT(*) FROM testdb.sales.items")).isEqualTo(1);
        assertThat(scalar(session, "SELECT COUNT(*) FROM testdb..Items WHERE 1 = 0")).isEqualTo(0);
        assertThat(error(session, "CREATE SCHEMA SALES").number()).isEqualTo(2714);
        assertThat(error(session, "SELECT 1; CREATE SCHEMA other").number()).isEqualTo(111);
        assertThat(error(session, "IF SCHEMA_ID('x') IS NULL CREATE SCHEMA x").number()).isEqualTo(111);
        ok(session, "IF SCHEMA_ID('x') IS NULL EXEC('CREATE SCHEMA x')");
        assertThat(scalar(session, "SELECT SCHEMA_ID('x')")).isNotNull();
        assertThat(scalar(session, "SELECT SCHEMA_ID('nosuch')")).isNull();
        // the default collation is case-insensitive: catalog names and user data compare that way
        assertThat(scalar(session, "SELECT name FROM sys.schemas WHERE name = 'SALES'")).isEqualTo("Sales");
        ok(session, "CREATE TABLE dbo.people (name NVARCHAR(20))");
        ok(session, "INSERT INTO dbo.people VALUES (N'Alice')");
        assertThat(scalar(session, "SELECT COUNT(*) FROM dbo.people WHERE name = N'ALICE'")).isEqualTo(1);
    }

    @Test
    void objectIdIsStableAndMatchesTheCatalog() {
        ok(session, "CREATE TABLE dbo.t (id INT NOT NULL PRIMARY KEY, v NVARCHAR(20))");
        Object id = scalar(session, "SELECT OBJECT_ID(N'dbo.t')");
        assertThat(id).isNotNull().isEqualTo(scalar(session, "SELECT OBJECT_ID('[dbo].[T]')"));
        assertThat(scalar(session, "SELECT object_id FROM sys.tables WHERE name = 't'")).isEqualTo(id);
        assertThat(engine.findDatabase("testdb").objectId("DBO", "T")).isEqualTo(id);
        assertThat(scalar(session, "SELECT OBJECT_ID(N'dbo.nosuch')")).isNull();
        assertThat(scalar(session, "SELECT OBJECT_ID(N'dbo.t', N'U')")).isEqualTo(id);
        assertThat(scalar(session, "SELECT OBJECT_ID(N'dbo.t', N'V')")).isNull();
        ok(session, "IF OBJECT_ID(N'dbo.t', N'U') IS NOT NULL DROP TABLE dbo.t; CREATE TABLE dbo.t (id INT NOT NULL PRIMARY KEY, v NVARCHAR(20))");
        Object recreated = scalar(session, "SELECT OBJECT_ID(N'dbo.t')");
        assertThat(recreated).as("a re-created table gets a new id").isNotEqualTo(id);
        id = recreated;
        CollectingSink ifNull = ok(session, "IF OBJECT_ID(N'dbo.t2') IS NULL CREATE TABLE dbo.t2 (a INT); SELECT 1");
        assertThat(ifNull.errors).isEmpty();
        assertThat(scalar(session, "SELECT COUNT(*) FROM sys.tables")).isEqualTo(2);
    }

    @Test
    void catalogColumnsCarryDeclaredTypes() {
        ok(session, "CREATE TABLE dbo.t (id INT IDENTITY(1,1) NOT NULL PRIMARY KEY, name NVARCHAR(20), price MONEY, "
                + "b TINYINT, ts DATETIMEOFFSET(3), doc NVARCHAR(MAX), bin VARBINARY(16))");
        CollectingSink sink = ok(session, "SELECT c.name, c.column_id, c.system_type_id, c.max_length, c.precision, c.scale, "
                + "c.is_nullable, c.is_identity, ty.name FROM sys.columns c JOIN sys.types ty ON ty.user_type_id = c.user_type_id "
                + "WHERE c.object_id = OBJECT_ID('dbo.t') ORDER BY c.column_id");
        List<String> rows = new ArrayList<>();
        for (Object[] r : sink.last().rows()) {
            rows.add(r[0] + ":" + r[1] + ":" + r[2] + ":" + r[3] + ":" + r[4] + ":" + r[5] + ":" + r[6] + ":" + r[7] + ":" + r[8]);
        }
        assertThat(rows).containsExactly(
                "id:1:56:4:10:0:false:true:int",
                "name:2:231:40:0:0:true:false:nvarchar",
                "price:3:60:8:19:4:true:false:money",
                "b:4:48:1:3:0:true:false:tinyint",
                "ts:5:43:9:30:3:true:false:datetimeoffset",
                "doc:6:231:-1:0:0:true:false:nvarchar",
                "bin:7:165:16:0:0:true:false:varbinary");
        CollectingSink info = ok(session, "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_NAME = 't' AND TABLE_SCHEMA = 'dbo' ORDER BY ORDINAL_POSITION");
        assertThat(info.last().rows().get(1)).containsExactly("name", "nvarchar", 20);
        assertThat(info.last().rows().get(5)).containsExactly("doc", "nvarchar", -1);
        assertThat(scalar(session, "SELECT TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 't'")).isEqualTo("BASE TABLE");
        CollectingSink pk = ok(session, "SELECT i.name, i.is_primary_key, ic.column_id FROM sys.indexes i JOIN sys.index_columns ic "
                + "ON ic.object_id = i.object_id AND ic.index_id = i.index_id WHERE i.object_id = OBJECT_ID('dbo.t')");
        assertThat(pk.last().rows()).hasSize(1);
        assertThat(pk.last().value(0, 1)).isEqualTo(true);
        assertThat(pk.last().value(0, 2)).isEqualTo(1);
    }

    @Test
    void catalogDatabasesAndSchemasAndCdcFlags() {
        ok(session, "CREATE TABLE dbo.t (id INT)");
        engine.findDatabase("testdb").setCdcFlags(new DatabaseContext.CdcFlags() {
            @Override
            public boolean databaseEnabled() {
                return true;
            }

            @Override
            public boolean tableTracked(String schema, String table) {
                return table.equals("t");
            }

            @Override
            public boolean columnCaptured(String schema, String table, String column) {
                return table.equals("t");
            }
        });
        assertThat(scalar(session, "SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()")).isEqualTo(true);
        assertThat(scalar(session, "SELECT is_tracked_by_cdc FROM sys.tables WHERE name = 't'")).isEqualTo(true);
        assertThat(scalar(session, "SELECT schema_id FROM sys.schemas WHERE name = 'dbo'")).isEqualTo(1);
        assertThat(scalar(session, "SELECT SCHEMA_NAME()")).isEqualTo("dbo");
        assertThat(scalar(session, "SELECT DB_NAME()")).isEqualTo("testdb");
        assertThat(scalar(session, "SELECT CAST(SERVERPROPERTY('EngineEdition') as INT)")).isEqualTo(3);
        assertThat((String) scalar(session, "SELECT SERVERPROPERTY('ProductVersion')")).startsWith("16.0.");
        assertThat((String) scalar(session, "SELECT @@VERSION")).startsWith("Microsoft SQL Server 2022").contains("emulator");
        assertThat(scalar(session, "SELECT @@SPID")).isInstanceOf(Short.class);
    }

    @Test
    void alterAndDropTable() {
        ok(session, "CREATE TABLE t (id INT)");
        ok(session, "ALTER TABLE t ADD price MONEY NULL, note NVARCHAR(10)");
        CollectingSink sink = ok(session, "SELECT * FROM t");
        assertThat(sink.last().columns()).extracting(Column::name).containsExactly("id", "price", "note");
        assertThat(sink.last().columns().get(1).type().kind()).isEqualTo(SqlType.Kind.MONEY);
        ok(session, "ALTER TABLE dbo.t ADD CONSTRAINT DF_t_price DEFAULT ((9.5)) FOR price");
        ok(session, "INSERT INTO t (id) VALUES (1)");
        assertThat(scalar(session, "SELECT price FROM t")).isEqualTo(new java.math.BigDecimal("9.5000"));
        ok(session, "ALTER TABLE dbo.t DROP COLUMN note");
        assertThat(ok(session, "SELECT * FROM t").last().columns()).hasSize(2);
        ok(session, "DROP TABLE IF EXISTS dbo.t");
        ok(session, "DROP TABLE IF EXISTS dbo.t");
        assertThat(error(session, "SELECT * FROM dbo.t").getMessage()).isEqualTo("Invalid object name 'dbo.t'.");
    }

    @Test
    void mergeTopNolockTruncate() {
        ok(session, "CREATE TABLE t (id INT PRIMARY KEY, v NVARCHAR(10))");
        ok(session, "MERGE INTO t AS target USING (VALUES (1, N'a'), (2, N'b')) AS source (id, v) ON target.id = source.id "
                + "WHEN MATCHED THEN UPDATE SET v = source.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (source.id, source.v);");
        assertThat(scalar(session, "SELECT TOP (1) v FROM t WITH (NOLOCK) ORDER BY id DESC")).isEqualTo("b");
        assertThat(scalar(session, "SELECT TOP 1 v FROM dbo.t (NOLOCK) ORDER BY id")).isEqualTo("a");
        ok(session, "TRUNCATE TABLE t");
        assertThat(scalar(session, "SELECT COUNT(*) FROM t")).isEqualTo(0);
    }

    @Test
    void temporalAndGuidValuesKeepSqlServerTypes() {
        ok(session, "CREATE TABLE t (a DATETIMEOFFSET(7), b TIME(7), c DATETIME, d UNIQUEIDENTIFIER, e BIT)");
        ok(session, "INSERT INTO t VALUES ('2024-01-02 03:04:05.1234567 +02:00', '10:11:12.1234567', "
                + "'2024-01-02 03:04:05.123', '6F9619FF-8B86-D011-B42D-00C04FC964FF', 1)");
        Object[] row = ok(session, "SELECT a, b, c, d, e FROM t").last().rows().get(0);
        assertThat(row[0]).isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123456700, ZoneOffset.ofHours(2)));
        assertThat(row[1]).isEqualTo(LocalTime.of(10, 11, 12, 123456700));
        assertThat(row[2]).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123000000));
        assertThat(row[3]).isEqualTo(UUID.fromString("6F9619FF-8B86-D011-B42D-00C04FC964FF"));
        assertThat(row[4]).isEqualTo(true);
        assertThat(scalar(session, "SELECT SYSDATETIMEOFFSET()")).isInstanceOf(OffsetDateTime.class);
        assertThat(scalar(session, "SELECT GETUTCDATE()")).isInstanceOf(LocalDateTime.class);
        assertThat(scalar(session, "SELECT CONVERT(VARCHAR(30), c, 121) FROM t")).isEqualTo("2024-01-02 03:04:05.123");
        assertThat(scalar(session, "SELECT CONVERT(VARCHAR(10), c, 112) FROM t")).isEqualTo("20240102");
        assertThat(scalar(session, "SELECT CONVERT(INT, '5')")).isEqualTo(5);
        assertThat(scalar(session, "SELECT DATALENGTH(N'ab')")).isEqualTo(4);
        assertThat(scalar(session, "SELECT ISNULL(NULL, 7)")).isEqualTo(7);
    }

    @Test
    void everyDeclaredTypeReadsBackAsItsJavaType() {
        ok(session, "CREATE TABLE dbo.types (a SMALLMONEY, b REAL, c FLOAT, d DATE, e TIME(3), f SMALLDATETIME, "
                + "g CHAR(5), h VARCHAR(10), i NCHAR(3), j BINARY(4), k VARBINARY(MAX), l XML, m BIGINT, n SMALLINT, "
                + "o NUMERIC(10,3), p DATETIME2(0))");
        ok(session, "INSERT INTO dbo.types VALUES (1.5, 2.5, 3.5, '2024-01-02', '10:11:12.123', '2024-01-02 03:04:00', "
                + "'ab', 'cd', N'é', 0x01020304, 0x0A0B, N'<x/>', 9000000000, 7, 1.25, '2024-01-02 03:04:05')");
        CollectingSink sink = ok(session, "SELECT * FROM dbo.types");
        Object[] row = sink.last().rows().get(0);
        assertThat(sink.last().columns()).extracting(c -> c.type().sqlName()).containsExactly("smallmoney", "real", "float",
                "date", "time(3)", "smalldatetime", "char(5)", "varchar(10)", "nchar(3)", "binary(4)", "varbinary(max)",
                "xml", "bigint", "smallint", "numeric(10,3)", "datetime2(0)");
        assertThat(row[0]).isEqualTo(new java.math.BigDecimal("1.5000"));
        assertThat(row[1]).isEqualTo(2.5f);
        assertThat(row[2]).isEqualTo(3.5d);
        assertThat(row[3]).isEqualTo(java.time.LocalDate.of(2024, 1, 2));
        assertThat(row[4]).isEqualTo(LocalTime.of(10, 11, 12, 123_000_000));
        assertThat(row[5]).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4));
        assertThat(row[6]).isEqualTo("ab   ");
        assertThat(row[7]).isEqualTo("cd");
        assertThat(row[8]).isEqualTo("é  ");
        assertThat(row[9]).isEqualTo(new byte[] {1, 2, 3, 4});
        assertThat(row[10]).isEqualTo(new byte[] {10, 11});
        assertThat(row[11]).isEqualTo("<x/>");
        assertThat(row[12]).isEqualTo(9_000_000_000L);
        assertThat(row[13]).isEqualTo((short) 7);
        assertThat(row[14]).isEqualTo(new java.math.BigDecimal("1.250"));
        assertThat(row[15]).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
    }

    @Test
    void tinyintRangeIsSqlServers() {
        ok(session, "CREATE TABLE t (b TINYINT)");
        ok(session, "INSERT INTO t VALUES (255)");
        assertThat(error(session, "INSERT INTO t VALUES (256)").number()).isEqualTo(220);
    }

    @Test
    void execDispatchesToRegisteredProceduresWithNamedAndPositionalArguments() {
        List<ProcedureCall> calls = new ArrayList<>();
        engine.findDatabase("testdb").registerProcedure("sys.sp_demo", call -> {
            calls.add(call);
            return 0;
        });
        CollectingSink sink = ok(session, "DECLARE @t sysname = N'orders'\n"
                + "EXEC sys.sp_demo @source_schema = N'dbo', @source_name = @t, @role_name = NULL, @x = DEFAULT");
        assertThat(sink.statuses).containsExactly(0);
        ProcedureCall call = calls.get(0);
        assertThat(call.value("source_schema", 0)).contains("dbo");
        assertThat(call.value("SOURCE_NAME", 1)).contains("orders");
        assertThat(call.value("role_name", 2)).isEmpty();
        ok(session, "EXECUTE sp_demo N'a', 5");
        assertThat(calls.get(1).value("first", 0)).contains("a");
        assertThat(calls.get(1).value("second", 1)).contains(5);
        CollectingSink rpc = new CollectingSink();
        session.callProcedure("sys.sp_demo", List.of(new Parameter("@a", SqlType.sized(SqlType.Kind.NVARCHAR, 10), "v", false)), rpc);
        assertThat(rpc.errors).isEmpty();
        assertThat(calls.get(2).value("a", 0)).contains("v");
        assertThat(rpc.statuses).containsExactly(0);
    }

    @Test
    void spExecuteSqlFromTsqlAndParametersFromRpc() {
        ok(session, "CREATE TABLE t (id INT, v NVARCHAR(10))");
        ok(session, "EXEC sp_executesql N'INSERT INTO t VALUES (@a, @b)', N'@a int, @b nvarchar(10)', @a = 1, @b = N'x'");
        CollectingSink sink = new CollectingSink();
        session.execute("SELECT v FROM t WHERE id = @P0", List.of(new Parameter("@P0", SqlType.of(SqlType.Kind.INT), 1, false)), sink);
        assertThat(sink.errors).isEmpty();
        assertThat(sink.scalar()).isEqualTo("x");
    }

    @Test
    void ifNotExistsBlocksAndPrint() {
        CollectingSink sink = ok(session, """
                IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = 'x')
                BEGIN
                    CREATE TABLE x (id INT)
                    PRINT 'created'
                END
                ELSE
                    PRINT 'exists'
                """);
        assertThat(sink.infos).containsExactly("created");
        assertThat(ok(session, "IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = 'x') PRINT 'created' ELSE PRINT 'exists'").infos)
                .containsExactly("exists");
    }

    @Test
    void useSwitchesDatabasesAndNocountSuppressesCounts() {
        engine.openSession("other", "sa", "x").close();
        CollectingSink sink = ok(session, "USE [other]");
        assertThat(sink.databaseChanges).containsExactly("testdb->other");
        assertThat(sink.infoNumbers).containsExactly(5701);
        assertThat(session.database()).isEqualTo("other");
        assertThat(scalar(session, "SELECT DB_NAME()")).isEqualTo("other");
        ok(session, "CREATE TABLE t (id INT)");
        CollectingSink counted = ok(session, "SET NOCOUNT ON; INSERT INTO t VALUES (1); SELECT @@ROWCOUNT");
        assertThat(counted.counts).doesNotContain(1L);
        assertThat(counted.scalar()).isEqualTo(1);
    }

    @Test
    void errorStopsTheBatchButKeepsTheTransactionOpen() {
        ok(session, "CREATE TABLE t (id INT PRIMARY KEY)");
        CollectingSink sink = new CollectingSink();
        session.execute("BEGIN TRAN INSERT INTO t VALUES (1) INSERT INTO t VALUES (1) INSERT INTO t VALUES (2)", List.of(), sink);
        assertThat(sink.errors).extracting(SqlError::number).containsExactly(2627);
        assertThat(scalar(session, "SELECT @@TRANCOUNT")).isEqualTo(1);
        ok(session, "COMMIT");
        assertThat(scalar(session, "SELECT COUNT(*) FROM t")).isEqualTo(1);
    }

    @Test
    void listenersHearEveryCommitAndRollbackWithTheH2SessionId() {
        List<String> events = new ArrayList<>();
        engine.findDatabase("testdb").addTransactionListener(new DatabaseContext.TransactionListener() {
            @Override
            public void afterCommit(int h2SessionId) {
                events.add("commit " + h2SessionId);
            }

            @Override
            public void afterRollback(int h2SessionId) {
                events.add("rollback " + h2SessionId);
            }
        });
        ok(session, "CREATE TABLE t (id INT)");
        Object h2Session = scalar(session, "SELECT SESSION_ID()");
        events.clear();
        ok(session, "INSERT INTO t VALUES (1)");
        assertThat(events).containsExactly("commit " + h2Session);
        events.clear();
        ok(session, "BEGIN TRAN INSERT INTO t VALUES (2) ROLLBACK");
        assertThat(events).containsExactly("rollback " + h2Session);
    }

    @Test
    void injectedErrorFailsTheNthNextStatementAndRequestsAreCounted() {
        long before = engine.requestCount();
        engine.injectError(1205, 1);
        ok(session, "SELECT 1");
        SqlError e = error(session, "SELECT 2");
        assertThat(e.number()).isEqualTo(1205);
        ok(session, "SELECT 3");
        assertThat(engine.requestCount()).isEqualTo(before + 3);
    }

    @Test
    void javaFunctionErrorsSurfaceAsTheirSqlError() throws Exception {
        DatabaseContext db = engine.findDatabase("testdb");
        try (var c = db.newConnection(); var s = c.createStatement()) {
            s.execute("CREATE ALIAS dbo.fail313 FOR '" + TsqlTest.class.getName() + ".fail313'");
        }
        SqlError e = error(session, "SELECT dbo.fail313()");
        assertThat(e.number()).as(e.getMessage()).isEqualTo(313);
    }

    public static int fail313() {
        throw SqlError.of(313, "An insufficient number of arguments were supplied for the procedure or function cdc.fn_cdc_get_all_changes_ ... .");
    }

    @Test
    void loginWithCredentials() {
        try (H2Engine secured = new H2Engine(new H2Engine.Options("u", "p", "testdb"), List.of())) {
            secured.openSession("testdb", "u", "p").close();
            try {
                secured.openSession("testdb", "x", "p");
                throw new AssertionError("login should fail");
            } catch (SqlError e) {
                assertThat(e.number()).isEqualTo(18456);
                assertThat(e.severity()).isEqualTo(14);
                assertThat(e.getMessage()).isEqualTo("Login failed for user 'x'.");
            }
        }
    }
}
