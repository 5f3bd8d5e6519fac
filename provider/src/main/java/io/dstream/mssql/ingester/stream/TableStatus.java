package io.dstream.mssql.ingester.stream;

import io.dstream.mssql.ingester.cdc.SnapshotProgress;
import io.dstream.mssql.ingester.config.TableName;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What one table's stream has done and where it stands, read from another thread (the metrics endpoint) while
 * the streaming thread goes on: the counters are the ones the stats line logs, not copies. Each field is read
 * once, without a lock, so the fields of one status may be a few lines apart; each is exact on its own.
 *
 * @param state           the stream's phase
 * @param failing         its last poll failed (it retries with backoff)
 * @param changes         changes written to stdout since the process started (snapshot rows included)
 * @param lines           stdout lines written
 * @param bytes           UTF-8 bytes written to stdout, newlines included
 * @param checkpointSaves checkpoint rows saved
 * @param errors          failed polls and permanent stops by kind, only the kinds that occurred
 * @param lastCommitTime  commit time of the last change written; empty before the first
 * @param lag             as the stats line says it ({@link TableStream#lag}); empty when unknown or not streaming
 * @param pollInterval    the wait the table's backoff last chose
 * @param snapshot        the snapshot progress in memory ({@link SnapshotProgress#NONE} when none)
 * @param estimatedRows   SQL Server's row estimate for a running snapshot; -1 when unknown
 */
public record TableStatus(TableName table, State state, boolean failing, long changes, long lines, long bytes,
                          long checkpointSaves, Map<ErrorKind, Long> errors, Optional<Instant> lastCommitTime,
                          Optional<Duration> lag, Duration pollInterval, SnapshotProgress snapshot, long estimatedRows) {

    /** The stream's phase, as the metrics spell it. */
    public enum State {
        /** this instance does not hold the table's lock */
        UNHELD,
        /** held; its position is being loaded */
        LOADING,
        STREAMING,
        /** stopped for good in this run */
        STOPPED
    }

    /** Why a poll failed, or a table stopped: the classification of the WARN and ERROR lines. */
    public enum ErrorKind {
        /** a statement of the poll failed (connection, timeout, permission); the table retries */
        QUERY,
        /** saving the checkpoint row failed; the table retries */
        CHECKPOINT,
        /** the lock service could not be reached */
        LOCK,
        /** the table has no usable capture instance (CDC disabled for it, the table dropped, or its validity interval not established yet) */
        CAPTURE_INSTANCE,
        /** changes were purged before they were read ({@code on_data_loss}) */
        DATA_LOSS,
        /** the database went back in time ({@code on_position_ahead}) */
        POSITION_AHEAD,
        /** a change too long for a line ({@code oversized_change fail}) */
        OVERSIZED,
        /** the table cannot be snapshotted (no usable key) */
        SNAPSHOT_REFUSED,
        /** anything else (a value this build does not understand); the table retries */
        UNEXPECTED
    }
}
