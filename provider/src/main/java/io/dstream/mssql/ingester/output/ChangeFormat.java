package io.dstream.mssql.ingester.output;

import io.dstream.mssql.ingester.cdc.Change;
import io.dstream.mssql.ingester.config.TableName;

import java.util.List;

/**
 * Turns changes of one table into stdout lines that each stay within {@code max_message_bytes}; a change
 * too long for a line on its own is handled as {@code oversized_change} says.
 */
public interface ChangeFormat {

    /**
     * @param table           the source table
     * @param captureInstance the capture instance the changes were read from
     * @param changes         in stream order, non-empty
     */
    Formatted lines(TableName table, String captureInstance, List<Change> changes);
}
