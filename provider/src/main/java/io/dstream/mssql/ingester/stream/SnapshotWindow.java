package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.cdc.ChangeType;
import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.cdc.RowImage;
import io.dstream.mssql.ingester.cdc.TableKey;
import io.dstream.mssql.ingester.cdc.Watermark;
import io.dstream.mssql.ingester.db.Lsn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One snapshot chunk between its watermarks, as in DBLog (Andreas and Kumar, 2020). Why the rows it
 * keeps are the table's true state at the high watermark:
 * <ul>
 * <li>{@code low} is a commit LSN the stream had read up to (every change after it is still to be
 * streamed, so this window sees them all) and it was read before the chunk's SELECT: any commit after
 * the SELECT started has a higher LSN, since LSNs grow with the log.</li>
 * <li>{@code high} is the commit LSN of the watermark written after the SELECT returned: every commit the
 * SELECT could have seen has a lower LSN.</li>
 * <li>A row whose key no change in {@code (low, high]} touches had the same value at every point from
 * {@code low} to {@code high}, the SELECT's read included: written at {@code high} (after the stream's
 * changes up to it, before the later ones) it is exactly the row's state there.</li>
 * <li>A row whose key a change in the window touches (an update, a delete, a key update's old or new
 * key) is dropped: that change carries the row's later image (or its deletion), and the stream writes
 * it in order. A row inserted in the window and missed by the SELECT comes by the stream the same way.</li>
 * </ul>
 * Keys are compared as read (same column types, same fetch): two keys are equal only when they are the
 * same stored values, so a row is never dropped for another row's change.
 */
final class SnapshotWindow {

    private final TableKey key;
    private final Lsn low;
    private final List<RowImage> rows;
    private final Set<TableKey.Value> touched = new HashSet<>();
    private Watermark.Mark high;

    SnapshotWindow(TableKey key, Lsn low, List<RowImage> rows) {
        this.key = key;
        this.low = low;
        this.rows = List.copyOf(rows);
    }

    Lsn low() {
        return low;
    }

    /** The high watermark once captured; null before. */
    Watermark.Mark high() {
        return high;
    }

    void high(Watermark.Mark mark) {
        this.high = mark;
    }

    int size() {
        return rows.size();
    }

    /** Notes the keys of a change the stream writes; only those inside the window count. */
    void observe(Change change) {
        Lsn lsn = change.position().commitLsn();
        if (lsn.compareTo(low) <= 0 || (high != null && lsn.compareTo(high.lsn()) > 0)) {
            return;
        }
        add(change.data());
        if (change.before() != null) {
            add(change.before());
        }
    }

    private void add(RowImage image) {
        TableKey.Value k = key.valueOf(image);
        if (k != null) {
            touched.add(k);
        }
    }

    /** True once the stream has read everything up to the high watermark: the chunk is written now. */
    boolean due(Position streamPosition) {
        return high != null && streamPosition.compareTo(Position.afterCommit(high.lsn())) >= 0;
    }

    /** The chunk's rows no change in the window touched, as snapshot changes at the high watermark. */
    List<Change> survivors() {
        if (high == null) {
            throw new IllegalStateException("the high watermark is not captured yet");
        }
        Position at = Position.afterCommit(high.lsn());
        List<Change> kept = new ArrayList<>(rows.size());
        for (RowImage row : rows) {
            if (!touched.contains(key.valueOf(row))) {
                kept.add(new Change(ChangeType.SNAPSHOT, at, high.commitTime(), row, null, List.of(), List.of()));
            }
        }
        return kept;
    }
}
