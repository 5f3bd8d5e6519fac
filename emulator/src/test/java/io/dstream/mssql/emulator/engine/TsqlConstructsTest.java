package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** T-SQL that users and tools send beyond the basics. */
class TsqlConstructsTest extends SessionTestBase {

    @BeforeEach
    void createTable() {
        ok(session, "CREATE TABLE dbo.t (id INT IDENTITY(1,1) PRIMARY KEY, v NVARCHAR(20) NULL, n INT NULL)");
    }

    @Test
    void identityAndDefaultValues() {
        ok(session, "INSERT INTO t DEFAULT VALUES");
        ok(session, "INSERT INTO t (v) VALUES (N'x')");
        assertThat(scalar(session, "SELECT SCOPE_IDENTITY()")).isEqualTo(new BigDecimal("2"));
        assertThat(scalar(session, "SELECT @@IDENTITY")).isEqualTo(new BigDecimal("2"));
    }

    @Test
    void outputClausesReturnTheChangedRows() {
        CollectingSink inserted = ok(session, "INSERT INTO t (v, n) OUTPUT INSERTED.id, INSERTED.v VALUES (N'a', 1), (N'b', 2)");
        assertThat(inserted.last().rows()).extracting(r -> r[0] + ":" + r[1]).containsExactly("1:a", "2:b");
        assertThat(inserted.last().columns()).extracting(Column::name).containsExactly("id", "v");
        assertThat(inserted.counts).containsExactly(2L);
        CollectingSink updated = ok(session, "UPDATE t SET n = n + 10 OUTPUT DELETED.n WHERE v = N'a'");
        assertThat(updated.scalar()).isEqualTo(1);
        CollectingSink deleted = ok(session, "DELETE FROM t OUTPUT DELETED.* WHERE v = N'b'");
        assertThat(deleted.last().rows()).hasSize(1);
        assertThat(scalar(session, "SELECT COUNT(*) FROM t")).isEqualTo(1);
    }

    @Test
    void selectIntoCreatesATable() {
        ok(session, "INSERT INTO t (v, n) VALUES (N'a', 1), (N'b', 2)");
        ok(session, "SELECT v, n * 2 AS doubled INTO dbo.copy FROM t WHERE n > 1");
        assertThat(ok(session, "SELECT v, doubled FROM dbo.copy").last().rows().get(0)).containsExactly("b", 4);
        assertThat(ok(session, "SELECT * FROM dbo.copy").last().columns().get(0).type())
                .isEqualTo(SqlType.sized(SqlType.Kind.NVARCHAR, 20));
    }

    @Test
    void explicitIdentityValuesNeedIdentityInsert() {
        SqlError refused = error(session, "INSERT INTO t (id, v) VALUES (10, N'x')");
        assertThat(refused.number()).isEqualTo(544);
        assertThat(refused.getMessage()).isEqualTo(
                "Cannot insert explicit value for identity column in table 't' when IDENTITY_INSERT is set to OFF.");
        ok(session, "SET IDENTITY_INSERT dbo.t ON; INSERT INTO t (id, v) VALUES (10, N'x'); SET IDENTITY_INSERT dbo.t OFF");
        ok(session, "INSERT INTO t (v) VALUES (N'y')");
        assertThat(scalar(session, "SELECT id FROM t WHERE v = N'y'")).isEqualTo(11);
        ok(session, "CREATE TABLE dbo.plain (a INT)");
        assertThat(error(session, "SET IDENTITY_INSERT dbo.plain ON").number()).isEqualTo(8106);
    }

    @Test
    void permissionStatementsAreAcceptedWithoutAModel() {
        CollectingSink sink = ok(session, "CREATE LOGIN reader WITH PASSWORD = 'x'; CREATE USER reader FOR LOGIN reader; "
                + "GRANT SELECT ON SCHEMA::dbo TO reader; ALTER ROLE db_datareader ADD MEMBER reader; SELECT 1");
        assertThat(sink.scalar()).isEqualTo(1);
    }

    @Test
    void catalogFunctionsWithArguments() {
        assertThat(scalar(session, "SELECT name FROM sys.tables WHERE SCHEMA_NAME(schema_id) = 'dbo'")).isEqualTo("t");
        assertThat(scalar(session, "SELECT OBJECT_NAME(OBJECT_ID('dbo.t'))")).isEqualTo("t");
        assertThat(scalar(session, "SELECT OBJECT_SCHEMA_NAME(OBJECT_ID('t'))")).isEqualTo("dbo");
        assertThat(scalar(session, "SELECT SCHEMA_ID('dbo')")).isEqualTo(1);
        assertThat(scalar(session, "SELECT DB_ID()")).isEqualTo(5);
        assertThat(scalar(session, "SELECT DB_NAME(5)")).isEqualTo("testdb");
    }

