package io.dstream.mssql.bench.measure;

import java.util.Arrays;

/**
 * Order statistics of a sample, by the nearest-rank method: the p-th percentile is the smallest
 * value such that at least p % of the sample is less than or equal to it. Nearest rank never
 * invents a value that was not measured, which keeps a p99 honest on small samples.
 */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /** Takes a copy of the sample; it need not be sorted. */
    public static Percentiles of(long[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("no values to take percentiles of: the sample is empty");
        }
        long[] copy = sample.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** The p-th percentile, 0 < p ≤ 100. */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public long min() {
        return sorted[0];
    }

    public long max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }
}
