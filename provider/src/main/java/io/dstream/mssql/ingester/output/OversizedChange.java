package io.dstream.mssql.ingester.output;

import io.dstream.mssql.ingester.cdc.Position;
import io.dstream.mssql.ingester.config.OversizedChangePolicy;
import io.dstream.mssql.ingester.config.TableName;

import java.util.List;

/**
 * A change its table must stop before: alone it makes a line longer than {@code max_message_bytes}, and
 * {@code oversized_change} is {@code fail} (or {@code truncate} could not make it fit).
 *
 * @param lineBytes     the bytes of the line it makes alone
 * @param largestValues its largest values, largest first, as {@code column (N bytes)}; {@code before.column} for an
 *                      update's before image
 */
public record OversizedChange(TableName table, Position position, int lineBytes, int maxBytes,
                              OversizedChangePolicy policy, List<String> largestValues) {

    public OversizedChange {
        largestValues = List.copyOf(largestValues);
    }

    /** What happened, naming the table, the change, its size, its largest values and the limit. */
    public String problem() {
        String what = table + ": " + what(position, lineBytes, maxBytes) + "; largest values: "
                + (largestValues.isEmpty() ? "no text value" : String.join(", ", largestValues));
        return policy == OversizedChangePolicy.TRUNCATE
                ? what + "; oversized_change is truncate, but with every value larger than its marker truncated it is still too long"
                : what + "; oversized_change is fail";
    }

    /** Names the change, the bytes of its line and the limit. */
    static String what(Position position, int lineBytes, int maxBytes) {
        return "the change at LSN " + position.commitLsn() + " (seqval " + position.seqval() + ", command_id "
                + position.commandId() + ") makes a line of " + lineBytes + " bytes, more than max_message_bytes " + maxBytes;
    }

    /** How to get the table going again. */
    public String fix() {
        return "raise max_message_bytes if whatever reads stdout accepts longer lines (the DStream CLI stops on a line of "
                + "64 KiB or more), or set oversized_change to truncate (large values replaced by a marker with their size "
                + "and SHA-256) or to write (the long line written anyway)";
    }
}
