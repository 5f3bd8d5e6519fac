package io.dstream.mssql.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Helpers shared by the engine tests: run T-SQL and expect success or a SQL Server error. */
abstract class EngineTestSupport {

    static CollectingSink ok(Session s, String sql) {
        CollectingSink sink = new CollectingSink();
        s.execute(sql, List.of(), sink);
        assertThat(sink.errors).as("errors of %s", sql).isEmpty();
        return sink;
    }

    static SqlError error(Session s, String sql) {
        CollectingSink sink = new CollectingSink();
        s.execute(sql, List.of(), sink);
        assertThat(sink.errors).as("errors of %s", sql).hasSize(1);
        return sink.errors.get(0);
    }

    static Object scalar(Session s, String sql) {
        return ok(s, sql).scalar();
    }
}
