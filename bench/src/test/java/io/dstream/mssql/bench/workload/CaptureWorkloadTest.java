package io.dstream.mssql.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptureWorkloadTest {

    @Test
    void everyTransactionSpansTwoTablesAndEveryTableIsWritten() {
        Set<Integer> written = new HashSet<>();
        for (long tx = 0; tx < 100; tx++) {
            int[] tables = CaptureWorkload.tablesOf(tx, 100);
            assertThat(tables[0]).isNotEqualTo(tables[1]);
            written.add(tables[0]);
            written.add(tables[1]);
        }
        assertThat(written).hasSize(100);
    }

    @Test
    void theRowRateSetsTheTransactionCount() {
        assertThat(CaptureWorkload.transactions(10_000, Duration.ofSeconds(10)))
                .isEqualTo(10_000 * 10 / CaptureWorkload.ROWS_PER_TRANSACTION);
    }
}
