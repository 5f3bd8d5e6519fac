package io.dstream.mssql.ingester.locking;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One continuous tenure of a table. Valid from a successful acquire until the first of: a failed
 * renewal, {@link LeaseTiming#trusted()} elapsed since the last successful acquire/renew request
 * was <em>sent</em>, a release. Once invalid it never becomes valid again, even if a slow renewal
 * answers later: the provider has stopped the table by then, and takes it back only through
 * {@link Locker#tryAcquire}, which gives a new tenure (and makes it reload the checkpoint).
 */
final class FencedLease implements Lease {

    private static final Logger LOG = LoggerFactory.getLogger(FencedLease.class);

    private final LockKey key;
    private final LeaseTiming timing;
    private final LeaseClock clock;
    private final Consumer<FencedLease> onRelease;
    private LeaseClock.Stamp confirmedAt;
    private String endReason;
    private String handOverReason;

    FencedLease(LockKey key, LeaseTiming timing, LeaseClock clock, LeaseClock.Stamp acquireSentAt,
                Consumer<FencedLease> onRelease) {
        this.key = key;
        this.timing = timing;
        this.clock = clock;
        this.confirmedAt = acquireSentAt;
        this.onRelease = onRelease;
    }

    @Override
    public LockKey key() {
        return key;
    }

    @Override
    public synchronized boolean isValid() {
        if (endReason != null) {
            return false;
        }
        long age = confirmedAt.ageNanos(clock);
        if (age >= timing.trusted().toNanos()) {
            end("not renewed for " + age / 1_000_000 + " ms (trusted for " + timing.trusted().toMillis()
                    + " ms of a " + timing.duration().toSeconds() + " s lease); another instance may take it now");
            return false;
        }
        return true;
    }

    /** A renew request sent at {@code sentAt} succeeded. Ignored once the lease has ended. */
    synchronized void renewed(LeaseClock.Stamp sentAt) {
        if (isValid() && sentAt.isAfter(confirmedAt)) {
            confirmedAt = sentAt;
        }
    }

    /** Ends the tenure at once (renewal refused or failed, or handed over); logs why, once. */
    synchronized void end(String reason) {
        if (endReason == null) {
            endReason = reason;
            LOG.warn("{}: lease lost: {}; the table stops until this instance acquires it again", key, reason);
        }
    }

    /** Asks the holder to give the table up because another instance should have it; normal operation, so INFO. */
    synchronized void requestHandOver(String reason) {
        if (endReason == null && handOverReason == null) {
            handOverReason = reason;
            LOG.info("{}: handing over: {}; released once what this instance wrote is checkpointed", key, reason);
        }
    }

    @Override
    public synchronized boolean handOverRequested() {
        return handOverReason != null;
    }

    synchronized String endReason() {
        return endReason;
    }

    /** Ends the tenure without a warning: the table was given up on purpose. */
    synchronized void markReleased() {
        if (endReason == null) {
            endReason = "released";
        }
    }

    @Override
    public void release() {
        markReleased();
        onRelease.accept(this);
    }

    @Override
    public String toString() {
        return "lease on " + key + (endReason == null ? "" : " (ended: " + endReason + ")");
    }
}
