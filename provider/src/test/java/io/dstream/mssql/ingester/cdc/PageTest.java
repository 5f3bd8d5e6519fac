package io.dstream.mssql.ingester.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dstream.mssql.ingester.db.CapturedColumn;
import io.dstream.mssql.ingester.db.Lsn;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PageTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<CapturedColumn> COLUMNS = List.of(
            new CapturedColumn("id", 1), new CapturedColumn("name", 2), new CapturedColumn("notes", 3));
    private static final Instant COMMIT = Instant.parse("2026-11-24T12:00:00.123Z");

    @Test
    void insertAndDeleteAreOneChangeEach() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.INSERT, 0x07, 1, "Ann", "n"),
                row(2, 1, 1, Operation.DELETE, 0x07, 1, "Ann", "n"));

        Page page = Page.of(rows, 10, COLUMNS, "dbo.t");

        assertThat(page.changes()).extracting(Change::type).containsExactly(ChangeType.INSERT, ChangeType.DELETE);
        assertThat(page.changes().get(1).data()).containsEntry("name", NODES.textNode("Ann"));
        assertThat(page.changes().get(0).before()).isNull();
        assertThat(page.full()).isFalse();
        assertThat(page.last()).isEqualTo(rows.get(1).position());
    }

    @Test
    void anUpdatesTwoRowsFoldIntoOneChangeWithBeforeAndChangedColumns() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", "n"),
                row(1, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", "n"));

        Page page = Page.of(rows, 10, COLUMNS, "dbo.t");

        assertThat(page.changes()).hasSize(1);
        Change update = page.changes().get(0);
        assertThat(update.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(update.data()).containsEntry("name", NODES.textNode("Anna"));
        assertThat(update.before()).containsEntry("name", NODES.textNode("Ann"));
        assertThat(update.changedColumns()).containsExactly("name");
        assertThat(update.position()).isEqualTo(rows.get(1).position());
        assertThat(update.commitTime()).isEqualTo(COMMIT);
    }

    @Test
    void changedColumnsComeInOrdinalOrder() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.UPDATE_BEFORE, 0x05, 1, "Ann", "a"),
                row(1, 1, 1, Operation.UPDATE_AFTER, 0x05, 2, "Ann", "b"));

        assertThat(Page.of(rows, 10, COLUMNS, "dbo.t").changes().get(0).changedColumns()).containsExactly("id", "notes");
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
            Page page = Page.of(result, limit, COLUMNS, "dbo.t");
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
        assertThat(all.get(1).before()).containsEntry("name", NODES.textNode("Ann"));
        assertThat(all.get(1).data()).containsEntry("name", NODES.textNode("Anna"));
        assertThat(queries).isEqualTo(3);
    }

    @Test
    void theFirstPageOfASplitKeepsOnlyWhatPrecedesThePair() {
        List<ChangeRow> rows = List.of(
                row(1, 1, 1, Operation.INSERT, 0x07, 1, "Ann", "n"),
                row(2, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", "n"));

        Page page = Page.of(rows, 2, COLUMNS, "dbo.t");

        assertThat(page.full()).isTrue();
        assertThat(page.changes()).extracting(Change::type).containsExactly(ChangeType.INSERT);
        assertThat(page.last()).isEqualTo(rows.get(0).position());
    }

    @Test
    void anUntouchedLargeValueIsUnavailableNotNull() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", null, Set.of("notes"));
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", null, Set.of("notes"));

        Change update = Page.of(List.of(before, after), 10, COLUMNS, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).containsExactly("notes");
        assertThat(update.data()).containsOnlyKeys("id", "name");
        assertThat(update.before()).containsOnlyKeys("id", "name");
    }

    /** SQL Server's usual case for (n)varchar(max): NULL in the before image only; the after image has the value. */
    @Test
    void anUntouchedLargeValueMissingOnlyBeforeStaysInData() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x02, 1, "Ann", null, Set.of("notes"));
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x02, 1, "Anna", "long");

        Change update = Page.of(List.of(before, after), 10, COLUMNS, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).containsExactly("notes");
        assertThat(update.data()).containsEntry("notes", NODES.textNode("long"));
        assertThat(update.before()).containsOnlyKeys("id", "name");
    }

    @Test
    void aLargeValueSetToNullIsNull() {
        ChangeRow before = row(1, 1, 1, Operation.UPDATE_BEFORE, 0x04, 1, "Ann", "old");
        ChangeRow after = row(1, 1, 1, Operation.UPDATE_AFTER, 0x04, 1, "Ann", null, Set.of("notes"));

        Change update = Page.of(List.of(before, after), 10, COLUMNS, "dbo.t").changes().get(0);

        assertThat(update.unavailableColumns()).isEmpty();
        assertThat(update.data().get("notes").isNull()).isTrue();
        assertThat(update.changedColumns()).containsExactly("notes");
    }

    @Test
    void deferredUpdateDeleteAndInsertKeepTheirCommandOrder() {
        // SQL Server writes a key-changing update as delete + insert; __$command_id orders them
        List<ChangeRow> rows = List.of(
                row(1, 1, 5, Operation.DELETE, 0x07, 1, "Ann", "n"),
                row(1, 2, 5, Operation.INSERT, 0x07, 2, "Ann", "n"));

        Page page = Page.of(rows, 10, COLUMNS, "dbo.t");

        assertThat(page.changes()).extracting(Change::type).containsExactly(ChangeType.DELETE, ChangeType.INSERT);
        assertThat(page.changes()).extracting(c -> c.position().commandId()).containsExactly(1, 2);
    }

    private static ChangeRow row(int commit, int command, int seq, Operation op, int mask, int id, String name, String notes) {
        return row(commit, command, seq, op, mask, id, name, notes, Set.of());
    }

    private static ChangeRow row(int commit, int command, int seq, Operation op, int mask, int id, String name, String notes,
                                 Set<String> nullLarge) {
        Lsn commitLsn = Lsn.parse(String.format("00000020:%08x:0001", commit));
        Lsn seqval = Lsn.parse(String.format("00000020:%08x:0000", seq));
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("id", NODES.numberNode(id));
        values.put("name", NODES.textNode(name));
        values.put("notes", notes == null ? NODES.nullNode() : NODES.textNode(notes));
        return new ChangeRow(new Position(commitLsn, command, seqval, op), UpdateMask.of(new byte[] {(byte) mask}),
                COMMIT, values, nullLarge);
    }
}
