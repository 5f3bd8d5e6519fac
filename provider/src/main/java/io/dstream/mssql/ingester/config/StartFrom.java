package io.dstream.mssql.ingester.config;

/** {@code start_position}: where a table without a checkpoint starts. */
public enum StartFrom {
    /** Its oldest retained change (the capture instance's minimum LSN). */
    EARLIEST,
    /** After the maximum LSN read before {@code {"status":"ready"}}: only changes committed from then on. */
    LATEST
}
