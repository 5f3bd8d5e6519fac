package io.dstream.mssql.ingester.config;

/** {@code snapshot_mode}: whether a table's existing rows are written before (or instead of) its changes. */
public enum SnapshotMode {
    /** No snapshot: a table streams its changes from {@code start_position} on. */
    NEVER,
    /** A table without a checkpoint is snapshotted (chunk by chunk, interleaved with its changes), then streamed. */
    INITIAL,
    /** The tables without a finished snapshot are snapshotted; the process exits 0 once every one is done. */
    INITIAL_ONLY
}
