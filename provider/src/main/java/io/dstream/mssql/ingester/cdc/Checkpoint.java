package io.dstream.mssql.ingester.cdc;

import java.util.Objects;

/** A saved position of one table, the capture instance it was read from, and how far its snapshot got. */
public record Checkpoint(Position position, String captureInstance, SnapshotProgress snapshot) {

    public Checkpoint {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /** A checkpoint of a table that was never snapshotted. */
    public Checkpoint(Position position, String captureInstance) {
        this(position, captureInstance, SnapshotProgress.NONE);
    }
}
