package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.config.TableName;
import io.dstream.mssql.ingester.db.CaptureInstance;
import io.dstream.mssql.ingester.db.Catalog;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a snapshot sends, answered through the real driver as SQL Server answers it: the key of a table
 * from the catalog (primary key, else a unique index on NOT NULL columns), composite keyset chunks that
 * read every row once in key order, the end key, {@code sys.partitions} row counts, the watermark table
 * (created, CDC-enabled, written, found in its change table) and the checkpoint table's snapshot columns.
 */
class SnapshotSqlIT extends EmulatorIT {

    @Test
    void thePrimaryKeyComesFirstThenAUniqueIndexOnNotNullColumns() throws SQLException {
        exec("CREATE TABLE dbo.sk_pk (a INT NOT NULL, b NVARCHAR(10) NOT NULL, u INT NOT NULL UNIQUE, PRIMARY KEY (a, b))",
                "CREATE TABLE dbo.sk_unique (v INT, n INT NULL, u INT NOT NULL, CONSTRAINT uq_n UNIQUE (n), CONSTRAINT uq_u UNIQUE (u))",
                "CREATE TABLE dbo.sk_none (v INT, n INT NULL UNIQUE)");

        assertThat(key("sk_pk").map(TableKey::columns)).contains(List.of("a", "b"));
        assertThat(key("sk_unique").map(TableKey::columns)).as("the unique index on a nullable column is passed over")
                .contains(List.of("u"));
        assertThat(key("sk_none")).isEmpty();
    }

    @Test
    void compositeKeysetChunksReadEveryRowOnceInKeyOrderUpToTheEndKey() throws SQLException {
        tracked("sk_chunks", "a INT NOT NULL, b NVARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b)");
        List<String> expected = new ArrayList<>();
        for (int a = 1; a <= 7; a++) {
            for (String b : List.of("p", "q", "r")) {
                exec("INSERT INTO dbo.sk_chunks VALUES (" + a + ", N'" + b + "', " + a + ")");
                expected.add(a + b);
            }
        }
        TableName table = new TableName("dbo", "sk_chunks");
        CaptureInstance ci = described(table);
        TableKey key = database.with(c -> TableKey.of(c, table)).orElseThrow();
        TableKey.Value end = database.with(c -> SnapshotReader.lastKey(c, table, ci, key));
        exec("INSERT INTO dbo.sk_chunks VALUES (9, N'z', 9)"); // after the end key: the stream's, not the snapshot's

        List<String> read = new ArrayList<>();
        TableKey.Value after = null;
        SnapshotReader.Chunk chunk;
        do {
            TableKey.Value from = after;
            chunk = database.with(c -> SnapshotReader.read(c, table, ci, key, from, end, 4));
            chunk.rows().forEach(r -> read.add(r.value("a") + "" + r.value("b")));
            after = chunk.lastKey();
        } while (chunk.rows().size() == 4);

        assertThat(read).containsExactlyElementsOf(expected);
        TableKey.Value decoded = database.with(c -> key.decode(TableKey.encode(end), SnapshotReader.columns(c, table, ci, key)));
        assertThat(decoded).as("a saved key decodes to the same value").isEqualTo(end);
    }

    @Test
    void sysPartitionsEstimatesTheRows() throws SQLException {
        exec("CREATE TABLE dbo.sk_count (id INT NOT NULL PRIMARY KEY, v INT)");
        StringBuilder sql = new StringBuilder("INSERT INTO dbo.sk_count VALUES (1, 1)");
        for (int i = 2; i <= 250; i++) {
            sql.append(", (").append(i).append(", 1)");
        }
        exec(sql.toString());

        long estimate = database.with(c -> SnapshotReader.estimatedRows(c, new TableName("dbo", "sk_count")));
        assertThat(estimate).isEqualTo(250);
    }

    @Test
    void aWatermarkIsCapturedAfterTheLowWatermarkAndFoundByItsToken() throws SQLException {
        Watermark watermark = new Watermark(new TableName("dbo", "sk_watermark"), ZoneOffset.UTC);
        database.with(c -> {
            watermark.prepare(c);
            watermark.prepare(c); // a second instance finds it ready
            return null;
        });
        Lsn low = database.with(Catalog::maxLsn).orElse(Lsn.ZERO);
        String first = database.with(c -> watermark.write(c, new TableName("dbo", "orders")));
        String second = database.with(c -> watermark.write(c, new TableName("dbo", "orders")));
        captured();

        Optional<Watermark.Mark> one = database.with(c -> watermark.find(c, first, low));
        Optional<Watermark.Mark> two = database.with(c -> watermark.find(c, second, low));
        assertThat(one).isPresent();
        assertThat(two).isPresent();
        assertThat(two.get().lsn()).isGreaterThan(one.get().lsn()).isGreaterThan(low);
        assertThat(two.get().commitTime()).isNotNull();
        Optional<Watermark.Mark> none = database.with(c -> watermark.find(c, first, two.get().lsn()));
        assertThat(none).as("not after the later one").isEmpty();
    }

    @Test
    void aCheckpointTableOfAnOlderVersionGetsTheSnapshotColumns() throws SQLException {
        // the checkpoint table as the previous version created it
        exec("CREATE TABLE dbo.cp_old (table_name nvarchar(300) NOT NULL PRIMARY KEY, last_lsn binary(10) NULL, "
                + "last_seq binary(10) NULL, updated_at datetime2 NOT NULL, last_command_id int NULL, last_operation int NULL, "
                + "capture_instance nvarchar(128) NULL, upper_bound_lsn binary(10) NULL)");
        CheckpointStore store = new CheckpointStore(new TableName("dbo", "cp_old"));
        boolean created = database.with(store::createIfMissing);
        assertThat(created).isFalse();

        Position p = Position.afterCommit(Lsn.parse("00000021:00000100:0003"));
        SnapshotProgress progress = SnapshotProgress.NONE.restart(java.time.Instant.parse("2026-12-04T10:00:00Z")).next("[7]", 7);
        database.with(c -> store.save(c, new TableName("dbo", "t"), p, "dbo_t", null, progress));
        database.with(c -> store.save(c, new TableName("dbo", "t"), p, "dbo_t", null, progress.done()));

        Checkpoint loaded = database.with(c -> store.load(c, new TableName("dbo", "t"))).orElseThrow();
        assertThat(loaded.snapshot()).as("at the same position, more chunks is newer").isEqualTo(progress.done());
    }

    private static Optional<TableKey> key(String table) throws SQLException {
        return database.with(c -> TableKey.of(c, new TableName("dbo", table)));
    }

    private static CaptureInstance described(TableName table) throws SQLException {
        CaptureInstance ci = database.with(Catalog::captureInstances).get(Catalog.key(table)).get(0);
        return ci.withColumns(database.with(c -> Catalog.capturedColumns(c, ci.objectId())));
    }
}
