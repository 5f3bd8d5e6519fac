package io.dstream.mssql.ingester.locking;

import java.util.Optional;

/**
 * Decides which instance streams which table. Implementations: {@code NoLocker} (a single
 * instance; every table is always ours) and the Azure Blob lease locker.
 */
public interface Locker extends AutoCloseable {

    /**
     * Takes the table if nobody else holds it, or confirms we still hold it. Returns empty when
     * another instance holds it; the caller tries again on its next poll. Never blocks for long.
     */
    Optional<Lease> tryAcquire(LockKey key);

    /**
     * Who holds the table's lock, for the {@code status} command: {@code none} (no locking),
     * {@code held by <instance id>} or {@code free}. Does not take the lock.
     *
     * @throws LockerException when the lock service cannot be read
     */
    default String lockStatus(LockKey key) {
        return "none";
    }

    /** A description for logs, without secrets (e.g. {@code azure_blob container=locks}). */
    String describe();

    /** Releases every lease this instance holds. */
    @Override
    void close();
}
