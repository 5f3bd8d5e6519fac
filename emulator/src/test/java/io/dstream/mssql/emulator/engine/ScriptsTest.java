package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptsTest {

    @Test
    void goOnItsOwnLineSeparatesBatchesAndMayRepeatThem() {
        List<Scripts.Batch> batches = Scripts.split("""
                CREATE TABLE t (a INT)
                go
                /* a comment that mentions
                GO
                inside it */
                INSERT INTO t VALUES (1)
                GO 3
                SELECT 'GO' AS go_column
                """);
        assertThat(batches).extracting(Scripts.Batch::firstLine).containsExactly(1, 3, 8);
        assertThat(batches).extracting(Scripts.Batch::repeat).containsExactly(1, 3, 1);
        assertThat(batches.get(1).sql()).contains("inside it */").contains("INSERT");
    }

    @Test
    void runStopsAtTheFirstErrorWithItsLine() {
        try (H2Engine engine = new H2Engine(); Session session = engine.openSession("testdb", "sa", "x")) {
            Scripts.run(session, "CREATE TABLE t (a INT)\nGO\nINSERT INTO t VALUES (1)\nGO 2\n", "ok.sql");
            CollectingSink sink = new CollectingSink();
            session.execute("SELECT COUNT(*) FROM t", List.of(), sink);
            assertThat(sink.scalar()).isEqualTo(2);
            assertThatThrownBy(() -> Scripts.run(session, "SELECT 1\nGO\n\nSELECT 1/0\n", "bad.sql"))
                    .isInstanceOfSatisfying(Scripts.ScriptError.class, e -> {
                        assertThat(e.line()).isEqualTo(4);
                        assertThat(e.error().number()).isEqualTo(8134);
                        assertThat(e.getMessage()).isEqualTo("bad.sql:4: error 8134: Divide by zero error encountered.");
                    });
        }
    }
}
