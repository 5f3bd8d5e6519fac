package io.dstream.mssql.ingester.cdc;

/** A saved position of one table, and the capture instance it was read from. */
public record Checkpoint(Position position, String captureInstance) {
}