    @Test
    void indexesViewsAndForeignKeys() {
        ok(session, "CREATE NONCLUSTERED INDEX ix_t_v ON dbo.t (v) INCLUDE (n) WITH (ONLINE = OFF) ON [PRIMARY]");
        ok(session, "CREATE UNIQUE INDEX ux_t_n ON dbo.t (n)");
        ok(session, "INSERT INTO t (v, n) VALUES (N'a', 1)");
        SqlError e = error(session, "INSERT INTO t (v, n) VALUES (N'b', 1)");
        assertThat(e.number()).isEqualTo(2601);
        assertThat(e.getMessage()).isEqualTo("Cannot insert duplicate key row in object 'dbo.t' with unique index 'ux_t_n'. "
                + "The duplicate key value is (1).");
        ok(session, "DROP INDEX ux_t_n ON dbo.t");
        ok(session, "INSERT INTO t (v, n) VALUES (N'b', 1)");
        ok(session, "CREATE INDEX ix_old ON t (n)");
        ok(session, "DROP INDEX t.ix_old");
        ok(session, "CREATE VIEW dbo.v_t AS SELECT id, v FROM dbo.t WHERE n IS NOT NULL");
        assertThat(scalar(session, "SELECT v FROM dbo.v_t")).isEqualTo("a");
        ok(session, "CREATE TABLE dbo.child (id INT PRIMARY KEY, t_id INT NOT NULL)");
        ok(session, "ALTER TABLE dbo.child ADD CONSTRAINT fk_child_t FOREIGN KEY (t_id) REFERENCES dbo.t (id)");
        SqlError fk = error(session, "INSERT INTO dbo.child VALUES (1, 99)");
        assertThat(fk.number()).isEqualTo(547);
        assertThat(fk.getMessage()).contains("FOREIGN KEY constraint \"fk_child_t\"");
    }

    @Test
    void dmlCountsAndPaging() {
        ok(session, "INSERT INTO t (v, n) VALUES (N'a', 1), (N'b', 2), (N'c', 3)");
        assertThat(ok(session, "UPDATE t SET n = n + 10 WHERE n >= 2").counts).containsExactly(2L);
        assertThat(scalar(session, "SELECT v FROM t ORDER BY id OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY")).isEqualTo("b");
        assertThat(ok(session, "DELETE FROM t WHERE v = N'c'").counts).containsExactly(1L);
        // @@ROWCOUNT is per session: the next batch still sees the DELETE's count
        assertThat(scalar(session, "SELECT @@ROWCOUNT")).isEqualTo(1);
        assertThat(scalar(session, "SELECT IIF(COUNT(*) = 2, N'two', N'other') FROM t")).isEqualTo("two");
        assertThat(scalar(session, "SELECT N'n=' + CAST(COUNT(*) AS NVARCHAR(10)) FROM t")).isEqualTo("n=2");
        assertThat(scalar(session, "SELECT CAST(1 AS BIT)")).isEqualTo(true);
        assertThat(scalar(session, "SELECT LEN(N'ab  ')")).isEqualTo(2);
        assertThat((String) scalar(session, "SELECT CONVERT(NVARCHAR(36), NEWID())")).hasSize(36);
    }

    @Test
    void controlFlowTryCatchAndErrors() {
        CollectingSink loop = ok(session, """
                DECLARE @i INT = 0
                WHILE @i < 5
                BEGIN
                    SET @i += 1
                    IF @i = 2 CONTINUE
                    IF @i = 4 BREAK
                    INSERT INTO t (n) VALUES (@i)
                END
                SELECT COUNT(*) FROM t
                """);
        assertThat(loop.scalar()).isEqualTo(2);
        CollectingSink caught = ok(session, """
                BEGIN TRY
                    SELECT 1/0
                END TRY
                BEGIN CATCH
                    SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
                END CATCH
                """);
        assertThat(caught.last().rows().get(0)).containsExactly(8134, "Divide by zero error encountered.");
        SqlError thrown = error(session, "THROW 50001, N'custom failure', 3");
        assertThat(thrown.number()).isEqualTo(50001);
        assertThat(thrown.state()).isEqualTo(3);
        SqlError raised = error(session, "RAISERROR(N'bad value %d', 16, 1, 42)");
        assertThat(raised.number()).isEqualTo(50000);
        assertThat(raised.getMessage()).isEqualTo("bad value 42");
        assertThat(ok(session, "RAISERROR('just info', 10, 1)").infos).containsExactly("just info");
    }

