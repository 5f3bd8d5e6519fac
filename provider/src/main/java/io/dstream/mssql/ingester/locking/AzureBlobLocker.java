package io.dstream.mssql.ingester.locking;

import io.dstream.mssql.ingester.locking.LeaseStore.Acquisition;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException.Kind;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lock_config.type = azure_blob}: one Azure Blob lease per table (layout in
 * {@link LockBlobNames}), finite and renewed in the background, so that every table is streamed
 * by exactly one instance and a dead instance's tables are taken over within one lease period.
 *
 * <p><b>Fencing.</b> A lease is valid only while {@link LeaseTiming#trusted()} has not elapsed
 * since the last successful acquire/renew request was sent (see {@link FencedLease}); a refused
 * or failed renewal ends it at once. A process frozen past its lease wakes up with an invalid
 * lease, because its clocks moved on.
 *
 * <p><b>Spreading.</b> Every instance that competes for tables holds a heartbeat lease on
 * {@code instances/<id>}, whose metadata carries a fingerprint of the set of tables it was asked
 * about. Instances with the same fingerprint (the same tables) are peers: with {@code N} live
 * peers and {@code M} tables, an instance does not take more than {@code ceil(M/N)} tables and
 * asks for its extra ones to be handed over: the lease stays valid and renewed while the table's stream stops
 * reading, checkpoints what it wrote and releases it ({@link Lease#handOverRequested}), so the next holder starts
 * right after the last line this instance wrote instead of replaying, and never while a write of this instance is
 * still blocked (a full stdout pipe).
 * Instances configured with other tables never count, so no table is left without an owner.
 *
 * <p><b>Recovery.</b> The locker recovers by itself once the service answers again. A container
 * that disappears (deleted, or a storage emulator restarted without its data) is created again by
 * the renewal cycle, which then registers the heartbeat again. Its disappearance voids every lease
 * in it, while an instance that has not noticed yet may still trust one for up to a lease period.
 * So every instance that sees the signs (the container missing, a held lock blob gone, its own
 * heartbeat blob gone) drops its tables and takes none for one lease duration. Failures are
 * logged once per distinct problem until a renewal cycle succeeds: refusals (credentials,
 * permissions, a container these credentials may not create) at ERROR with what to fix, outages
 * at WARN.
 *
 * <p>The lease id is one random GUID per instance (Azure requires a GUID), so re-acquiring a
 * table this instance still holds on the service succeeds at once.
 */
public final class AzureBlobLocker implements Locker {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobLocker.class);

    static final String OWNER = "owner";
    static final String ACQUIRED = "acquired";
    static final String TABLES = "tables";
    private static final String NOT_COMPETING = "none";
    /** How often an instance at its share may re-count its peers when asked for one more table. */
    private static final Duration PEER_RECOUNT = Duration.ofSeconds(2);
    /** After the lock service failed, tryAcquire answers at once for this long instead of waiting on it again. */
    private static final Duration OUTAGE_BACKOFF = Duration.ofSeconds(2);
    /** The part of the provider's 5 s SIGTERM budget that releasing may take. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final String UNUSABLE = "the lock service is not usable (see the locking message)";
    private static final String WAITING_AFTER_WIPE = "the lock container was emptied or re-created; waiting one lease"
            + " duration, until no instance can still trust a lease it held before";

    private final LeaseStore store;
    private final LeaseClock clock;
    private final LeaseTiming timing;
    private final String instanceId;
    private final String leaseId = UUID.randomUUID().toString();
    private final String description;
    private final Map<LockKey, FencedLease> tenures = new ConcurrentHashMap<>();
    private final Map<LockKey, Object> keyLocks = new ConcurrentHashMap<>();
    private final Set<LockKey> known = ConcurrentHashMap.newKeySet();
    private final Map<LockKey, String> lastRefusal = new ConcurrentHashMap<>();
    /** The failures logged since the last healthy renewal cycle, so that each is logged once. */
    private final Set<String> reportedProblems = ConcurrentHashMap.newKeySet();
    private volatile int peers = 1;
    private volatile long peersCountedAtNanos;
    private volatile String recentOutage;
    private volatile long outageAtNanos;
    /** When this instance last saw that the container was emptied or re-created; null if never. */
    private volatile LeaseClock.Stamp wipedAt;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean closed;
    private ScheduledExecutorService renewer;

    AzureBlobLocker(LeaseStore store, LeaseClock clock, LeaseTiming timing, String instanceId, String description) {
        this.store = store;
        this.clock = clock;
        this.timing = timing;
        this.instanceId = instanceId;
        this.description = description;
    }

    /**
     * Connects to the storage account, creates the container if missing, registers this instance
     * and starts the renewal thread.
     *
     * @throws LockerException when the account cannot be reached or refuses (message without secrets)
     */
    public static AzureBlobLocker open(LockConfig config) {
        LeaseTiming timing = LeaseTiming.of(config.leaseDuration() == null ? LockConfig.DEFAULT_LEASE_DURATION : config.leaseDuration());
        AzureLeaseStore store = AzureLeaseStore.connect(config);
        String id = newInstanceId();
        AzureBlobLocker locker = new AzureBlobLocker(store, LeaseClock.SYSTEM, timing, id,
                "azure_blob " + store.describe() + " lease=" + timing.duration().toSeconds() + "s instance=" + id);
        locker.register();
        locker.start();
        return locker;
    }

    /** host-pid-random: readable in {@code status} output, unique even for two lockers in one process. */
    static String newInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
        }
        String safeHost = host.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safeHost.length() > 60) {
            safeHost = safeHost.substring(0, 60);
        }
        return safeHost + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates the container if missing, then takes the heartbeat lease once, which proves the
     * credentials allow creating blobs, leasing and listing; a status or plan run registers as not
     * competing, so no peer counts it.
     */
    void register() {
        LeaseStoreException cannotCreate = null;
        try {
            store.createContainer();
        } catch (LeaseStoreException e) {
            if (e.kind() != Kind.REFUSED) {
                throw new LockerException(e.getMessage(), e);
            }
            cannotCreate = e;                     // fine if the container exists: the registration below tells
        }
        try {
            store.acquire(LockBlobNames.instance(instanceId), leaseId, timing.duration(), heartbeatMetadata(NOT_COMPETING));
            store.liveHolders(LockBlobNames.INSTANCES_PREFIX);
        } catch (LeaseStoreException e) {
            boolean missing = e.kind() == Kind.CONTAINER_MISSING && cannotCreate != null;
            throw new LockerException(missing ? e.getMessage() + ", and " + cannotCreate.getMessage() : e.getMessage(), e);
        }
    }

    void start() {
        renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lock-renewer");
            thread.setDaemon(true);
            return thread;
        });
        long period = timing.renewEvery().toMillis();
        renewer.scheduleAtFixedRate(this::renewCycleSafely, period, period, TimeUnit.MILLISECONDS);
        LOG.info("locking: {}", description);
    }

    @Override
    public Optional<Lease> tryAcquire(LockKey key) {
        if (closed) {
            return Optional.empty();
        }
        known.add(key);
        synchronized (lockOf(key)) {
            FencedLease current = tenures.get(key);
            if (current != null && current.isValid()) {
                return Optional.of(current);
            }
            String notNow = reasonNotToTry();
            if (notNow != null) {
                refused(key, notNow);
                return Optional.empty();
            }
            LeaseClock.Stamp sent = clock.stamp();
            try {
                Acquisition acquired = store.acquire(LockBlobNames.table(key), leaseId, timing.duration(), ownerMetadata());
                if (acquired == Acquisition.HELD_BY_ANOTHER) {
                    refused(key, "another instance holds it");
                    return Optional.empty();
                }
                if (acquired == Acquisition.ACQUIRED_NEW_BLOB && containerWasEmptied()) {
                    // the lease stays with us on the service and expires: one more reason for the others to wait
                    refused(key, WAITING_AFTER_WIPE);
                    return Optional.empty();
                }
                recentOutage = null;
            } catch (LeaseStoreException e) {
                failed(e);
                refused(key, e.kind() == Kind.CONTAINER_MISSING ? WAITING_AFTER_WIPE : UNUSABLE);
                return Optional.empty();
            }
            lastRefusal.remove(key);
            FencedLease lease = new FencedLease(key, timing, clock, sent, this::released);
            tenures.put(key, lease);
            LOG.info("{}: lock acquired (blob {}, instance {})", key, LockBlobNames.table(key), instanceId);
            return Optional.of(lease);
        }
    }

    /** Why this instance does not ask the service for one more table now, or null. */
    private String reasonNotToTry() {
        if (validCount() >= fairShare() && peersCountedLongerAgoThan(PEER_RECOUNT)) {
            countPeers(fingerprint());            // a dead peer's heartbeat may just have expired
        }
        int share = fairShare();
        if (validCount() >= share) {
            return "this instance already holds its share of " + share + " of " + known.size() + " tables (" + peers + " instances)";
        }
        if (wipedRecently()) {
            return WAITING_AFTER_WIPE;
        }
        if (recentOutage != null && clock.monotonicNanos() - outageAtNanos < OUTAGE_BACKOFF.toNanos()) {
            return UNUSABLE;                      // do not wait for one more timeout per table while the service is down
        }
        return null;
    }

    @Override
    public String lockStatus(LockKey key) {
        try {
            return store.holder(LockBlobNames.table(key))
                    .map(meta -> "held by " + meta.getOrDefault(OWNER, "an instance that did not say its id"))
                    .orElse("free");
        } catch (LeaseStoreException e) {
            throw new LockerException("cannot read the lock of table " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Releases every table and the heartbeat; gives up at the first unreachable-service error (the leases then expire). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (renewer != null) {
            renewer.shutdownNow();
            try {
                renewer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<LockKey, FencedLease> entry : tenures.entrySet()) {
            entry.getValue().markReleased();
            names.add(LockBlobNames.table(entry.getKey()));
        }
        tenures.clear();
        names.add(LockBlobNames.instance(instanceId));
        // bounded: the provider must exit within 5 s of SIGTERM even if the service hangs; unreleased leases expire
        Thread releaser = new Thread(() -> releaseAll(names), "lock-release");
        releaser.setDaemon(true);
        releaser.start();
        try {
            releaser.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (releaser.isAlive()) {
            LOG.warn("locking: the lock service did not confirm the release within {} s; the locks expire within {} s",
                    CLOSE_TIMEOUT.toSeconds(), timing.duration().toSeconds());
        }
    }

    private void releaseAll(List<String> names) {
        for (String name : names) {
            try {
                store.release(name, leaseId);
            } catch (LeaseStoreException e) {
                LOG.warn("locking: could not release the locks ({}); they expire within {} s", e.getMessage(),
                        timing.duration().toSeconds());
                return;
            }
        }
        LOG.info("locking: released {} lock(s) of instance {}", names.size() - 1, instanceId);
    }

    // ---- background renewal, heartbeat and spreading (package-private so that tests drive it with a fake clock)

    private void renewCycleSafely() {
        try {
            renewCycle();
        } catch (RuntimeException e) {
            LOG.error("locking: renewal cycle failed unexpectedly; the leases it did not renew expire", e);
        }
    }

    void renewCycle() {
        if (closed) {
            return;
        }
        int failuresBefore = failures.get();
        renewTables();
        boolean heartbeatRan = heartbeat();
        handOverExtras();
        if (heartbeatRan && failures.get() == failuresBefore && !reportedProblems.isEmpty()) {
            reportedProblems.clear();
            LOG.info("locking: the lock service works again");
        }
    }

    /** Renews every valid lease; after the first unreachable-service error the rest end without a try (bounded cycle). */
    private void renewTables() {
        LeaseStoreException outage = null;
        LeaseStoreException gone = null;
        for (FencedLease lease : tenures.values()) {
            if (!lease.isValid()) {
                continue;
            }
            if (outage != null) {
                lease.end("renewal failed: " + outage.getMessage());
                continue;
            }
            LeaseClock.Stamp sent = clock.stamp();
            try {
                if (store.renew(LockBlobNames.table(lease.key()), leaseId)) {
                    lease.renewed(sent);
                } else {
                    lease.end("the lock service says this instance no longer holds it (expired and taken by another instance)");
                }
            } catch (LeaseStoreException e) {
                if (e.kind() == Kind.BLOB_MISSING || e.kind() == Kind.CONTAINER_MISSING) {
                    gone = e;                     // answered at once: the other renewals go on, and find the same
                } else {
                    outage = e;
                }
                lease.end("renewal failed: " + e.getMessage());
            }
        }
        if (outage != null) {
            failed(outage);
        }
        if (gone != null) {
            failed(gone);
        }
    }

    /**
     * Renews the heartbeat lease, re-creating the container first when it is missing (and the
     * heartbeat blob with it, so peers count this instance again).
     *
     * @return false when it did not run (a status or plan run asks for no table)
     */
    private boolean heartbeat() {
        if (known.isEmpty()) {
            return false;
        }
        String fingerprint = fingerprint();
        try {
            if (registerHeartbeat(fingerprint) == Acquisition.ACQUIRED_NEW_BLOB) {
                wiped("the heartbeat blob of this instance was gone (the lock container was emptied or re-created,"
                        + " or this instance stalled for longer than its lease)");
            }
        } catch (LeaseStoreException e) {
            failed(e);
            if (e.kind() != Kind.CONTAINER_MISSING || !recreateContainer()) {
                return true;
            }
            try {
                registerHeartbeat(fingerprint);
            } catch (LeaseStoreException again) {
                failed(again);
                return true;
            }
        }
        countPeers(fingerprint);
        return true;
    }

    private Acquisition registerHeartbeat(String fingerprint) throws LeaseStoreException {
        return store.acquire(LockBlobNames.instance(instanceId), leaseId, timing.duration(), heartbeatMetadata(fingerprint));
    }

    /** @return true when the container exists again */
    private boolean recreateContainer() {
        try {
            if (store.createContainer()) {
                LOG.warn("locking: created the lock container again");
            }
            return true;
        } catch (LeaseStoreException e) {
            failed(e);
            return false;
        }
    }

    /**
     * A lock blob was created where one was expected only on first use: asks whether this
     * instance's heartbeat blob is still there (renewing its lease). If it is gone too, the
     * container was emptied or re-created, by someone else since this instance did not notice.
     */
    private boolean containerWasEmptied() throws LeaseStoreException {
        try {
            store.renew(LockBlobNames.instance(instanceId), leaseId);
            return false;
        } catch (LeaseStoreException e) {
            if (e.kind() != Kind.BLOB_MISSING && e.kind() != Kind.CONTAINER_MISSING) {
                throw e;
            }
            wiped("the heartbeat blob of this instance was gone: the lock container was emptied or re-created");
            return true;
        }
    }

    /**
     * Every lease of the old container is void: ends this instance's tenures at once and takes no
     * table for one lease duration, the longest another instance that did not notice yet may go on
     * trusting a lease it held there.
     */
    private void wiped(String what) {
        boolean already = wipedRecently();
        wipedAt = clock.stamp();
        tenures.values().forEach(lease -> lease.end(what));
        if (!already) {
            LOG.warn("locking: {}; the leases of the old container are void: this instance takes tables again in {} s, when no"
                    + " instance can still trust a lease it held before", what, timing.duration().toSeconds());
        }
    }

    private boolean wipedRecently() {
        LeaseClock.Stamp at = wipedAt;
        return at != null && at.ageNanos(clock) < timing.duration().toNanos();
    }

    /**
     * A call failed: logs it once (a refusal at ERROR, since only a change of configuration or
     * rights fixes it), backs off after an outage, and voids the leases when the container is gone.
     */
    private void failed(LeaseStoreException e) {
        failures.incrementAndGet();
        switch (e.kind()) {
            case CONTAINER_MISSING, BLOB_MISSING -> wiped(e.getMessage());
            case REFUSED -> {
                outage(e);
                if (reportedProblems.add(e.getMessage())) {
                    LOG.error("locking: {}; tables are taken again once that is fixed", e.getMessage());
                }
            }
            case UNAVAILABLE -> {
                outage(e);
                if (reportedProblems.add(e.getMessage())) {
                    LOG.warn("locking: {}; retrying", e.getMessage());
                }
            }
        }
    }

    /** Peers = live instances (heartbeat lease held) asked about exactly the same tables, this one included. */
    private void countPeers(String fingerprint) {
        peersCountedAtNanos = clock.monotonicNanos();
        int others = 0;
        try {
            for (Map<String, String> meta : store.liveHolders(LockBlobNames.INSTANCES_PREFIX)) {
                if (!instanceId.equals(meta.get(OWNER)) && fingerprint.equals(meta.get(TABLES))) {
                    others++;
                }
            }
        } catch (LeaseStoreException e) {
            failed(e);
            return;
        }
        if (others + 1 != peers) {
            LOG.info("locking: {} instance(s) share these {} tables; this one takes at most {}", others + 1,
                    known.size(), ceilDiv(known.size(), others + 1));
        }
        peers = others + 1;
    }

    private boolean peersCountedLongerAgoThan(Duration age) {
        return peers > 1 && clock.monotonicNanos() - peersCountedAtNanos >= age.toNanos();
    }

    private void outage(LeaseStoreException e) {
        outageAtNanos = clock.monotonicNanos();
        recentOutage = e.getMessage();
    }

    /** Asks for the tables above this instance's share to be handed over (their streams release them). */
    private void handOverExtras() {
        int share = fairShare();
        List<FencedLease> valid = tenures.values().stream().filter(FencedLease::isValid)
                .sorted(Comparator.comparing(lease -> LockBlobNames.table(lease.key())))
                .toList();
        for (FencedLease extra : valid.subList(Math.min(share, valid.size()), valid.size())) {
            synchronized (lockOf(extra.key())) {
                if (tenures.get(extra.key()) == extra && extra.isValid()) {
                    extra.requestHandOver(peers + " instances share " + known.size() + " tables");
                }
            }
        }
    }

    private void released(FencedLease lease) {
        synchronized (lockOf(lease.key())) {
            if (tenures.remove(lease.key(), lease)) {
                releaseQuietly(lease.key());
            }
        }
    }

    private void releaseQuietly(LockKey key) {
        try {
            store.release(LockBlobNames.table(key), leaseId);
            LOG.info("{}: lock released", key);
        } catch (LeaseStoreException e) {
            LOG.warn("{}: could not release the lock ({}); it expires within {} s", key, e.getMessage(),
                    timing.duration().toSeconds());
        }
    }

    private void refused(LockKey key, String reason) {
        if (!reason.equals(lastRefusal.put(key, reason))) {
            LOG.info("{}: not taken: {}; retrying on the next poll", key, reason);
        }
    }

    private int fairShare() {
        int n = peers;
        return n <= 1 ? Integer.MAX_VALUE : ceilDiv(known.size(), n);
    }

    private int validCount() {
        int count = 0;
        for (FencedLease lease : tenures.values()) {
            if (lease.isValid()) {
                count++;
            }
        }
        return count;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private String fingerprint() {
        String names = known.stream().map(LockBlobNames::table).sorted().collect(Collectors.joining("\n"));
        return LockBlobNames.sha256(names).substring(0, 16);
    }

    private Map<String, String> ownerMetadata() {
        return Map.of(OWNER, instanceId, ACQUIRED, Instant.now().toString());
    }

    private Map<String, String> heartbeatMetadata(String fingerprint) {
        return Map.of(OWNER, instanceId, TABLES, fingerprint, ACQUIRED, Instant.now().toString());
    }

    private Object lockOf(LockKey key) {
        return keyLocks.computeIfAbsent(key, k -> new Object());
    }

    String instanceId() {
        return instanceId;
    }

    int peers() {
        return peers;
    }
}
