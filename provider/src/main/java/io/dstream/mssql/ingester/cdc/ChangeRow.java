package io.dstream.mssql.ingester.cdc;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One row of a change table as read.
 *
 * @param position        its {@code (__$start_lsn, __$command_id, __$seqval, __$operation)}
 * @param mask            {@code __$update_mask}
 * @param commitTime      the commit time in UTC, or null when {@code cdc.lsn_time_mapping} has no row for it
 * @param values          captured columns by name, in ordinal order, converted to JSON
 * @param nullLargeValues large-value columns ({@code (n)varchar(max)}, {@code xml}, ...) that are NULL in this row
 */
public record ChangeRow(Position position, UpdateMask mask, Instant commitTime, Map<String, JsonNode> values,
                        Set<String> nullLargeValues) {

    public ChangeRow {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(values, "values");
        nullLargeValues = Set.copyOf(nullLargeValues);
    }

    public Operation operation() {
        return position.operation();
    }
}