    @Test
    void savepointsAndDynamicSql() {
        ok(session, "BEGIN TRAN; INSERT INTO t (n) VALUES (1); SAVE TRAN sp1; INSERT INTO t (n) VALUES (2); ROLLBACK TRAN sp1; COMMIT");
        assertThat(scalar(session, "SELECT COUNT(*) FROM t")).isEqualTo(1);
        assertThat(scalar(session, "EXEC('SELECT 40 + 2')")).isEqualTo(42);
        assertThat(scalar(session, "DECLARE @sql NVARCHAR(100) = N'SELECT @a * 2'; "
                + "EXEC sp_executesql @sql, N'@a INT', @a = 21")).isEqualTo(42);
        assertThat(scalar(session, "DECLARE @out INT; "
                + "EXEC sp_executesql N'SET @r = @a + 1', N'@a INT, @r INT OUTPUT', @a = 1, @r = @out OUTPUT; SELECT @out")).isEqualTo(2);
        assertThat(scalar(session, "SELECT 'n=' + CAST(12345 AS VARCHAR)")).isEqualTo("n=12345");
        assertThat(scalar(session, "SELECT COUNT(*) FROM sys.objects WHERE type = 'U'")).isEqualTo(1);
        assertThat(scalar(session, "SELECT COUNT(*) FROM sys.tables WHERE is_tracked_by_cdc = 0")).isEqualTo(1);
        assertThat(error(session, "COMMIT").number()).isEqualTo(3902);
        assertThat(error(session, "ROLLBACK").number()).isEqualTo(3903);
    }

    @Test
    void wordsH2ReservesButTsqlDoesNotAreColumnNames() {
        ok(session, "CREATE TABLE dbo.kv (k INT PRIMARY KEY, value INT, year INT, month INT, day INT)");
        ok(session, "INSERT INTO dbo.kv (k, value, year, month, day) VALUES (1, 2, 2024, 5, 6)");
        assertThat(ok(session, "SELECT value, year FROM dbo.kv").last().rows().get(0)).containsExactly(2, 2024);
        assertThat(scalar(session, "SELECT DATEPART(year, CAST('2024-05-06' AS DATE))")).isEqualTo(2024);
        assertThat(scalar(session, "SELECT DATEPART(dd, CAST('2024-05-06' AS DATE))")).isEqualTo(6);
        assertThat(scalar(session, "SELECT DATEADD(day, 1, CAST('2024-05-06' AS DATE))"))
                .isEqualTo(java.time.LocalDate.of(2024, 5, 7));
    }

    @Test
    void rowversionChangesOnEveryInsertAndUpdate() {
        ok(session, "CREATE TABLE dbo.rv (id INT PRIMARY KEY, v INT, ts ROWVERSION)");
        ok(session, "INSERT INTO dbo.rv (id, v) VALUES (1, 1), (2, 2)");
        byte[] first = (byte[]) scalar(session, "SELECT ts FROM dbo.rv WHERE id = 1");
        assertThat(first).hasSize(8);
        ok(session, "UPDATE dbo.rv SET v = 10 WHERE id = 1");
        byte[] second = (byte[]) scalar(session, "SELECT ts FROM dbo.rv WHERE id = 1");
        assertThat(new java.math.BigInteger(1, second)).isGreaterThan(new java.math.BigInteger(1, first));
    }

    @Test
    void sysnameAndDatetimeDefaults() {
        ok(session, "CREATE TABLE dbo.names (n SYSNAME NOT NULL, at DATETIME NOT NULL DEFAULT GETDATE(), "
                + "CONSTRAINT pk_names PRIMARY KEY CLUSTERED (n ASC))");
        ok(session, "INSERT INTO dbo.names (n) VALUES (N'x')");
        CollectingSink sink = ok(session, "SELECT n, at FROM dbo.names");
        assertThat(sink.last().columns()).extracting(c -> c.type().sqlName()).containsExactly("nvarchar(128)", "datetime");
        assertThat(sink.last().columns().get(0).nullable()).isFalse();
    }

    @Test
    void unsupportedConstructsFailWithAnErrorThatNamesThem() {
        assertThat(error(session, "MERGE INTO t USING (VALUES (1)) AS s (n) ON t.n = s.n WHEN NOT MATCHED THEN "
                + "INSERT (n) VALUES (s.n) OUTPUT INSERTED.id;").getMessage()).contains("OUTPUT");
        assertThat(error(session, "DECLARE @x INT; UPDATE t SET n = 1 OUTPUT INSERTED.n INTO @x").getMessage())
                .contains("OUTPUT … INTO");
        assertThat(error(session, "CREATE PROCEDURE dbo.p AS SELECT 1").getMessage()).contains("CREATE PROCEDURE");
        assertThat(error(session, "DECLARE @c CURSOR").getMessage()).contains("CURSOR");
        assertThat(error(session, "DECLARE @tv TABLE (a INT PRIMARY KEY)").getMessage()).contains("PRIMARY");
    }

