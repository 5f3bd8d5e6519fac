package io.dstream.mssql.ingester.output;

import io.dstream.mssql.ingester.cdc.Position;

/**
 * One stdout line (UTF-8, without the newline) and the position of the last change it carries: once
 * the line is written and flushed, the table's checkpoint may advance to {@code covers}.
 */
public record OutputLine(byte[] bytes, Position covers, int changes) {
}
