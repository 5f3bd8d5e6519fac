package io.dstream.mssql.ingester.locking;

/**
 * The right to stream one table, held by this instance. It is time-bounded: {@link #isValid()}
 * turns false as soon as this instance can no longer be sure that no other instance may hold
 * the table (renewal failed, or too long since the last successful renewal).
 */
public interface Lease {

    LockKey key();

    /**
     * True while changes of the table may be written. Checked before every write of a batch
     * and before every checkpoint save.
     */
    boolean isValid();

    /**
     * True once the locker asks this instance to give the table up (another instance is to take it, the
     * instances spreading their tables). The lease stays valid and renewed meanwhile: the holder stops reading,
     * checkpoints what it wrote, then {@link #release}s it.
     */
    default boolean handOverRequested() {
        return false;
    }

    /** Gives the table up (best effort); after this {@link #isValid()} is false. */
    void release();
}