    @Test
    void tableVariablesHoldRowsForOneBatchAndTakeTheRowsOfAProcedure() {
        ok(session, "IF OBJECT_ID(N'dbo.tv_source') IS NULL CREATE TABLE dbo.tv_source (k INT NOT NULL PRIMARY KEY)");
        CollectingSink sink = ok(session, "DECLARE @tv TABLE (a INT, b NVARCHAR(10) NOT NULL); "
                + "INSERT INTO @tv VALUES (1, N'x'), (2, N'y'); SELECT MAX(a) * 10 + MIN(a) FROM @tv WHERE b <> N'z'");
        assertThat(sink.scalar()).isEqualTo(21);
        assertThat(ok(session, "DECLARE @tv TABLE (a INT, b NVARCHAR(10) NOT NULL); SELECT COUNT(*) FROM @tv").scalar())
                .as("a new batch starts empty").isEqualTo(0);
        assertThat(error(session, "SELECT COUNT(*) FROM @tv").number()).as("gone after its batch").isEqualTo(137);
        CollectingSink pkeys = ok(session, "DECLARE @k TABLE (q SYSNAME, o SYSNAME, t SYSNAME, c SYSNAME, s SMALLINT, "
                + "n SYSNAME); INSERT INTO @k EXEC sp_pkeys N'tv_source'; SELECT t, c, s FROM @k");
        assertThat(pkeys.last().rows()).hasSize(1);
        assertThat(pkeys.last().rows().get(0)).containsExactly("tv_source", "k", (short) 1);
    }

    @Test
    void parametersFromRpcAreVariables() {
        CollectingSink sink = new CollectingSink();
        session.execute("INSERT INTO t (v, n) VALUES (@P0, @P1); SELECT @P1 * 2",
                List.of(new Parameter("@P0", SqlType.sized(SqlType.Kind.NVARCHAR, 4000), "p", false),
                        new Parameter("@P1", SqlType.of(SqlType.Kind.INT), 7, false)), sink);
        assertThat(sink.errors).isEmpty();
        assertThat(sink.scalar()).isEqualTo(14);
        CollectingSink out = new CollectingSink();
        session.execute("SET @P0 = @P1 + 1", List.of(new Parameter("@P0", SqlType.of(SqlType.Kind.INT), null, true),
                new Parameter("@P1", SqlType.of(SqlType.Kind.INT), 1, false)), out);
        assertThat(out.errors).isEmpty();
        assertThat(out.returnValues).extracting(Parameter::value).containsExactly(2);
    }

    @Test
    void attentionCancelsARunningH2Query() throws Exception {
        ok(session, "CREATE TABLE dbo.digits (d INT)");
        ok(session, "INSERT INTO dbo.digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
        long before = engine.requestCount();
        CollectingSink sink = new CollectingSink();
        // 10^10 combinations: runs far longer than the test waits
        Thread request = new Thread(() -> session.execute("SELECT COUNT(*) FROM dbo.digits a, dbo.digits b, dbo.digits c, "
                + "dbo.digits d, dbo.digits e, dbo.digits f, dbo.digits g, dbo.digits h, dbo.digits i, dbo.digits j",
                List.of(), sink));
        request.start();
        org.awaitility.Awaitility.await().until(() -> engine.requestCount() > before);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            session.cancel();
            return !request.isAlive();
        });
        assertThat(sink.errors).isEmpty();
        assertThat(sink.results).isEmpty();
        assertThat(ok(session, "SELECT COUNT(*) FROM dbo.digits").scalar()).isEqualTo(10);
    }

    @Test
    void waitforDelayRunsAndAttentionCancelsIt() throws Exception {
        assertThat(ok(session, "WAITFOR DELAY '00:00:00.050'; SELECT 1").scalar()).isEqualTo(1);
        long before = engine.requestCount();
        CollectingSink sink = new CollectingSink();
        Thread request = new Thread(() -> session.execute("WAITFOR DELAY '00:10:00'; SELECT 1", List.of(), sink));
        request.start();
        org.awaitility.Awaitility.await().until(() -> engine.requestCount() > before);
        session.cancel();
        request.join(10_000);
        assertThat(request.isAlive()).isFalse();
        assertThat(sink.results).isEmpty();
        assertThat(sink.errors).isEmpty();
        assertThat(ok(session, "SELECT 2").scalar()).isEqualTo(2);
    }
}
