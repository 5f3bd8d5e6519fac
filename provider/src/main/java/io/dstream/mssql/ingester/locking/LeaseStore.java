package io.dstream.mssql.ingester.locking;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lock service as the locker needs it: named blobs with Azure Blob lease semantics (a lease
 * has a proposed id and a finite duration; acquiring again with the same id while it is held
 * succeeds and restarts the period). Kept thin so that the timing and spreading logic of
 * {@link AzureBlobLocker} is tested against an in-memory store, and the Azure implementation
 * holds only SDK calls.
 */
public interface LeaseStore {

    /**
     * Acquires (or, with the same id, re-acquires) the lease on {@code name}, creating the blob if
     * missing, and then writes {@code metadata} under the lease.
     *
     * @return false when another lease id holds it
     */
    boolean acquire(String name, String leaseId, Duration duration, Map<String, String> metadata) throws LeaseStoreException;

    /** @return false when the lease is no longer ours (expired and taken, or the blob is gone) */
    boolean renew(String name, String leaseId) throws LeaseStoreException;

    /** Releases the lease if {@code leaseId} still holds it; does nothing otherwise. */
    void release(String name, String leaseId) throws LeaseStoreException;

    /** The metadata written by the current holder, or empty when nobody holds a lease on it. */
    Optional<Map<String, String>> holder(String name) throws LeaseStoreException;

    /**
     * The metadata of every leased blob whose name starts with {@code prefix}. Blobs under the
     * prefix that nobody holds any more are deleted on the way (they belong to dead instances).
     */
    List<Map<String, String>> liveHolders(String prefix) throws LeaseStoreException;

    /** The lock service failed or could not be reached; the message holds no secret. */
    final class LeaseStoreException extends Exception {
        public LeaseStoreException(String message, Throwable cause) {
            super(message, cause);
        }

        public LeaseStoreException(String message) {
            super(message);
        }
    }
}
