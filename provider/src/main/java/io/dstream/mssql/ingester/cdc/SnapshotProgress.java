package io.dstream.mssql.ingester.cdc;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a table's snapshot got, saved with its position in the checkpoint row: the chunks are read in
 * key order, so the key of the last row written is where the next chunk starts.
 *
 * @param state   none (never snapshotted), running or done
 * @param lastKey the last key written, as {@link TableKey#encode} spells it; null before the first chunk
 * @param rows    snapshot rows written so far
 * @param chunks  chunks finished by every snapshot of the table so far (the last, empty one of each included):
 *                orders two saves of one position, and never goes back (a new snapshot goes on counting)
 * @param startedAt when this snapshot started; null for {@link State#NONE}
 */
public record SnapshotProgress(State state, String lastKey, long rows, int chunks, Instant startedAt) {

    public enum State {
        NONE, RUNNING, DONE
    }

    /** A table never snapshotted (or whose checkpoint row predates snapshots). */
    public static final SnapshotProgress NONE = new SnapshotProgress(State.NONE, null, 0, 0, null);

    public SnapshotProgress {
        Objects.requireNonNull(state, "state");
    }

    /** A snapshot about to read its first chunk, after the {@code chunks} of earlier snapshots of the table. */
    public SnapshotProgress restart(Instant now) {
        return new SnapshotProgress(State.RUNNING, null, 0, chunks, now);
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** After a chunk of {@code written} rows whose last key is {@code key}. */
    public SnapshotProgress next(String key, int written) {
        return new SnapshotProgress(State.RUNNING, key, rows + written, chunks + 1, startedAt);
    }

    /** After the chunk that found no row past {@link #lastKey}. */
    public SnapshotProgress done() {
        return new SnapshotProgress(State.DONE, lastKey, rows, chunks + 1, startedAt);
    }

    /** {@code snapshot_state} in the checkpoint row; null for {@link State#NONE}. */
    String column() {
        return state == State.NONE ? null : state.name().toLowerCase(java.util.Locale.ROOT);
    }

    static SnapshotProgress of(String column, String lastKey, long rows, int chunks, Instant startedAt) {
        if (column == null) {
            return new SnapshotProgress(State.NONE, null, 0, chunks, null);
        }
        return new SnapshotProgress(State.valueOf(column.strip().toUpperCase(java.util.Locale.ROOT)), lastKey, rows, chunks, startedAt);
    }

    /** {@code state} as {@code plan} and {@code status} spell it. */
    public String stateText() {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return switch (state) {
            case NONE -> "no snapshot";
            case RUNNING -> "snapshot running (" + rows + " rows in " + chunks + " chunks" + (lastKey == null ? "" : ", after key " + lastKey) + ")";
            case DONE -> "snapshot done (" + rows + " rows)";
        };
    }
}
