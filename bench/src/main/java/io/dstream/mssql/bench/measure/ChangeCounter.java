package io.dstream.mssql.bench.measure;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.DoubleSupplier;

/**
 * Counts the changes in the provider's envelope lines without parsing them: each envelope says
 * how many changes it carries in {@code metadata.batch_size}, which the provider writes last. A
 * full JSON parse of a million changes would make the bench JVM compete with the provider for
 * the same two cores and so measure the reader instead of the provider.
 *
 * <p>At each of the given thresholds, and at the expected count, it records a {@link Mark}: when the
 * count first reached it, the count then (a line carries a whole batch, so it may overshoot), and
 * the provider's CPU seconds read at that moment, on the reading thread, so that CPU between two
 * marks belongs to exactly the changes between them.
 */
public final class ChangeCounter {

    private static final String BATCH_SIZE = "\"batch_size\":";

    /** The count first reached a threshold: {@code changes} arrived by {@code nanos}, the provider had used {@code cpuSeconds}. */
    public record Mark(long changes, long nanos, double cpuSeconds) {
    }

    private final long expected;
    private final DoubleSupplier cpuSeconds;
    private final long[] thresholds;
    private final AtomicReferenceArray<Mark> marks;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong chars = new AtomicLong();
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile long reachedAtNanos;

    /** Counts up to {@code expected} without reading CPU (marks carry NaN). */
    public ChangeCounter(long expected) {
        this(expected, () -> Double.NaN);
    }

    /**
     * Counts up to {@code expected}, marking each of {@code thresholds} and {@code expected} itself;
     * {@code cpuSeconds} is read once per mark.
     */
    public ChangeCounter(long expected, DoubleSupplier cpuSeconds, long... thresholds) {
        this.expected = expected;
        this.cpuSeconds = cpuSeconds;
        long[] all = Arrays.copyOf(thresholds, thresholds.length + 1);
        all[thresholds.length] = expected;
        Arrays.sort(all);
        this.thresholds = all;
        this.marks = new AtomicReferenceArray<>(all.length);
    }

    /** Called by the stdout reader thread for every line after the ready line. */
    public void accept(String line, long arrivalNanos) {
        int batch = batchSize(line);
        if (batch <= 0) {
            return;
        }
        lines.incrementAndGet();
        chars.addAndGet(line.length() + 1L);
        long count = changes.addAndGet(batch);
        mark(count, arrivalNanos);
        if (count >= expected && reached.getCount() > 0) {
            reachedAtNanos = arrivalNanos;
            reached.countDown();
        }
    }

    /** Records every threshold this line reached first; one CPU read serves all of them. */
    private void mark(long count, long arrivalNanos) {
        Mark mark = null;
        for (int i = 0; i < thresholds.length && thresholds[i] <= count; i++) {
            if (marks.get(i) == null) {
                mark = mark != null ? mark : new Mark(count, arrivalNanos, cpuSeconds.getAsDouble());
                marks.set(i, mark);
            }
        }
    }

    /** The mark of {@code threshold} (one given to the constructor, or the expected count), once reached. */
    public Optional<Mark> at(long threshold) {
        int i = Arrays.binarySearch(thresholds, threshold);
        if (i < 0) {
            throw new IllegalArgumentException(threshold + " is not a threshold of this counter: " + Arrays.toString(thresholds));
        }
        return Optional.ofNullable(marks.get(i));
    }

    /** The number of changes an envelope line carries, or 0 for any other line. */
    static int batchSize(String line) {
        int at = line.lastIndexOf(BATCH_SIZE);
        if (at < 0) {
            return 0;
        }
        int i = at + BATCH_SIZE.length();
        int value = 0;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            value = value * 10 + (line.charAt(i++) - '0');
        }
        return value;
    }

    /** Waits until the expected number of changes arrived; false on timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit);
    }

    public long changes() {
        return changes.get();
    }

    public long lines() {
        return lines.get();
    }

    /** Characters of the envelope lines with their newlines; the bytes on stdout, as the changes are ASCII. */
    public long chars() {
        return chars.get();
    }

    /** {@link System#nanoTime()} when the expected count was reached. */
    public long reachedAtNanos() {
        return reachedAtNanos;
    }
}
