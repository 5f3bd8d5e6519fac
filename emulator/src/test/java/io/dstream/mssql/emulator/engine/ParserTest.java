package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How batches split into statements: T-SQL needs no semicolons. */
class ParserTest {

    /** Each top-level statement as "Kind: text". */
    private static List<String> split(String sql) {
        return Parser.parse(sql).stream().map(ParserTest::describe).toList();
    }

    private static String describe(Stmt s) {
        if (s instanceof Stmt.Sql sql) {
            return "Sql: " + sql.tokens().stream().map(Token::text).collect(Collectors.joining(" "));
        }
        return s.getClass().getSimpleName();
    }

    @Test
    void statementsEndAtTheNextStatementKeyword() {
        assertThat(split("SELECT 1 SELECT 2 INSERT INTO t VALUES (1) UPDATE t SET a = 1 DELETE FROM t"))
                .containsExactly("Sql: SELECT 1", "Sql: SELECT 2", "Sql: INSERT INTO t VALUES ( 1 )",
                        "Sql: UPDATE t SET a = 1", "Sql: DELETE FROM t");
    }

    @Test
    void keywordsThatContinueAStatement() {
        assertThat(split("SELECT a FROM t UNION ALL SELECT a FROM u")).hasSize(1);
        assertThat(split("INSERT INTO t (a) SELECT a FROM u WHERE a IN (SELECT b FROM v)")).hasSize(1);
        assertThat(split("UPDATE t SET a = CASE WHEN b = 1 THEN 2 ELSE 3 END WHERE c = 1 SELECT 1")).hasSize(2);
        assertThat(split("MERGE INTO t USING (VALUES (1)) AS s (a) ON t.a = s.a "
                + "WHEN MATCHED THEN UPDATE SET a = s.a WHEN NOT MATCHED THEN INSERT (a) VALUES (s.a); SELECT 1")).hasSize(2);
        assertThat(split("WITH c AS (SELECT 1 AS x) SELECT x FROM c")).hasSize(1);
        assertThat(split("SELECT * FROM t WITH (NOLOCK) WHERE a = 1")).hasSize(1);
        assertThat(split("SELECT TOP 5 WITH TIES a FROM t ORDER BY a")).hasSize(1);
        assertThat(split("DROP TABLE IF EXISTS dbo.t")).containsExactly("Sql: DROP TABLE IF EXISTS dbo . t");
        assertThat(split("ALTER TABLE t DROP COLUMN a SELECT 1")).hasSize(2);
        assertThat(split("CREATE VIEW v AS SELECT a FROM t")).hasSize(1);
    }

    @Test
    void controlFlowNestsStatements() {
        List<Stmt> batch = Parser.parse("""
                IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = 't')
                BEGIN
                    CREATE TABLE t (a INT)
                    INSERT INTO t VALUES (1)
                END
                ELSE IF 1 = 1
                    PRINT 'x'
                ELSE
                    PRINT 'y'
                SELECT 1
                """);
        assertThat(batch).hasSize(2);
        Stmt.If first = (Stmt.If) batch.get(0);
        assertThat(((Stmt.Block) first.then()).body()).hasSize(2);
        assertThat(first.otherwise()).isInstanceOf(Stmt.If.class);
        assertThat(((Stmt.If) first.otherwise()).otherwise()).isInstanceOf(Stmt.Print.class);
    }

    @Test
    void theDriverTransactionBatches() {
        assertThat(split("set implicit_transactions off IF @@TRANCOUNT > 0 COMMIT TRAN "))
                .containsExactly("SetOption", "If");
        assertThat(split("IF @@TRANCOUNT > 0 ROLLBACK TRAN")).containsExactly("If");
        assertThat(split("BEGIN TRANSACTION; SAVE TRAN sp; ROLLBACK TRAN sp; COMMIT"))
                .containsExactly("BeginTran", "SaveTran", "RollbackTran", "CommitTran");
    }

    @Test
    void variablesAndProcedures() {
        assertThat(split("DECLARE @a INT = 1, @b NVARCHAR(10) SET @a += 2 SELECT @b = N'x' EXEC sp_x @a, @p = @b OUTPUT"))
                .containsExactly("Declare", "SetVariable", "Sql: SELECT @b = N'x'", "Exec");
        Stmt.Declare declare = (Stmt.Declare) Parser.parse("DECLARE @a INT = 1, @b NVARCHAR(10)").get(0);
        assertThat(declare.variables()).extracting(Stmt.Declare.Variable::name).containsExactly("@a", "@b");
        assertThat(declare.variables().get(1).type()).isEqualTo(SqlType.sized(SqlType.Kind.NVARCHAR, 10));
    }

    @Test
    void syntaxErrorsNameTheToken() {
        assertThatThrownBy(() -> Parser.parse("ELSE SELECT 1"))
                .isInstanceOfSatisfying(Parser.ParseError.class, e -> {
                    assertThat(e.error.number()).isEqualTo(156);
                    assertThat(e.error.getMessage()).isEqualTo("Incorrect syntax near the keyword 'ELSE'.");
                });
        // as in SQL Server, "SELECT 1 GO" would alias the column; after a semicolon GO is a syntax error
        assertThatThrownBy(() -> Parser.parse("SELECT 1;\nGO"))
                .isInstanceOfSatisfying(Parser.ParseError.class, e -> {
                    assertThat(e.error.getMessage()).isEqualTo("Incorrect syntax near 'GO'.");
                    assertThat(e.line).isEqualTo(2);
                });
    }
}
