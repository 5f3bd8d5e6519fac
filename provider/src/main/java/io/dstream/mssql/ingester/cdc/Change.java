package io.dstream.mssql.ingester.cdc;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change of one table, ready to be written.
 *
 * @param type               insert, update (op 3 + op 4 folded) or delete
 * @param position           the position of its last change-table row (an update's op 4)
 * @param commitTime         {@code tran_end_time} of its commit LSN in UTC; null if the mapping row is gone
 * @param data               the row after the change (for a delete: before it)
 * @param before             an update's before image; null for insert and delete
 * @param changedColumns     an update's columns whose mask bit is set, in ordinal order; empty otherwise
 * @param unavailableColumns large-value columns an update left untouched, whose value CDC did not record
 */
public record Change(ChangeType type, Position position, Instant commitTime, RowImage data,
                     RowImage before, List<String> changedColumns, List<String> unavailableColumns) {

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(data, "data");
        changedColumns = List.copyOf(changedColumns);
        unavailableColumns = List.copyOf(unavailableColumns);
    }
}
