package io.dstream.mssql.ingester.locking;

import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Azure Blob lease semantics in memory, on the service's own clock (the {@link FakeClock}'s
 * monotonic time): a lease runs from when the request <em>arrives</em> (after {@link #latency}),
 * re-acquiring with the same id restarts it, an expired lease may be renewed by its holder only
 * while nobody else took it. {@link #down} makes every call fail like an unreachable service,
 * {@link #refusal} like a service that refuses the credentials or a permission;
 * {@link #deleteContainer()} loses the container and every blob in it, and
 * {@link #mayCreateContainer} says whether the credentials may create it again.
 */
final class InMemoryLeaseStore implements LeaseStore {

    private static final class Blob {
        String leaseId;
        long expiresAt;
        Duration duration;
        Map<String, String> metadata = Map.of();
    }

    private final FakeClock clock;
    private final Map<String, Blob> blobs = new HashMap<>();
    private boolean containerExists;
    volatile boolean down;
    volatile LeaseStoreException refusal;
    volatile boolean mayCreateContainer = true;
    volatile Duration latency = Duration.ZERO;
    int calls;

    InMemoryLeaseStore(FakeClock clock) {
        this.clock = clock;
    }

    private long arrive() throws LeaseStoreException {
        calls++;
        if (down) {
            throw new LeaseStoreException(Kind.UNAVAILABLE, "connection refused (test outage)");
        }
        if (refusal != null) {
            throw refusal;
        }
        clock.advance(latency);
        return clock.monotonicNanos();
    }

    private long arriveInContainer() throws LeaseStoreException {
        long now = arrive();
        if (!containerExists) {
            throw new LeaseStoreException(Kind.CONTAINER_MISSING, "container locks does not exist (test)");
        }
        return now;
    }

    private static boolean leased(Blob blob, long now) {
        return blob.leaseId != null && now < blob.expiresAt;
    }

    @Override
    public synchronized boolean createContainer() throws LeaseStoreException {
        arrive();
        if (containerExists) {
            return false;
        }
        if (!mayCreateContainer) {
            throw new LeaseStoreException(Kind.REFUSED, "these credentials may not create container locks (test)");
        }
        containerExists = true;
        return true;
    }

    /** What deleting the container, or restarting a storage emulator without its data, does. */
    synchronized void deleteContainer() {
        containerExists = false;
        blobs.clear();
    }

    synchronized boolean containerExists() {
        return containerExists;
    }

    @Override
    public synchronized Acquisition acquire(String name, String leaseId, Duration duration, Map<String, String> metadata)
            throws LeaseStoreException {
        long now = arriveInContainer();
        Blob blob = blobs.get(name);
        Acquisition acquired = Acquisition.ACQUIRED;
        if (blob == null) {
            blob = new Blob();
            blobs.put(name, blob);
            acquired = Acquisition.ACQUIRED_NEW_BLOB;
        }
        if (leased(blob, now) && !blob.leaseId.equals(leaseId)) {
            return Acquisition.HELD_BY_ANOTHER;
        }
        blob.leaseId = leaseId;
        blob.duration = duration;
        blob.expiresAt = now + duration.toNanos();
        blob.metadata = Map.copyOf(metadata);
        return acquired;
    }

    @Override
    public synchronized boolean renew(String name, String leaseId) throws LeaseStoreException {
        long now = arriveInContainer();
        Blob blob = blobs.get(name);
        if (blob == null) {
            throw new LeaseStoreException(Kind.BLOB_MISSING, "blob " + name + " is gone (test)");
        }
        if (!leaseId.equals(blob.leaseId)) {
            return false;
        }
        blob.expiresAt = now + blob.duration.toNanos();
        return true;
    }

    @Override
    public synchronized void release(String name, String leaseId) throws LeaseStoreException {
        arrive();
        Blob blob = blobs.get(name);
        if (blob != null && leaseId.equals(blob.leaseId)) {
            blob.leaseId = null;
        }
    }

    @Override
    public synchronized Optional<Map<String, String>> holder(String name) throws LeaseStoreException {
        long now = arriveInContainer();
        Blob blob = blobs.get(name);
        return blob != null && leased(blob, now) ? Optional.of(blob.metadata) : Optional.empty();
    }

    @Override
    public synchronized List<Map<String, String>> liveHolders(String prefix) throws LeaseStoreException {
        long now = arriveInContainer();
        List<Map<String, String>> live = new ArrayList<>();
        blobs.entrySet().removeIf(entry -> {
            if (!entry.getKey().startsWith(prefix)) {
                return false;
            }
            if (leased(entry.getValue(), now)) {
                live.add(entry.getValue().metadata);
                return false;
            }
            return true;
        });
        return live;
    }

    /** The lease id the service thinks holds {@code name} now, or null. */
    synchronized String holderLeaseId(String name) {
        Blob blob = blobs.get(name);
        return blob != null && leased(blob, clock.monotonicNanos()) ? blob.leaseId : null;
    }
}
