package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunk query's keyset predicates: strictly after the last key, at or before the end key, in tuple order. */
class SnapshotReaderTest {

    private static final CaptureInstance CI = new CaptureInstance("dbo_t", new TableName("dbo", "t"), 1, Lsn.ZERO,
            LocalDateTime.of(2026, 1, 1, 0, 0), List.of(new CapturedColumn("a", 1), new CapturedColumn("b", 2), new CapturedColumn("v", 3)));

    @Test
    void aSingleColumnKeyIsARangeBetweenTheLastAndTheEndKey() {
        assertThat(SnapshotReader.keysetPredicate(List.of("id"))).isEqualTo("[id] >= ? AND ([id] > ?)");
        assertThat(SnapshotReader.upToPredicate(List.of("id"))).isEqualTo("[id] <= ? AND ([id] <= ?)");
    }

    @Test
    void aCompositeKeyComparesAsATupleWithASeekableLeadingColumn() {
        assertThat(SnapshotReader.keysetPredicate(List.of("a", "b", "c")))
                .isEqualTo("[a] >= ? AND ([a] > ? OR ([a] = ? AND ([b] > ? OR ([b] = ? AND ([c] > ?)))))");
        assertThat(SnapshotReader.upToPredicate(List.of("a", "b")))
                .isEqualTo("[a] <= ? AND ([a] < ? OR ([a] = ? AND ([b] <= ?)))");
    }

    @Test
    void theFirstChunkHasOnlyTheEndBoundAndSelectsTheCapturedColumnsInKeyOrder() {
        TableKey key = new TableKey("PK_t", List.of("a", "b"));
        assertThat(SnapshotReader.chunkSql(new TableName("dbo", "t"), CI, key, true))
                .isEqualTo("SELECT TOP (?) [a], [b], [v] FROM [dbo].[t] WHERE [a] <= ? AND ([a] < ? OR ([a] = ? AND ([b] <= ?))) "
                        + "ORDER BY [a], [b]");
        assertThat(SnapshotReader.chunkSql(new TableName("dbo", "t"), CI, key, false))
                .startsWith("SELECT TOP (?) [a], [b], [v] FROM [dbo].[t] WHERE [a] >= ? AND ([a] > ? OR ([a] = ? AND ([b] > ?))) AND [a] <= ?");
    }
}
