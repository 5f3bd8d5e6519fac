package io.dstream.mssql.bench.measure;

import java.util.Arrays;

/**
 * When {@code sys.fn_cdc_get_max_lsn()} first reached each value: a poller records every new maximum
 * with the time it saw it, and a commit LSN's capture time is the first sample at or above it. The
 * maximum only grows, so the samples are sorted by LSN and by time at once.
 */
public final class MaxLsnTrail {

    private byte[][] lsns = new byte[1024][];
    private long[] seenAt = new long[1024];
    private int size;
    private long polls;

    /** Records a poll's answer; a value not above the last one is ignored (the maximum did not move). */
    public synchronized void sample(byte[] lsn, long nanos) {
        polls++;
        if (lsn == null || (size > 0 && compare(lsn, lsns[size - 1]) <= 0)) {
            return;
        }
        if (size == lsns.length) {
            lsns = Arrays.copyOf(lsns, size * 2);
            seenAt = Arrays.copyOf(seenAt, size * 2);
        }
        lsns[size] = lsn.clone();
        seenAt[size] = nanos;
        size++;
    }

    /** When the maximum first reached {@code lsn}, or -1 if it never did while sampled. */
    public synchronized long reachedAt(byte[] lsn) {
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(lsns[mid], lsn) >= 0) {
                found = mid;
                high = mid - 1;
            } else {
                low = mid + 1;
            }
        }
        return found < 0 ? -1 : seenAt[found];
    }

    /** Distinct maxima seen. */
    public synchronized int samples() {
        return size;
    }

    /** Answers recorded, moved or not: with the run's length, how often the poller got through under load. */
    public synchronized long polls() {
        return polls;
    }

    /** LSNs compare as unsigned big-endian bytes, as {@code binary(10)} does in SQL Server. */
    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
