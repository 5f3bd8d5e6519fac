package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PageTest {

    /** {@code notes} is a large-value column: CDC may leave it NULL in an update's images when it did not change. */
    private static final Columns COLUMNS = new Columns(
            List.of(new CapturedColumn("id", 1), new CapturedColumn("name", 2), new CapturedColumn("notes", 3)),
            List.of(new ColumnType("int", 10, 0), new ColumnType("nvarchar", 20, 0), new ColumnType("nvarchar", 1073741823, 0)));
    private static final Instant COMMIT = Instant.parse("2026-11-24T12:00:00.123Z");

    @Test
    void insertAndDeleteAreOneChangeEach() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.INSERT, 0x07, 1, "Ann", "n"),
                row(2, 1, 1, Operation.DELETE, 0x07, 1, "Ann", "n"));

        Page page = Page.of(rows, 10, "dbo.t");

        assertThat(page.changes()).extracting(Change::type).containsExactly(ChangeType.INSERT, ChangeType.DELETE);
        assertThat(page.changes().get(1).data().value("name")).isEqualTo("Ann");
        assertThat(page.changes().get(0).before()).isNull();
        assertThat(page.full()).isFalse();
        assertThat(page.last()).isEqualTo(rows.get(1).position());
    }

    @Test
    void anUpdatesTwoRowsFoldIntoOneChangeWithBeforeAndChangedColumns() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", "n"),
                row(1, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", "n"));

        Page page = Page.of(rows, 10, "dbo.t");

        assertThat(page.changes()).hasSize(1);
        Change update = page.changes().get(0);
        assertThat(update.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(update.data().value("name")).isEqualTo("Anna");
        assertThat(update.before().value("name")).isEqualTo("Ann");
        assertThat(update.changedColumns()).containsExactly("name");
        assertThat(update.position()).isEqualTo(rows.get(1).position());
        assertThat(update.commitTime()).isEqualTo(COMMIT);
    }

    @Test
    void changedColumnsComeInOrdinalOrder() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.UPDATE_BEFORE, 0x05, 1, "Ann", "a"),
                row(1, 1, 1, Operation.UPDATE_AFTER, 0x05, 2, "Ann", "b"));

        assertThat(Page.of(rows, 10, "dbo.t").changes().get(0).changedColumns()).containsExactly("id", "notes");
    }

    /** A full page ending in an update's before image leaves the pair to the next page, which reads it whole. */
    @Test
    void anUpdateIsNeverSplitAcrossPages() {
        List<ChangeRow> table = List.of(
                row(1, 1, 1, Operation.INSERT, 0x07, 1, "Ann", "n"),
                row(2, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", "n"),
                row(2, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", "n"),
                row(3, 1, 1, Operation.DELETE, 0x07, 1, "Anna", "n"));
        int limit = 2;

        List<Change> all = new ArrayList<>();
        Position after = Position.before(table.get(0).position().commitLsn());
        int queries = 0;
        while (true) {
            Position from = after;
            List<ChangeRow> result = table.stream().filter(r -> r.position().compareTo(from) > 0).limit(limit).toList();
            Page page = Page.of(result, limit, "dbo.t");
            queries++;
            all.addAll(page.changes());
            if (page.last() != null) {
                after = page.last();
            }
            if (!page.full()) {
                break;
            }
        }

        assertThat(all).extracting(Change::type).containsExactly(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.DELETE);
        assertThat(all.get(1).before().value("name")).isEqualTo("Ann");
        assertThat(all.get(1).data().value("name")).isEqualTo("Anna");
        assertThat(queries).isEqualTo(3);
    }

    @Test
    void theFirstPageOfASplitKeepsOnlyWhatPrecedesThePair() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.INSERT, 0x07, 1, "Ann", "n"),
                row(2, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", "n"));

        Page page = Page.of(rows, 2, "dbo.t");

        assertThat(page.full()).isTrue();
        assertThat(page.changes()).extracting(Change::type).containsExactly(ChangeType.INSERT);
        assertThat(page.last()).isEqualTo(rows.get(0).position());
    }

    @Test
    void anUntouchedLargeValueIsUnavailableNotNull() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", null);
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", null);

        Change update = Page.of(List.of(before, after), 10, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).containsExactly("notes");
        assertThat(update.data().presentColumns()).containsExactly("id", "name");
        assertThat(update.before().presentColumns()).containsExactly("id", "name");
    }

    /** SQL Server's usual case for (n)varchar(max): NULL in the before image only; the after image has the value. */
    @Test
    void anUntouchedLargeValueMissingOnlyBeforeStaysInData() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", null);
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", "long");

        Change update = Page.of(List.of(before, after), 10, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).containsExactly("notes");
        assertThat(update.data().value("notes")).isEqualTo("long");
        assertThat(update.before().presentColumns()).containsExactly("id", "name");
    }

    @Test
    void aLargeValueSetToNullIsNull() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x04, 1, "Ann", "old");
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x04, 1, "Ann", null);

        Change update = Page.of(List.of(before, after), 10, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).isEmpty();
        assertThat(update.data().presentColumns()).contains("notes");
        assertThat(update.data().value("notes")).isNull();
        assertThat(update.changedColumns()).containsExactly("notes");
    }

    /** Only a large-value column can be unrecorded: any other NULL is a value. */
    @Test
    void aNullInAColumnThatIsNotLargeStaysNull() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x04, 1, null, "old");
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x04, 1, null, "new");

        Change update = Page.of(List.of(before, after), 10, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).isEmpty();
        assertThat(update.data().presentColumns()).containsExactly("id", "name", "notes");
        assertThat(update.data().value("name")).isNull();
        assertThat(update.before().value("name")).isNull();
    }

    @Test
    void deferredUpdateDeleteAndInsertKeepTheirCommandOrder() {
        // SQL Server writes a key-changing update as delete + insert; __$command_id orders them
        List<ChangeRow> rows = List.of(
                row(1, 1, 5, Operation.DELETE, 0x07, 1, "Ann", "n"),
                row(1, 2, 5, Operation.INSERT, 0x07, 2, "Ann", "n"));

        Page page = Page.of(rows, 10, "dbo.t");

        assertThat(page.changes()).extracting(Change::type).containsExactly(ChangeType.DELETE, ChangeType.INSERT);
        assertThat(page.changes()).extracting(c -> c.position().commandId()).containsExactly(1, 2);
    }

    private static ChangeRow row(int commit, int command, int seq, Operation op, int mask, int id, String name, String notes) {
        Lsn commitLsn = Lsn.parse(String.format("00000020:%08x:0001", commit));
        Lsn seqval = Lsn.parse(String.format("00000020:%08x:0000", seq));
        return new ChangeRow(new Position(commitLsn, command, seqval, op), UpdateMask.of(new byte[] {(byte) mask}),
                COMMIT, RowImage.of(COLUMNS, (long) id, name, notes));
    }
}
