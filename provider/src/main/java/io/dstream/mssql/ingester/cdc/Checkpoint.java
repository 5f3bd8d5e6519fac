package io.dstream.mssql.ingester.cdc;

import java.time.Instant;
import java.util.Objects;

/**
 * A saved position of one table, the capture instance it was read from, and how far its snapshot got.
 *
 * @param snapshotRequested when the {@code snapshot} command asked for a new snapshot of the table; null if it did not
 */
public record Checkpoint(Position position, String captureInstance, SnapshotProgress snapshot, Instant snapshotRequested) {

    public Checkpoint {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    public Checkpoint(Position position, String captureInstance, SnapshotProgress snapshot) {
        this(position, captureInstance, snapshot, null);
    }

    /** A checkpoint of a table that was never snapshotted. */
    public Checkpoint(Position position, String captureInstance) {
        this(position, captureInstance, SnapshotProgress.NONE);
    }
}
