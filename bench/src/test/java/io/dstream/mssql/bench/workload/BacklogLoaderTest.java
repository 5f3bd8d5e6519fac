package io.dstream.mssql.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogLoaderTest {

    @Test
    void mixSplitsSixtyThirtyTenAndAddsUpExactly() {
        BacklogLoader.Mix mix = BacklogLoader.Mix.of(12_501);
        assertThat(mix.updates()).isEqualTo(3_750);
        assertThat(mix.deletes()).isEqualTo(1_250);
        assertThat(mix.inserts()).isEqualTo(7_501);
        assertThat(mix.total()).isEqualTo(12_501);
        assertThat(mix.changeRows()).isEqualTo(12_501 + 3_750);
    }

    @Test
    void insertStatementHasOneTupleOfTenValuesPerRow() {
        String sql = BacklogLoader.insertSql("bench_1", 1, 7, 9);
        assertThat(sql).startsWith("INSERT INTO dbo.bench_1 (id, name, qty, price, ratio, created, active, code, note, total) VALUES (7, N'customer 7', 7, 7.07, NULL, '2026-11-08 07:07:00.007', 1, '00000000-0000-0001-0000-000000000007', 'note for row 7', 7000021)");
        assertThat(sql.split("\\),\\(")).hasSize(3);
    }
}
