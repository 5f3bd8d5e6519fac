package io.dstream.mssql.ingester.cdc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The changes of one change query. Update pairs are folded (op 3 + op 4 → one update) and never split:
 * when a full page ends with an update's before image, that row is left for the next page, which
 * starts strictly after the last row kept.
 *
 * @param changes the changes in stream order
 * @param full    the query returned as many rows as it was allowed: more may follow at once
 * @param last    the position of the last row consumed, or null when none was
 */
public record Page(List<Change> changes, boolean full, Position last) {

    private static final Logger LOG = LoggerFactory.getLogger(Page.class);

    public Page {
        changes = List.copyOf(changes);
    }

    /**
     * Builds a page from the rows of one query, in query order.
     *
     * @param rows  the rows returned
     * @param limit the {@code TOP} of the query
     * @param label the table, for logs
     */
    public static Page of(List<ChangeRow> rows, int limit, String label) {
        boolean full = rows.size() >= limit;
        List<ChangeRow> kept = rows;
        if (full && !rows.isEmpty() && rows.get(rows.size() - 1).operation() == Operation.UPDATE_BEFORE) {
            // its after image is the first row of the next page: read the pair there, together
            kept = rows.subList(0, rows.size() - 1);
        }
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            ChangeRow row = kept.get(i);
            switch (row.operation()) {
                case INSERT -> changes.add(simple(ChangeType.INSERT, row));
                case DELETE -> changes.add(simple(ChangeType.DELETE, row));
                case UPDATE_AFTER -> changes.add(update(null, row));
                case UPDATE_BEFORE -> {
                    ChangeRow next = i + 1 < kept.size() ? kept.get(i + 1) : null;
                    if (next != null && next.operation() == Operation.UPDATE_AFTER && samePair(row, next)) {
                        changes.add(update(row, next));
                        i++;
                    } else {
                        LOG.warn("{}: skipping an update before image at {} without its after image", label, row.position());
                    }
                }
            }
        }
        Position last = kept.isEmpty() ? null : kept.get(kept.size() - 1).position();
        return new Page(changes, full, last);
    }

    private static boolean samePair(ChangeRow before, ChangeRow after) {
        Position b = before.position();
        Position a = after.position();
        return b.commitLsn().equals(a.commitLsn()) && b.commandId() == a.commandId() && b.seqval().equals(a.seqval());
    }

    private static Change simple(ChangeType type, ChangeRow row) {
        return new Change(type, row.position(), row.commitTime(), row.image(), null, List.of(), List.of());
    }

    /**
     * SQL Server does not always record a large value an update left untouched: {@code text}, {@code ntext}
     * and {@code image} are NULL in the before image, {@code (n)varchar(max)} / {@code varbinary(max)}
     * in the before image unless changed. Such a NULL with the mask bit clear means "unknown", so the
     * column is left out of that image (not reported as NULL) and listed as unavailable.
     */
    private static Change update(ChangeRow before, ChangeRow after) {
        Columns columns = after.image().columns();
        List<String> changed = new ArrayList<>();
        BitSet unknownAfter = new BitSet();
        BitSet unknownBefore = new BitSet();
        List<String> unavailable = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (after.mask().isSet(columns.ordinal(i))) {
                changed.add(columns.name(i));
                continue;
            }
            boolean afterUnknown = unrecorded(after.image(), i);
            boolean beforeUnknown = before != null && unrecorded(before.image(), i);
            unknownAfter.set(i, afterUnknown);
            unknownBefore.set(i, beforeUnknown);
            if (afterUnknown || beforeUnknown) {
                unavailable.add(columns.name(i));
            }
        }
        RowImage data = after.image().without(unknownAfter);
        RowImage beforeImage = before == null ? RowImage.EMPTY : before.image().without(unknownBefore);
        return new Change(ChangeType.UPDATE, after.position(), after.commitTime(), data, beforeImage, changed, unavailable);
    }

    /** NULL in a large-value column: with its mask bit clear, CDC may simply not have recorded it. */
    private static boolean unrecorded(RowImage image, int index) {
        return image.value(index) == null && image.columns().type(index).isLargeValue();
    }
}
