package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2EngineTest extends SessionTestBase {

    @Test
    void selectOneAsTheDriverIsValidCheckDoes() {
        CollectingSink sink = ok(session, "SELECT 1");
        assertThat(sink.scalar()).isEqualTo(1);
        assertThat(sink.last().columns().get(0).type()).isEqualTo(SqlType.of(SqlType.Kind.INT));
        assertThat(sink.counts).containsExactly(1L);
    }

    @Test
    void createInsertSelectWithDeclaredTypes() {
        ok(session, """
                CREATE TABLE dbo.orders (
                  id INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_orders PRIMARY KEY CLUSTERED,
                  customer NVARCHAR(50) NOT NULL,
                  amount MONEY NULL,
                  qty TINYINT,
                  created DATETIME2(7) DEFAULT SYSDATETIME(),
                  guid UNIQUEIDENTIFIER DEFAULT NEWID()
                )""");
        CollectingSink insert = ok(session, "INSERT INTO [dbo].[orders] (customer, amount, qty) VALUES (N'a', 1.5, 200), (N'b', NULL, 0)");
        assertThat(insert.counts).containsExactly(2L);
        CollectingSink rows = ok(session, "SELECT id, customer, amount, qty, created FROM DBO.Orders ORDER BY id");
        List<Column> cols = rows.last().columns();
        assertThat(cols.get(2).type()).isEqualTo(SqlType.of(SqlType.Kind.MONEY));
        assertThat(cols.get(3).type()).isEqualTo(SqlType.of(SqlType.Kind.TINYINT));
        assertThat(cols.get(4).type()).isEqualTo(SqlType.temporal(SqlType.Kind.DATETIME2, 7));
        assertThat(rows.last().value(0, 2)).isEqualTo(new BigDecimal("1.5000"));
        assertThat(rows.last().value(0, 3)).isEqualTo((short) 200);
        assertThat(rows.last().rows()).hasSize(2);
    }

    @Test
    void batchWithoutSemicolonsAndVariables() {
        CollectingSink sink = ok(session, """
                DECLARE @x INT = 5, @name NVARCHAR(10)
                SET @x = @x + 1
                SELECT @name = N'six'
                IF @x = 6 SELECT @x AS x, @name AS name ELSE SELECT 0
                """);
        assertThat(sink.last().rows().get(0)).containsExactly(6, "six");
        assertThat(sink.last().columns().get(0).name()).isEqualTo("x");
    }

    @Test
    void errorsBySqlServerNumber() {
        ok(session, "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(3) NOT NULL)");
        assertThat(error(session, "SELECT * FROM nosuch").number()).isEqualTo(208);
        assertThat(error(session, "SELECT nosuch FROM t").number()).isEqualTo(207);
        assertThat(error(session, "SELECT x FROM").number()).isIn(102, 156);
        ok(session, "INSERT INTO t VALUES (1, 'a')");
        SqlError dup = error(session, "INSERT INTO t VALUES (1, 'b')");
        assertThat(dup.number()).isEqualTo(2627);
        assertThat(dup.getMessage()).contains("Cannot insert duplicate key in object 'dbo.t'").contains("(1)");
        assertThat(error(session, "INSERT INTO t VALUES (2, NULL)").number()).isEqualTo(515);
        assertThat(error(session, "INSERT INTO t VALUES (2, 'abcd')").number()).isEqualTo(2628);
        assertThat(error(session, "SELECT 1/0").number()).isEqualTo(8134);
        assertThat(error(session, "SELECT CAST('abc' AS INT)").getMessage())
                .isEqualTo("Conversion failed when converting the nvarchar value 'abc' to data type int.");
        assertThat(error(session, "SELECT CAST('abc' AS DECIMAL(10,2))").number()).isEqualTo(8114);
        assertThat(error(session, "SELECT CAST('not a date' AS DATETIME2)").number()).isEqualTo(241);
        assertThat(error(session, "SELECT CAST(99999 AS DECIMAL(3,0))").number()).isEqualTo(8115);
        assertThat(scalar(session, "SELECT TRY_CAST('abc' AS INT)")).isNull();
        assertThat(scalar(session, "SELECT TRY_CAST('42' AS INT)")).isEqualTo(42);
        assertThat(scalar(session, "SELECT TRY_CONVERT(DATETIME2, 'not a date')")).isNull();
        assertThat(scalar(session, "SELECT TRY_CAST('300' AS TINYINT)")).isNull();
        assertThat(scalar(session, "SELECT TRY_CAST('12.5' AS DECIMAL(3,1))")).isEqualTo(new BigDecimal("12.5"));
        assertThat(error(session, "DECLARE @i INT = 3000000000").number()).isEqualTo(8115);
        assertThat(error(session, "DECLARE @b TINYINT = 256").number()).isEqualTo(220);
        assertThat(scalar(session, "DECLARE @i INT = 2.9; SELECT @i")).isEqualTo(2);
        assertThat(error(session, "SELECT * FROM t WHERE").number()).isIn(102, 156);
        assertThat(error(session, "SELECT * FROM t ORDER BY FROM").number()).isEqualTo(156);
        assertThat(error(session, "CREATE TABLE t (a INT)").number()).isEqualTo(2714);
        assertThat(error(session, "DROP TABLE nosuch").number()).isEqualTo(3701);
        assertThat(error(session, "USE nosuchdb").number()).isEqualTo(911);
        assertThat(error(session, "EXEC dbo.nosuch").number()).isEqualTo(2812);
        assertThat(error(session, "SELECT @undeclared").getMessage()).isEqualTo("Must declare the scalar variable \"@undeclared\".");
    }

    @Test
    void aBlockedWriterWaitsForTheLockLikeSqlServer() throws Exception {
        ok(session, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
        ok(session, "INSERT INTO t VALUES (1, 0)");
        ok(session, "BEGIN TRAN UPDATE t SET v = 1 WHERE id = 1");
        try (Session other = engine.openSession("testdb", "sa", "x")) {
            CollectingSink sink = new CollectingSink();
            long before = engine.requestCount();
            Thread writer = new Thread(() -> other.execute("UPDATE t SET v = 2 WHERE id = 1", List.of(), sink));
            writer.start();
            org.awaitility.Awaitility.await().until(() -> engine.requestCount() > before);
            // H2 alone would give up after 2 s; SQL Server (LOCK_TIMEOUT -1) keeps waiting
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(2500))
                    .atMost(java.time.Duration.ofSeconds(5)).until(writer::isAlive);
            ok(session, "COMMIT");
            writer.join(10_000);
            assertThat(sink.errors).isEmpty();
            assertThat(scalar(session, "SELECT v FROM t")).isEqualTo(2);
        }
    }

    @Test
    void transactionsAndTrancount() {
        ok(session, "CREATE TABLE t (id INT)");
        ok(session, "BEGIN TRAN; INSERT INTO t VALUES (1); BEGIN TRANSACTION");
        assertThat(scalar(session, "SELECT @@TRANCOUNT")).isEqualTo(2);
        ok(session, "COMMIT");
        ok(session, "ROLLBACK");
        assertThat(scalar(session, "SELECT @@TRANCOUNT")).isEqualTo(0);
        assertThat(scalar(session, "SELECT COUNT(*) FROM t")).isEqualTo(0);
        ok(session, "set implicit_transactions on ");
        ok(session, "INSERT INTO t VALUES (2)");
        assertThat(scalar(session, "SELECT @@TRANCOUNT")).isEqualTo(1);
        ok(session, "IF @@TRANCOUNT > 0 COMMIT TRAN");
        ok(session, "set implicit_transactions off IF @@TRANCOUNT > 0 COMMIT TRAN ");
        assertThat(scalar(session, "SELECT COUNT(*) FROM t")).isEqualTo(1);
    }
}
