package io.dstream.mssql.ingester.cdc;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a change table as read.
 *
 * @param position   its {@code (__$start_lsn, __$command_id, __$seqval, __$operation)}
 * @param mask       {@code __$update_mask}
 * @param commitTime the commit time in UTC, or null when {@code cdc.lsn_time_mapping} has no row for it
 * @param image      the captured columns' values
 */
public record ChangeRow(Position position, UpdateMask mask, Instant commitTime, RowImage image) {

    public ChangeRow {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(image, "image");
    }

    public Operation operation() {
        return position.operation();
    }
}
