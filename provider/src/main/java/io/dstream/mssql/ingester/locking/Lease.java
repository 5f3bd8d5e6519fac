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

    /** Gives the table up (best effort); after this {@link #isValid()} is false. */
    void release();
}
