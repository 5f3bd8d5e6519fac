package io.dstream.mssql.ingester.cdc;

import io.dstream.mssql.ingester.db.CapturedColumn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * @param rows    the rows returned
     * @param limit   the {@code TOP} of the query
     * @param columns the capture instance's columns, in ordinal order
     * @param label   the table, for logs
     */
    public static Page of(List<ChangeRow> rows, int limit, List<CapturedColumn> columns, String label) {
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
                case UPDATE_AFTER -> changes.add(update(null, row, columns));
                case UPDATE_BEFORE -> {
                    ChangeRow next = i + 1 < kept.size() ? kept.get(i + 1) : null;
                    if (next != null && next.operation() == Operation.UPDATE_AFTER && samePair(row, next)) {
                        changes.add(update(row, next, columns));
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
        return new Change(type, row.position(), row.commitTime(), row.values(), null, List.of(), List.of());
    }

    /**
     * SQL Server does not always record a large value an update left untouched: {@code text}, {@code ntext}
     * and {@code image} are NULL in the before image, {@code (n)varchar(max)} / {@code varbinary(max)}
     * in the before image unless changed. Such a NULL with the mask bit clear means "unknown", so the
     * column is left out of that image (not reported as NULL) and listed as unavailable.
     */
    private static Change update(ChangeRow before, ChangeRow after, List<CapturedColumn> columns) {
        List<String> changed = new ArrayList<>();
        List<String> unknownAfter = new ArrayList<>();
        List<String> unknownBefore = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (CapturedColumn column : columns) {
            String name = column.name();
            if (after.mask().isSet(column.ordinal())) {
                changed.add(name);
                continue;
            }
            boolean afterUnknown = after.nullLargeValues().contains(name);
            boolean beforeUnknown = before != null && before.nullLargeValues().contains(name);
            if (afterUnknown) {
                unknownAfter.add(name);
            }
            if (beforeUnknown) {
                unknownBefore.add(name);
            }
            if (afterUnknown || beforeUnknown) {
                unavailable.add(name);
            }
        }
        Map<String, JsonNode> data = without(after.values(), unknownAfter);
        Map<String, JsonNode> beforeImage = before == null ? Map.of() : without(before.values(), unknownBefore);
        return new Change(ChangeType.UPDATE, after.position(), after.commitTime(), data, beforeImage, changed, unavailable);
    }

    private static Map<String, JsonNode> without(Map<String, JsonNode> values, List<String> names) {
        if (names.isEmpty()) {
            return values;
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>(values);
        names.forEach(copy::remove);
        return copy;
    }
}
