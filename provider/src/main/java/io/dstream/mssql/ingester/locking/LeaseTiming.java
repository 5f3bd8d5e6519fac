package io.dstream.mssql.ingester.locking;

import java.time.Duration;

/**
 * How long a lease lasts on the lock service, how long this instance trusts it, and how often it
 * is renewed.
 *
 * <p>The lease service starts a lease period when it <em>receives</em> an acquire or renew
 * request, which is after this instance sent it. So the lease is surely held until
 * {@code sent + duration}; we trust it only until {@code sent + duration - safetyMargin}. The
 * margin covers clock-rate differences and the time between checking {@link Lease#isValid()} and
 * the write that check allowed. Renewals run every {@code duration / 3}, so a healthy lease is
 * renewed at least once before this instance stops trusting it.
 *
 * @param duration     the lease period asked of the service (Azure accepts 15–60 s)
 * @param safetyMargin subtracted from {@code duration} to get {@link #trusted()}
 * @param renewEvery   the period of the background renewal
 */
public record LeaseTiming(Duration duration, Duration safetyMargin, Duration renewEvery) {

    public static final Duration MIN_DURATION = Duration.ofSeconds(15);
    public static final Duration MAX_DURATION = Duration.ofSeconds(60);
    private static final Duration MIN_MARGIN = Duration.ofSeconds(5);

    public LeaseTiming {
        if (safetyMargin.isNegative() || safetyMargin.isZero() || safetyMargin.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("safety margin " + safetyMargin + " must be within the lease duration " + duration);
        }
        if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(duration.minus(safetyMargin)) >= 0) {
            throw new IllegalArgumentException("renewal period " + renewEvery + " must be shorter than the trusted time "
                    + duration.minus(safetyMargin));
        }
    }

    /** The timing for a {@code lease_duration}: margin max(5 s, duration/3), renewal every duration/3. */
    public static LeaseTiming of(Duration duration) {
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new LockerException("lease_duration must be between 15s and 60s (Azure Blob lease limits), got "
                    + duration.toSeconds() + "s");
        }
        Duration third = duration.dividedBy(3);
        Duration margin = third.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : third;
        return new LeaseTiming(duration, margin, third);
    }

    /** How long after sending a successful acquire/renew request the lease may be used. */
    public Duration trusted() {
        return duration.minus(safetyMargin);
    }
}
