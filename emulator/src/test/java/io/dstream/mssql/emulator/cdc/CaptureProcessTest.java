package io.dstream.mssql.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The capture job's scans, with a recording scan in place of the change table writer. */
class CaptureProcessTest {

    private final List<List<Long>> scans = new CopyOnWriteArrayList<>();

    private CaptureProcess process(Duration latency, int maxtrans) {
        return new CaptureProcess("db", latency, () -> maxtrans,
                batch -> scans.add(batch.stream().map(CommittedTransaction::ordinal).toList()));
    }

    private static void commit(CaptureProcess p, int count) {
        for (int i = 0; i < count; i++) {
            long ordinal = p.nextOrdinal();
            Lsn lsn = Lsn.of(0x21, 0x100 + ordinal, 1);
            p.committed(new CommittedTransaction(ordinal, 1, ordinal, ordinal, lsn, lsn, LocalDateTime.now(),
                    LocalDateTime.now(), System.nanoTime()));
        }
    }

    @Test
    void aBacklogIsCapturedInScansOfAtMostMaxtransTransactionsInCommitOrder() throws Exception {
        try (CaptureProcess p = process(Duration.ZERO, 500)) {
            p.pause();
            commit(p, 1_200);
            p.resume();
            assertThat(p.awaitCaptured(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(scans).allSatisfy(s -> assertThat(s).hasSizeLessThanOrEqualTo(500));
        assertThat(scans.stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1_200).boxed().toList());
    }

    @Test
    void spCdcScanCapturesEverythingCommittedInScansOfMaxtrans() throws Exception {
        try (CaptureProcess p = process(Duration.ofHours(1), 100)) {
            commit(p, 250);
            p.scanNow();
            assertThat(p.awaitCaptured(Duration.ZERO)).isTrue();
        }
        assertThat(scans).extracting(List::size).containsExactly(100, 100, 50);
    }
}
