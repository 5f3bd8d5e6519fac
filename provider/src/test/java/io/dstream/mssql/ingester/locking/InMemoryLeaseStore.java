package io.dstream.mssql.ingester.locking;

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
 * while nobody else took it. {@link #down} makes every call fail like an unreachable service.
 */
final class InMemoryLeaseStore implements LeaseStore {

    private static final class Blob {
        String leaseId;
        long expiresAt;
        Map<String, String> metadata = Map.of();
    }

    private final FakeClock clock;
    private final Map<String, Blob> blobs = new HashMap<>();
    volatile boolean down;
    volatile Duration latency = Duration.ZERO;
    int calls;

    InMemoryLeaseStore(FakeClock clock) {
        this.clock = clock;
    }

    private long arrive() throws LeaseStoreException {
        calls++;
        if (down) {
            throw new LeaseStoreException("connection refused (test outage)");
        }
        clock.advance(latency);
        return clock.monotonicNanos();
    }

    private static boolean leased(Blob blob, long now) {
        return blob.leaseId != null && now < blob.expiresAt;
    }

    @Override
    public synchronized boolean acquire(String name, String leaseId, Duration duration, Map<String, String> metadata)
            throws LeaseStoreException {
        long now = arrive();
        Blob blob = blobs.computeIfAbsent(name, n -> new Blob());
        if (leased(blob, now) && !blob.leaseId.equals(leaseId)) {
            return false;
        }
        blob.leaseId = leaseId;
        blob.expiresAt = now + duration.toNanos();
        blob.metadata = Map.copyOf(metadata);
        durations.put(name, duration);
        return true;
    }

    private final Map<String, Duration> durations = new HashMap<>();

    @Override
    public synchronized boolean renew(String name, String leaseId) throws LeaseStoreException {
        long now = arrive();
        Blob blob = blobs.get(name);
        if (blob == null || !leaseId.equals(blob.leaseId)) {
            return false;
        }
        blob.expiresAt = now + durations.get(name).toNanos();
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
        long now = arrive();
        Blob blob = blobs.get(name);
        return blob != null && leased(blob, now) ? Optional.of(blob.metadata) : Optional.empty();
    }

    @Override
    public synchronized List<Map<String, String>> liveHolders(String prefix) throws LeaseStoreException {
        long now = arrive();
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
