package io.dstream.mssql.ingester.locking;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lock service as the locker needs it: a container of named blobs with Azure Blob lease
 * semantics (a lease has a proposed id and a finite duration; acquiring again with the same id
 * while it is held succeeds and restarts the period). Kept thin so that the timing, spreading and
 * recovery logic of {@link AzureBlobLocker} is tested against an in-memory store, and the Azure
 * implementation holds only SDK calls and the translation of its errors.
 */
public interface LeaseStore {

    /** What {@link #acquire} found. */
    enum Acquisition {
        /** The lease is ours; the blob existed. */
        ACQUIRED,
        /** The lease is ours; the blob did not exist (first use of the name, or its container was emptied). */
        ACQUIRED_NEW_BLOB,
        /** Another lease id holds the blob. */
        HELD_BY_ANOTHER
    }

    /**
     * Creates the container if it does not exist.
     *
     * @return true when this call created it
     */
    boolean createContainer() throws LeaseStoreException;

    /**
     * Acquires (or, with the same id, re-acquires) the lease on {@code name}, creating the blob if
     * missing, and then writes {@code metadata} under the lease.
     */
    Acquisition acquire(String name, String leaseId, Duration duration, Map<String, String> metadata) throws LeaseStoreException;

    /**
     * @return false when another lease id holds the blob now
     * @throws LeaseStoreException of kind {@link LeaseStoreException.Kind#BLOB_MISSING} or
     *         {@link LeaseStoreException.Kind#CONTAINER_MISSING} when the leased blob is gone
     */
    boolean renew(String name, String leaseId) throws LeaseStoreException;

    /** Releases the lease if {@code leaseId} still holds it; does nothing otherwise, or when the blob is gone. */
    void release(String name, String leaseId) throws LeaseStoreException;

    /** The metadata written by the current holder, or empty when nobody holds a lease on it (or the blob does not exist). */
    Optional<Map<String, String>> holder(String name) throws LeaseStoreException;

    /**
     * The metadata of every leased blob whose name starts with {@code prefix}. Blobs under the
     * prefix that nobody holds any more are deleted on the way (they belong to dead instances).
     */
    List<Map<String, String>> liveHolders(String prefix) throws LeaseStoreException;

    /** A call to the lock service failed; the message says what to fix and holds no secret. */
    final class LeaseStoreException extends Exception {

        /** What kind of failure, which decides how the locker reacts and at which level it logs. */
        public enum Kind {
            /** Not reachable, timed out, or a server error: transient, retried. */
            UNAVAILABLE,
            /** The service refused the credentials or a permission (403): an operator must fix the configuration. */
            REFUSED,
            /** The container does not exist (deleted, or a storage emulator restarted without its data). */
            CONTAINER_MISSING,
            /** The blob does not exist any more. */
            BLOB_MISSING
        }

        private final Kind kind;

        public LeaseStoreException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
